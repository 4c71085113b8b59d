#include "inference/config.h"

#include "inference/imageprocessor.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
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
                // get<T>() would wrap 2^64-1 to -1 and hide what the file said.
                if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max()))
                    throw std::runtime_error("too large");
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

// Upper bounds on what config files may ask for, far above every released Qwen2.5-VL (72B:
// hidden 8192, 80 layers, 64 heads, intermediate 29568, vocab 152064; vision 32 blocks of 1280)
// so that a corrupt or hostile file fails here, naming the key and the bound, before anything
// is sized from it (1,000,000 layers once built a 3.6 GB parameter list before failing).
namespace bound {
constexpr int64_t kVocab = int64_t(1) << 21;
constexpr int64_t kHidden = 65536;
constexpr int64_t kIntermediate = 262144;
constexpr int64_t kLayers = 1024;
constexpr int64_t kHeads = 1024;
constexpr int64_t kHeadDim = 1024;
constexpr int64_t kChannels = 16;
constexpr int64_t kPatch = 128;
constexpr int64_t kTemporalPatch = 16;
constexpr int64_t kMerge = 16;
constexpr int64_t kWindow = 8192; // pixels
constexpr int64_t kPixels = int64_t(1) << 28; // 16384 x 16384
constexpr int64_t kTopK = int64_t(1) << 21;
constexpr double kRopeTheta = 1e12;
} // namespace bound

void inRange(FieldReader& r, int64_t value, const char* key, int64_t lo, int64_t hi)
{
    if (value < lo || value > hi)
        r.fail(std::string("field \"") + key + "\" is " + std::to_string(value) + ", outside the bounds "
               + std::to_string(lo) + ".." + std::to_string(hi));
}

// `loOpen`: the lower bound itself is out too (an epsilon or a theta of 0).
void inRange(FieldReader& r, double value, const char* key, double lo, double hi, bool loOpen)
{
    if ((loOpen ? value <= lo : value < lo) || value > hi) {
        std::ostringstream os;
        os << "field \"" << key << "\" is " << value << ", outside the bounds " << (loOpen ? "(" : "[") << lo
           << ", " << hi << "]";
        r.fail(os.str());
    }
}

void positive(FieldReader& r, int64_t value, const char* key, int64_t hi)
{
    inRange(r, value, key, 1, hi);
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
    positive(r, t.vocabSize, "vocab_size", bound::kVocab);
    positive(r, t.hiddenSize, "hidden_size", bound::kHidden);
    positive(r, t.intermediateSize, "intermediate_size", bound::kIntermediate);
    positive(r, t.numHiddenLayers, "num_hidden_layers", bound::kLayers);
    positive(r, t.numAttentionHeads, "num_attention_heads", bound::kHeads);
    positive(r, t.numKeyValueHeads, "num_key_value_heads", bound::kHeads);
    inRange(r, t.rmsNormEps, "rms_norm_eps", 0.0, 1.0, true);
    if (r.failed())
        return makeError(r.error());

    if (r.find({textCfg, &root}, "head_dim")) {
        if (r.get({textCfg, &root}, "head_dim", inText, t.headDim))
            positive(r, t.headDim, "head_dim", bound::kHeadDim);
    } else if (t.hiddenSize % t.numAttentionHeads == 0)
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
    inRange(r, t.ropeTheta, "rope_theta", 0.0, bound::kRopeTheta, true);
    for (int64_t s : t.mropeSection)
        inRange(r, s, "mrope_section", 0, bound::kHeadDim);
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
    if (r.failed())
        return makeError(r.error());
    // Token ids index the embedding: one outside the vocabulary would read past it.
    const int64_t lastToken = t.vocabSize - 1;
    inRange(r, k.bos, "bos_token_id", 0, lastToken);
    inRange(r, k.eos, "eos_token_id", 0, lastToken);
    inRange(r, k.visionStart, "vision_start_token_id", 0, lastToken);
    inRange(r, k.visionEnd, "vision_end_token_id", 0, lastToken);
    inRange(r, k.image, "image_token_id", 0, lastToken);
    inRange(r, k.video, "video_token_id", 0, lastToken);

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
    positive(r, v.depth, "vision_config.depth", bound::kLayers);
    positive(r, v.hiddenSize, "vision_config.hidden_size", bound::kHidden);
    positive(r, v.numHeads, "vision_config.num_heads", bound::kHeads);
    positive(r, v.intermediateSize, "vision_config.intermediate_size", bound::kIntermediate);
    positive(r, v.inChannels, "vision_config.in_channels", bound::kChannels);
    positive(r, v.patchSize, "vision_config.patch_size", bound::kPatch);
    positive(r, v.temporalPatchSize, "vision_config.temporal_patch_size", bound::kTemporalPatch);
    positive(r, v.spatialMergeSize, "vision_config.spatial_merge_size", bound::kMerge);
    positive(r, v.windowSize, "vision_config.window_size", bound::kWindow);
    inRange(r, v.tokensPerSecond, "vision_config.tokens_per_second", 0.0, 1e6, true);
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
    inRange(r, g.temperature, "temperature", 0.0, 1e6, false);
    inRange(r, g.topK, "top_k", 0, bound::kTopK);
    inRange(r, g.topP, "top_p", 0.0, 1.0, false);
    inRange(r, g.repetitionPenalty, "repetition_penalty", 0.0, 1e6, true);
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
    int64_t patch = 0, temporalPatch = 0, merge = 0; // read wide, bounded, then narrowed
    const json* size = r.find({&root}, "size");
    if (size && size->is_object() && size->contains("shortest_edge")) {
        r.get({size}, "shortest_edge", " in size", o.minPixels);
        r.get({size}, "longest_edge", " in size", o.maxPixels);
    } else {
        r.get({&root}, "min_pixels", " (nor size.shortest_edge)", o.minPixels);
        r.get({&root}, "max_pixels", " (nor size.longest_edge)", o.maxPixels);
    }
    r.get({&root}, "patch_size", "", patch);
    r.get({&root}, "temporal_patch_size", "", temporalPatch);
    r.get({&root}, "merge_size", "", merge);
    std::vector<double> mean, stdv;
    r.get({&root}, "image_mean", "", mean);
    r.get({&root}, "image_std", "", stdv);
    if (r.failed())
        return makeError(r.error());
    positive(r, o.minPixels, "min_pixels", bound::kPixels);
    inRange(r, o.maxPixels, "max_pixels", std::max<int64_t>(o.minPixels, 1), bound::kPixels);
    positive(r, patch, "patch_size", bound::kPatch);
    positive(r, temporalPatch, "temporal_patch_size", bound::kTemporalPatch);
    positive(r, merge, "merge_size", bound::kMerge);
    if (r.failed())
        return makeError(r.error());
    if (mean.size() != 3 || stdv.size() != 3)
        return makeError(origin + ": image_mean and image_std must hold 3 values (R, G, B).");
    for (std::size_t i = 0; i < 3; ++i) {
        inRange(r, mean[i], "image_mean", -1e3, 1e3, false);
        inRange(r, stdv[i], "image_std", 0.0, 1e3, true); // pixels are divided by it
    }
    if (r.failed())
        return makeError(r.error());
    o.patchSize = static_cast<int>(patch);
    o.temporalPatchSize = static_cast<int>(temporalPatch);
    o.mergeSize = static_cast<int>(merge);
    std::transform(mean.begin(), mean.end(), o.mean.begin(), [](double x) { return static_cast<float>(x); });
    std::transform(stdv.begin(), stdv.end(), o.std.begin(), [](double x) { return static_cast<float>(x); });
    return o;
}

} // namespace folio::inference
