#include "inference/config.h"

#include "inference/imageprocessor.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace folio::inference {

namespace {

using nlohmann::json;

Result<std::string> readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("Cannot open " + path + ": the file is missing or unreadable.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Every config file is one JSON object.
Result<json> parseJsonObject(const std::string& text, const std::string& origin)
{
    try {
        json root = json::parse(text);
        if (!root.is_object())
            return makeError(origin + ": expected a JSON object at the top level.");
        return root;
    } catch (const json::exception& e) {
        return makeError(origin + " is not valid JSON: " + e.what());
    }
}

// Looks a field up in the given objects in order; the first object that has it wins.
// Every failure names the field and the file, never a default.
class FieldReader {
public:
    FieldReader(std::string origin) : m_origin(std::move(origin)) {}

    const json* find(std::initializer_list<const json*> scopes, const char* key) const
    {
        for (const json* scope : scopes) {
            if (scope && scope->is_object()) {
                auto it = scope->find(key);
                if (it != scope->end() && !it->is_null())
                    return &*it;
            }
        }
        return nullptr;
    }

    template <typename T>
    bool get(std::initializer_list<const json*> scopes, const char* key, const char* where, T& out)
    {
        const json* v = find(scopes, key);
        if (!v) {
            fail(std::string("required field \"") + key + "\" is missing" + where);
            return false;
        }
        return convert(*v, key, out);
    }

    template <typename T>
    bool convert(const json& v, const char* key, T& out)
    {
        try {
            if constexpr (std::is_same_v<T, bool>) {
                if (!v.is_boolean())
                    throw std::runtime_error("expected true or false");
            } else if constexpr (std::is_integral_v<T>) {
                if (!v.is_number_integer())
                    throw std::runtime_error("expected an integer");
            } else if constexpr (std::is_floating_point_v<T>) {
                if (!v.is_number())
                    throw std::runtime_error("expected a number");
            }
            out = v.get<T>();
            return true;
        } catch (const std::exception& e) {
            fail(std::string("field \"") + key + "\" has an invalid value " + v.dump() + " (" + e.what() + ")");
            return false;
        }
    }

    void fail(const std::string& what)
    {
        if (m_error.empty())
            m_error = m_origin + ": " + what + ".";
    }
    bool failed() const { return !m_error.empty(); }
    const std::string& error() const { return m_error; }

private:
    std::string m_origin;
    std::string m_error;
};

void positive(FieldReader& r, int64_t value, const char* key)
{
    if (value <= 0)
        r.fail(std::string("field \"") + key + "\" must be positive, got " + std::to_string(value));
}

} // namespace

Result<ModelConfig> ModelConfig::load(const std::string& path)
{
    auto text = readText(path);
    if (!text)
        return makeError(text.error());
    return parse(*text, path);
}

Result<ModelConfig> ModelConfig::parse(const std::string& jsonText, const std::string& origin)
{
    auto parsed = parseJsonObject(jsonText, origin);
    if (!parsed)
        return makeError(parsed.error());
    const json& root = *parsed;

    FieldReader r(origin);
    std::string modelType;
    if (!r.get({&root}, "model_type", "", modelType))
        return makeError(r.error());
    if (modelType != "qwen2_5_vl")
        return makeError(origin + ": model_type \"" + modelType
                         + "\" is not supported; this engine runs Qwen2.5-VL (model_type \"qwen2_5_vl\").");

    const json* textCfg = r.find({&root}, "text_config");
    const json* visionCfg = r.find({&root}, "vision_config");
    if (!visionCfg || !visionCfg->is_object())
        return makeError(origin + ": required object \"vision_config\" is missing.");

    ModelConfig c;
    TextConfig& t = c.text;
    const char* inText = " (looked in text_config and at the top level)";
    r.get({textCfg, &root}, "vocab_size", inText, t.vocabSize);
    r.get({textCfg, &root}, "hidden_size", inText, t.hiddenSize);
    r.get({textCfg, &root}, "intermediate_size", inText, t.intermediateSize);
    r.get({textCfg, &root}, "num_hidden_layers", inText, t.numHiddenLayers);
    r.get({textCfg, &root}, "num_attention_heads", inText, t.numAttentionHeads);
    r.get({textCfg, &root}, "num_key_value_heads", inText, t.numKeyValueHeads);
    r.get({textCfg, &root}, "rms_norm_eps", inText, t.rmsNormEps);
    if (r.failed())
        return makeError(r.error());
    positive(r, t.vocabSize, "vocab_size");
    positive(r, t.hiddenSize, "hidden_size");
    positive(r, t.intermediateSize, "intermediate_size");
    positive(r, t.numHiddenLayers, "num_hidden_layers");
    positive(r, t.numAttentionHeads, "num_attention_heads");
    positive(r, t.numKeyValueHeads, "num_key_value_heads");
    if (r.failed())
        return makeError(r.error());

    if (r.find({textCfg, &root}, "head_dim"))
        r.get({textCfg, &root}, "head_dim", inText, t.headDim);
    else if (t.hiddenSize % t.numAttentionHeads == 0)
        t.headDim = t.hiddenSize / t.numAttentionHeads;
    else
        r.fail("hidden_size " + std::to_string(t.hiddenSize) + " is not divisible by num_attention_heads "
               + std::to_string(t.numAttentionHeads));
    if (!r.failed() && t.numAttentionHeads % t.numKeyValueHeads != 0)
        r.fail("num_attention_heads " + std::to_string(t.numAttentionHeads)
               + " is not a multiple of num_key_value_heads " + std::to_string(t.numKeyValueHeads));

    // M-RoPE sections and theta: v5 rope_parameters, else rope_scaling + rope_theta.
    const json* ropeParams = r.find({textCfg, &root}, "rope_parameters");
    const json* ropeScaling = r.find({textCfg, &root}, "rope_scaling");
    if (const json* section = r.find({ropeParams, ropeScaling}, "mrope_section"))
        r.convert(*section, "mrope_section", t.mropeSection);
    else
        r.fail("required field \"mrope_section\" is missing (looked in rope_parameters and rope_scaling)");
    if (r.find({ropeParams}, "rope_theta"))
        r.get({ropeParams}, "rope_theta", "", t.ropeTheta);
    else
        r.get({textCfg, &root}, "rope_theta", " (looked in rope_parameters, text_config and the top level)",
              t.ropeTheta);
    if (r.failed())
        return makeError(r.error());
    int64_t sectionSum = 0;
    for (int64_t s : t.mropeSection)
        sectionSum += s;
    if (t.mropeSection.size() != 3 || sectionSum * 2 != t.headDim)
        return makeError(origin + ": mrope_section must hold 3 values summing to head_dim/2 = "
                         + std::to_string(t.headDim / 2) + ".");

    if (const json* tie = r.find({textCfg, &root}, "tie_word_embeddings")) {
        bool tied = false;
        if (r.convert(*tie, "tie_word_embeddings", tied))
            c.tieWordEmbeddings = tied;
    }
    if (const json* dtype = r.find({&root}, "torch_dtype") ? r.find({&root}, "torch_dtype") : r.find({&root}, "dtype"))
        r.convert(*dtype, "torch_dtype", c.dtype);

    TokenIds& k = c.tokens;
    const char* inTop = " (looked at the top level and in text_config)";
    r.get({&root, textCfg}, "bos_token_id", inTop, k.bos);
    r.get({&root, textCfg}, "eos_token_id", inTop, k.eos);
    r.get({&root, textCfg}, "vision_start_token_id", inTop, k.visionStart);
    r.get({&root, textCfg}, "vision_end_token_id", inTop, k.visionEnd);
    r.get({&root, textCfg}, "image_token_id", inTop, k.image);
    r.get({&root, textCfg}, "video_token_id", inTop, k.video);

    VisionConfig& v = c.vision;
    const char* inVision = " in vision_config";
    r.get({visionCfg}, "depth", inVision, v.depth);
    r.get({visionCfg}, "hidden_size", inVision, v.hiddenSize);
    r.get({visionCfg}, "num_heads", inVision, v.numHeads);
    r.get({visionCfg}, "intermediate_size", inVision, v.intermediateSize);
    r.get({visionCfg}, "out_hidden_size", inVision, v.outHiddenSize);
    if (r.find({visionCfg}, "in_channels"))
        r.get({visionCfg}, "in_channels", inVision, v.inChannels);
    else
        r.get({visionCfg}, "in_chans", " in vision_config (nor \"in_channels\")", v.inChannels);
    r.get({visionCfg}, "patch_size", inVision, v.patchSize);
    r.get({visionCfg}, "temporal_patch_size", inVision, v.temporalPatchSize);
    r.get({visionCfg}, "spatial_merge_size", inVision, v.spatialMergeSize);
    r.get({visionCfg}, "window_size", inVision, v.windowSize);
    r.get({visionCfg}, "tokens_per_second", inVision, v.tokensPerSecond);
    r.get({visionCfg}, "fullatt_block_indexes", inVision, v.fullattBlockIndexes);
    if (r.failed())
        return makeError(r.error());
    positive(r, v.depth, "vision_config.depth");
    positive(r, v.hiddenSize, "vision_config.hidden_size");
    positive(r, v.numHeads, "vision_config.num_heads");
    positive(r, v.intermediateSize, "vision_config.intermediate_size");
    positive(r, v.patchSize, "vision_config.patch_size");
    positive(r, v.temporalPatchSize, "vision_config.temporal_patch_size");
    positive(r, v.spatialMergeSize, "vision_config.spatial_merge_size");
    positive(r, v.windowSize, "vision_config.window_size");
    if (!r.failed() && v.hiddenSize % v.numHeads != 0)
        r.fail("vision_config.hidden_size is not divisible by vision_config.num_heads");
    if (!r.failed() && v.outHiddenSize != t.hiddenSize)
        r.fail("vision_config.out_hidden_size " + std::to_string(v.outHiddenSize)
               + " differs from the text hidden_size " + std::to_string(t.hiddenSize));
    if (!r.failed() && (v.windowSize / v.spatialMergeSize / v.patchSize) <= 0)
        r.fail("vision_config.window_size is smaller than one merged patch");
    for (int64_t b : v.fullattBlockIndexes)
        if (b < 0 || b >= v.depth)
            r.fail("vision_config.fullatt_block_indexes names block " + std::to_string(b) + " outside 0.."
                   + std::to_string(v.depth - 1));
    if (r.failed())
        return makeError(r.error());
    return c;
}

Result<GenerationDefaults> GenerationDefaults::load(const std::string& path)
{
    auto text = readText(path);
    if (!text)
        return makeError(text.error());
    return parse(*text, path);
}

Result<GenerationDefaults> GenerationDefaults::parse(const std::string& jsonText, const std::string& origin)
{
    auto parsed = parseJsonObject(jsonText, origin);
    if (!parsed)
        return makeError(parsed.error());
    const json& root = *parsed;
    FieldReader r(origin);
    GenerationDefaults g;
    if (r.find({&root}, "do_sample"))
        r.get({&root}, "do_sample", "", g.doSample);
    if (r.find({&root}, "temperature"))
        r.get({&root}, "temperature", "", g.temperature);
    if (r.find({&root}, "top_k"))
        r.get({&root}, "top_k", "", g.topK);
    if (r.find({&root}, "top_p"))
        r.get({&root}, "top_p", "", g.topP);
    if (r.find({&root}, "repetition_penalty"))
        r.get({&root}, "repetition_penalty", "", g.repetitionPenalty);
    if (const json* eos = r.find({&root}, "eos_token_id")) {
        if (eos->is_array()) {
            r.convert(*eos, "eos_token_id", g.eosTokenIds);
        } else {
            int64_t id = 0;
            if (r.convert(*eos, "eos_token_id", id))
                g.eosTokenIds = {id};
        }
    }
    if (r.failed())
        return makeError(r.error());
    return g;
}

Result<ImageProcessorOptions> loadImageProcessorOptions(const std::string& path)
{
    auto text = readText(path);
    if (!text)
        return makeError(text.error());
    return parseImageProcessorOptions(*text, path);
}

Result<ImageProcessorOptions> parseImageProcessorOptions(const std::string& jsonText, const std::string& origin)
{
    auto parsed = parseJsonObject(jsonText, origin);
    if (!parsed)
        return makeError(parsed.error());
    const json& root = *parsed;
    FieldReader r(origin);
    ImageProcessorOptions o;
    const json* size = r.find({&root}, "size");
    if (size && size->is_object() && size->contains("shortest_edge")) {
        r.get({size}, "shortest_edge", " in size", o.minPixels);
        r.get({size}, "longest_edge", " in size", o.maxPixels);
    } else {
        r.get({&root}, "min_pixels", " (nor size.shortest_edge)", o.minPixels);
        r.get({&root}, "max_pixels", " (nor size.longest_edge)", o.maxPixels);
    }
    r.get({&root}, "patch_size", "", o.patchSize);
    r.get({&root}, "temporal_patch_size", "", o.temporalPatchSize);
    r.get({&root}, "merge_size", "", o.mergeSize);
    std::vector<float> mean, stdv;
    r.get({&root}, "image_mean", "", mean);
    r.get({&root}, "image_std", "", stdv);
    if (r.failed())
        return makeError(r.error());
    if (mean.size() != 3 || stdv.size() != 3)
        return makeError(origin + ": image_mean and image_std must hold 3 values (R, G, B).");
    std::copy(mean.begin(), mean.end(), o.mean.begin());
    std::copy(stdv.begin(), stdv.end(), o.std.begin());
    if (o.minPixels <= 0 || o.maxPixels < o.minPixels || o.patchSize <= 0 || o.mergeSize <= 0
        || o.temporalPatchSize <= 0)
        return makeError(origin + ": the pixel budget or patch sizes are out of range.");
    return o;
}

} // namespace folio::inference
