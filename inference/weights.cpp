#include "inference/weights.h"

#include "inference/packcache.h"
#include "inference/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <filesystem>
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

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// q/k/v/o and gate/up/down of a decoder layer.
bool isDecoderMatrix(const std::string& name)
{
    if (!startsWith(name, "model.layers."))
        return false;
    for (const char* m : {".q_proj.weight", ".k_proj.weight", ".v_proj.weight", ".o_proj.weight", ".gate_proj.weight",
                          ".up_proj.weight", ".down_proj.weight"})
        if (endsWith(name, m))
            return true;
    return false;
}

bool isLinearName(const std::string& name)
{
    return isDecoderMatrix(name) || name == kEmbed || name == kLmHead;
}

// The bias that belongs to a matrix (q/k/v have one), or an undefined tensor.
at::Tensor biasOf(const std::map<std::string, at::Tensor>& dense, const std::string& matrix)
{
    const auto it = dense.find(matrix.substr(0, matrix.size() - std::string("weight").size()) + "bias");
    return it == dense.end() ? at::Tensor() : it->second;
}

std::string dtypeName(at::ScalarType dtype)
{
    return dtype == at::kBFloat16 ? "bf16" : dtype == at::kFloat ? "f32" : c10::toString(dtype);
}

int64_t tensorBytes(const at::Tensor& t)
{
    return t.numel() * static_cast<int64_t>(t.element_size());
}

// The components of a packed weight as cache entries: "<name>#<i>".
std::string bufferName(const std::string& name, std::size_t i)
{
    return name + "#" + std::to_string(i);
}

// Packed matrices for one load: mapped from a valid cache file, or packed from the checkpoint
// and written to a new one. The cache is an optimisation: when it cannot be read or written the
// load goes on without it, and the report says why.
class PackSession {
public:
    PackSession(const Checkpoint& checkpoint, const PackOptions& options, at::ScalarType dtype,
                const std::vector<std::pair<std::string, WeightFormat>>& packed,
                const std::map<std::string, std::vector<int64_t>>& shapes)
    {
        if (options.cacheDir.empty()) {
            m_report = "not used: no cache directory ($XDG_CACHE_HOME and $HOME are unset)";
            return;
        }
        auto key = packCacheKey(checkpoint.files(), options.quant, dtypeName(dtype));
        if (!key) {
            m_report = "not used: " + key.error();
            return;
        }
        m_path = packCachePath(options.cacheDir, options.modelDir, options.quant, dtypeName(dtype));
        std::string why;
        if (std::filesystem::exists(m_path)) {
            auto reader = PackCacheReader::open(m_path, *key);
            if (reader && matches(**reader, packed, shapes))
                m_reader = *reader;
            else
                why = (reader ? m_path + " holds other layouts than this build packs" : reader.error()) + "; rebuilt it";
        }
        if (m_reader) {
            m_report = "hit " + m_path;
            return;
        }
        auto writer = PackCacheWriter::create(m_path, *key);
        if (!writer) {
            m_report = "not used: " + writer.error();
            return;
        }
        m_writer = std::move(*writer);
        m_report = why.empty() ? "written " + m_path : why;
    }

    LinearWeight get(const Checkpoint& checkpoint, const std::string& key, const std::string& name,
                     WeightFormat format, const std::vector<int64_t>& shape, const at::Tensor& bias)
    {
        if (m_reader) {
            std::vector<LinearWeight::Buffer> views;
            for (std::size_t i = 0; i < LinearWeight::bufferSizes(format, shape[0], shape[1]).size(); ++i) {
                const at::Tensor t = m_reader->tensor(bufferName(name, i));
                views.push_back({t.data_ptr(), static_cast<std::size_t>(t.numel())});
            }
            return LinearWeight::fromBuffers(format, shape[0], shape[1], views, m_reader, bias);
        }
        LinearWeight weight = LinearWeight::pack(checkpoint.tensor(key), format, bias);
        checkpoint.release(key);
        if (m_writer) {
            const std::vector<LinearWeight::Buffer> buffers = weight.buffers();
            for (std::size_t i = 0; i < buffers.size() && m_writer; ++i) {
                const at::Tensor bytes = at::from_blob(const_cast<void*>(buffers[i].data),
                                                       {static_cast<int64_t>(buffers[i].bytes)}, at::kByte);
                if (auto added = m_writer->add(bufferName(name, i), bytes); !added)
                    abandon(added.error());
            }
        }
        return weight;
    }

    // After every matrix: the new cache file goes into place.
    std::string finish()
    {
        if (m_writer) {
            if (auto committed = m_writer->commit(); !committed)
                abandon(committed.error());
        }
        return m_report;
    }

private:
    // Every component of every packed matrix is in the file, with the size this build packs.
    static bool matches(const PackCacheReader& reader, const std::vector<std::pair<std::string, WeightFormat>>& packed,
                        const std::map<std::string, std::vector<int64_t>>& shapes)
    {
        for (const auto& [name, format] : packed) {
            const std::vector<int64_t>& shape = shapes.at(name);
            const std::vector<std::size_t> sizes = LinearWeight::bufferSizes(format, shape[0], shape[1]);
            for (std::size_t i = 0; i < sizes.size(); ++i)
                if (!reader.contains(bufferName(name, i))
                    || static_cast<std::size_t>(reader.tensor(bufferName(name, i)).numel()) != sizes[i])
                    return false;
        }
        return true;
    }

    void abandon(const std::string& error)
    {
        m_writer.reset(); // removes the temporary file
        m_report = "not used: " + error;
    }

