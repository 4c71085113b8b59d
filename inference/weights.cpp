#include "inference/weights.h"

#include "inference/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace folio::inference {

namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

const char* kLmHead = "lm_head.weight";
const char* kEmbed = "model.embed_tokens.weight";

} // namespace

std::vector<ParameterSpec> modelParameters(const ModelConfig& config, bool withLmHead)
{
    std::vector<ParameterSpec> p;
    const VisionConfig& v = config.vision;
    const int64_t c = v.hiddenSize;
    const int64_t merged = c * v.spatialMergeSize * v.spatialMergeSize;
    p.push_back({"visual.patch_embed.proj.weight", {c, v.inChannels, v.temporalPatchSize, v.patchSize, v.patchSize}});
    for (int64_t j = 0; j < v.depth; ++j) {
        const std::string b = "visual.blocks." + std::to_string(j) + ".";
        p.push_back({b + "norm1.weight", {c}});
        p.push_back({b + "norm2.weight", {c}});
        p.push_back({b + "attn.qkv.weight", {3 * c, c}});
        p.push_back({b + "attn.qkv.bias", {3 * c}});
        p.push_back({b + "attn.proj.weight", {c, c}});
        p.push_back({b + "attn.proj.bias", {c}});
        p.push_back({b + "mlp.gate_proj.weight", {v.intermediateSize, c}});
        p.push_back({b + "mlp.gate_proj.bias", {v.intermediateSize}});
        p.push_back({b + "mlp.up_proj.weight", {v.intermediateSize, c}});
        p.push_back({b + "mlp.up_proj.bias", {v.intermediateSize}});
        p.push_back({b + "mlp.down_proj.weight", {c, v.intermediateSize}});
        p.push_back({b + "mlp.down_proj.bias", {c}});
    }
    p.push_back({"visual.merger.ln_q.weight", {c}});
    p.push_back({"visual.merger.mlp.0.weight", {merged, merged}});
    p.push_back({"visual.merger.mlp.0.bias", {merged}});
    p.push_back({"visual.merger.mlp.2.weight", {v.outHiddenSize, merged}});
    p.push_back({"visual.merger.mlp.2.bias", {v.outHiddenSize}});

    const TextConfig& t = config.text;
    const int64_t d = t.hiddenSize;
    const int64_t q = t.numAttentionHeads * t.headDim;
    const int64_t kv = t.numKeyValueHeads * t.headDim;
    p.push_back({kEmbed, {t.vocabSize, d}});
    for (int64_t i = 0; i < t.numHiddenLayers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        p.push_back({l + "input_layernorm.weight", {d}});
        p.push_back({l + "self_attn.q_proj.weight", {q, d}});
        p.push_back({l + "self_attn.q_proj.bias", {q}});
        p.push_back({l + "self_attn.k_proj.weight", {kv, d}});
        p.push_back({l + "self_attn.k_proj.bias", {kv}});
        p.push_back({l + "self_attn.v_proj.weight", {kv, d}});
        p.push_back({l + "self_attn.v_proj.bias", {kv}});
        p.push_back({l + "self_attn.o_proj.weight", {d, q}});
        p.push_back({l + "post_attention_layernorm.weight", {d}});
        p.push_back({l + "mlp.gate_proj.weight", {t.intermediateSize, d}});
        p.push_back({l + "mlp.up_proj.weight", {t.intermediateSize, d}});
        p.push_back({l + "mlp.down_proj.weight", {d, t.intermediateSize}});
    }
    p.push_back({"model.norm.weight", {d}});
    if (withLmHead)
        p.push_back({kLmHead, {t.vocabSize, d}});
    return p;
}

std::string canonicalWeightName(const std::string& key)
{
    // Order matters: the longer prefixes first.
    static const std::pair<const char*, const char*> kRenames[] = {
        {"model.language_model.", "model."},
        {"language_model.model.", "model."},
        {"language_model.lm_head.", "lm_head."},
        {"model.visual.", "visual."},
    };
    for (const auto& [from, to] : kRenames)
        if (startsWith(key, from))
            return to + key.substr(std::string(from).size());
    return key;
}