    std::string m_path;
    std::shared_ptr<PackCacheReader> m_reader;
    std::unique_ptr<PackCacheWriter> m_writer;
    std::string m_report;
};

} // namespace

WeightFormat packedFormat(const std::string& name, QuantScheme quant)
{
    if (quant == QuantScheme::None)
        return WeightFormat::Dense;
    if (name == kEmbed || name == kLmHead)
        return WeightFormat::Int8;
    if (isDecoderMatrix(name))
        return quant == QuantScheme::Int8 ? WeightFormat::Int8 : WeightFormat::Int4;
    return WeightFormat::Dense;
}

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
                              at::Device device, const std::atomic<bool>* stop, const PackOptions& pack)
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

    w.m_quant = pack.quant;
    std::vector<std::pair<std::string, WeightFormat>> packed;
    std::map<std::string, std::vector<int64_t>> shapes;
    try {
        // The dense tensors first: the packed matrices take their biases along.
        for (const ParameterSpec& spec : specs) {
            if (stop && stop->load())
                return makeError("Loading the weights was cancelled.");
            const WeightFormat format = packedFormat(spec.name, pack.quant);
            if (format == WeightFormat::Dense) {
                w.m_tensors.emplace(spec.name, checkpoint.tensor(source.at(spec.name)).to(device, dtype));
            } else {
                packed.emplace_back(spec.name, format);
                shapes.emplace(spec.name, spec.shape);
            }
        }
    } catch (const std::exception& e) {
        return makeError(std::string("Cannot convert the checkpoint weights to the run dtype/device: ") + e.what());
    }
    if (pack.quant == QuantScheme::None) {
        for (const ParameterSpec& spec : specs)
            if (isLinearName(spec.name))
                w.m_linear.emplace(spec.name, LinearWeight(w.m_tensors.at(spec.name), biasOf(w.m_tensors, spec.name)));
        return w;
    }
    try {
        PackSession session(checkpoint, pack, dtype, packed, shapes);
        for (const auto& [name, format] : packed) {
            if (stop && stop->load())
                return makeError("Loading the weights was cancelled.");
            w.m_linear.emplace(name, session.get(checkpoint, source.at(name), name, format, shapes.at(name),
                                                 biasOf(w.m_tensors, name)));
        }
        w.m_packReport = session.finish();
    } catch (const std::exception& e) {
        return makeError(std::string("Cannot pack the checkpoint weights as ") + quantSchemeName(pack.quant) + ": "
                         + e.what());
    }
    return w;
}

Weights Weights::random(const ModelConfig& config, at::ScalarType dtype, at::Device device, uint64_t seed,
                        QuantScheme quant)
{
    Weights w;
    w.m_tied = config.tieWordEmbeddings.value_or(true);
    w.m_quant = quant;
    const std::vector<ParameterSpec> specs = modelParameters(config, !w.m_tied);
    // Each parameter from its own generator, so the values do not depend on the order below.
    auto fill = [&](std::size_t index) {
        const ParameterSpec& spec = specs[index];
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
            auto gen = at::make_generator<at::CPUGeneratorImpl>(seed * 1000003 + index);
            t.uniform_(-bound, bound, gen);
        }
        return t;
    };
    // Dense tensors first (the packed matrices take their biases along), then each matrix
    // packed as soon as it is filled: at most one unpacked matrix exists at a time.
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (packedFormat(specs[i].name, quant) == WeightFormat::Dense)
            w.m_tensors.emplace(specs[i].name, fill(i).to(device));
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::string& name = specs[i].name;
        const WeightFormat format = packedFormat(name, quant);
        if (format != WeightFormat::Dense)
            w.m_linear.emplace(name, LinearWeight::pack(fill(i), format, biasOf(w.m_tensors, name)));
        else if (isLinearName(name))
            w.m_linear.emplace(name, LinearWeight(w.m_tensors.at(name), biasOf(w.m_tensors, name)));
    }
    return w;
}

const at::Tensor& Weights::get(const std::string& name) const
{
    auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        throw std::out_of_range("Weights::get: no dense parameter '" + name + "'"
                                + (m_linear.count(name) ? " (it is packed; use linear())" : ""));
    return it->second;
}

const LinearWeight& Weights::linear(const std::string& name) const
{
    auto it = m_linear.find(name);
    if (it == m_linear.end())
        throw std::out_of_range("Weights::linear: no matrix '" + name + "'");
    return it->second;
}

const LinearWeight& Weights::lmHead() const
{
    return linear(m_tied ? kEmbed : kLmHead);
}

int64_t Weights::totalBytes() const
{
    int64_t bytes = 0;
    for (const auto& [name, t] : m_tensors)
        bytes += tensorBytes(t);
    // Unquantized, the linear weights are the dense tensors above.
    if (m_quant != QuantScheme::None)
        for (const auto& [name, weight] : m_linear)
            bytes += static_cast<int64_t>(weight.packedBytes());
    return bytes;
}

int64_t Weights::decodeBytesPerToken() const
{
    int64_t bytes = static_cast<int64_t>(lmHead().packedBytes());
    for (const auto& [name, weight] : m_linear)
        if (isDecoderMatrix(name))
            bytes += static_cast<int64_t>(weight.packedBytes());
    for (const auto& [name, t] : m_tensors)
        if ((startsWith(name, "model.layers.") && !isDecoderMatrix(name)) || name == "model.norm.weight")
            bytes += tensorBytes(t);
    return bytes;
}

} // namespace folio::inference