Result<Weights> Weights::load(const Checkpoint& checkpoint, const ModelConfig& config, at::ScalarType dtype,
                              at::Device device, const std::atomic<bool>* stop)
{
    // Which checkpoint key provides each model name; two spellings of one name is an error.
    std::map<std::string, std::string> source;
    for (const std::string& key : checkpoint.names()) {
        const std::string name = canonicalWeightName(key);
        auto [it, inserted] = source.emplace(name, key);
        if (!inserted)
            return makeError("The checkpoint stores the weight '" + name + "' twice, as '" + it->second + "' in "
                             + checkpoint.fileOf(it->second) + " and as '" + key + "' in " + checkpoint.fileOf(key)
                             + ".");
    }

    Weights w;
    w.m_tied = config.tieWordEmbeddings.value_or(source.count(kLmHead) == 0);
    const std::vector<ParameterSpec> specs = modelParameters(config, !w.m_tied);

    std::set<std::string> expected;
    for (const ParameterSpec& spec : specs)
        expected.insert(spec.name);
    for (const auto& [name, key] : source) {
        if (!expected.count(name)) {
            const std::string why = name == kLmHead
                ? " (config.json says tie_word_embeddings: true, so the model has no separate lm_head)"
                : "";
            return makeError("Unexpected weight '" + key + "' in " + checkpoint.fileOf(key) + ", shape "
                             + shapeText(checkpoint.shape(key)) + ": the Qwen2.5-VL model described by config.json "
                             + "has no such parameter" + why + ".");
        }
    }

    // Shapes of what is there first (a wrong config shows up as a shape error, not as a list
    // of missing keys), then what is missing.
    for (const ParameterSpec& spec : specs) {
        auto it = source.find(spec.name);
        if (it == source.end())
            continue;
        const std::string& key = it->second;
        const std::vector<int64_t> shape = checkpoint.shape(key);
        if (shape != spec.shape)
            return makeError("The weight '" + key + "' in " + checkpoint.fileOf(key) + " has shape " + shapeText(shape)
                             + ", but config.json implies " + shapeText(spec.shape) + ".");
    }
    for (const ParameterSpec& spec : specs)
        if (!source.count(spec.name))
            return makeError("The checkpoint is missing the weight '" + spec.name + "' (shape "
                             + shapeText(spec.shape) + " expected from config.json).");

    try {
        for (const ParameterSpec& spec : specs) {
            if (stop && stop->load())
                return makeError("Loading the weights was cancelled.");
            w.m_tensors.emplace(spec.name, checkpoint.tensor(source.at(spec.name)).to(device, dtype));
        }
    } catch (const std::exception& e) {
        return makeError(std::string("Cannot convert the checkpoint weights to the run dtype/device: ") + e.what());
    }
    return w;
}

Weights Weights::random(const ModelConfig& config, at::ScalarType dtype, at::Device device, uint64_t seed)
{
    Weights w;
    w.m_tied = config.tieWordEmbeddings.value_or(true);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (const ParameterSpec& spec : modelParameters(config, !w.m_tied)) {
        at::Tensor t = at::empty(spec.shape, at::TensorOptions().dtype(dtype));
        const bool isNorm = spec.shape.size() == 1 && spec.name.find("norm") != std::string::npos;
        if (isNorm) {
            t.fill_(1.0);
        } else {
            // fan_in = product of every dimension but the first (a bias uses its own length).
            int64_t fanIn = 1;
            for (std::size_t i = spec.shape.size() > 1 ? 1 : 0; i < spec.shape.size(); ++i)
                fanIn *= spec.shape[i];
            const double bound = std::sqrt(3.0 / static_cast<double>(fanIn));
            t.uniform_(-bound, bound, gen);
        }
        w.m_tensors.emplace(spec.name, t.to(device));
    }
    return w;
}

const at::Tensor& Weights::get(const std::string& name) const
{
    auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        throw std::out_of_range("Weights::get: no parameter '" + name + "'");
    return it->second;
}

const at::Tensor& Weights::lmHead() const
{
    return get(m_tied ? kEmbed : kLmHead);
}

int64_t Weights::totalBytes() const
{
    int64_t bytes = 0;
    for (const auto& [name, t] : m_tensors)
        bytes += t.numel() * static_cast<int64_t>(t.element_size());
    return bytes;
}

} // namespace folio::inference
