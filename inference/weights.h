#pragma once
// The full set of Qwen2.5-VL parameters for one ModelConfig, loaded strictly from a checkpoint
// (or filled with random values for benchmarks).
//
// Names are the released checkpoints' keys ("visual.blocks.0.attn.qkv.weight",
// "model.layers.0.self_attn.q_proj.weight", "lm_head.weight"). Files re-saved by transformers
// >= 4.52 ("model.visual.*", "model.language_model.*", "language_model.lm_head.weight") are mapped
// to these names (spec 2.2). Loading is one-to-one: a key the model does not have, a key it needs
// that the checkpoint lacks, a key stored under two spellings or a shape that disagrees with
// config.json is an error naming the key, the file and the shapes.
//
// Tensors are converted to the run dtype/device once; when they already match (a bf16
// checkpoint run in bf16 on the CPU) they stay zero-copy views of the mapped files and must not
// be written. Immutable after construction; const calls may run concurrently.
//
// The decoder's matrices (q/k/v/o, gate/up/down), the embedding and lm_head are also available
// as LinearWeights (linear()). Unquantized they wrap the tensors above (no copy). Under
// QuantScheme::Int8 / Int4 they are packed at load time instead: the decoder's linear layers
// into int8 per output row / int4 in groups of 32, the embedding and lm_head into int8 per row
// whatever the scheme (the vocabulary projection is where a coarse format costs the most
// fidelity for the fewest bytes; see tst_quantfidelity), a tied embedding once for both uses.
// A packed matrix has no dense copy: its source pages are given back as soon as it is packed
// (a cache hit never touches them), so memory holds the packed bytes only. The vision tower
// stays in the run dtype.

#include "inference/config.h"
#include "inference/linearweight.h"
#include "inference/quantscheme.h"
#include "inference/result.h"

#include <ATen/ATen.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace folio::inference {

class Checkpoint;

struct ParameterSpec {
    std::string name;
    std::vector<int64_t> shape;
};

// Every parameter the model needs for `config`, in module order. `withLmHead` adds an untied
// "lm_head.weight".
std::vector<ParameterSpec> modelParameters(const ModelConfig& config, bool withLmHead);

// Maps a checkpoint key of any supported layout to the released name (spec 2.2).
std::string canonicalWeightName(const std::string& key);

// How the matrices are packed, and where packed weights are cached (packcache.h).
struct PackOptions {
    QuantScheme quant = QuantScheme::None;
    // The pack cache directory; empty: no cache (pack at every load). Ignored without a quant.
    std::string cacheDir;
    std::string modelDir; // names the cache file
};

// The format each matrix of the decoder side gets under `quant` (Dense: not packed).
WeightFormat packedFormat(const std::string& name, QuantScheme quant);

class Weights {
public:
    // Tying: config.tieWordEmbeddings when the file states it, else tied iff the checkpoint has
    // no lm_head.weight. `stop` (any thread) is checked before each tensor; a stopped load
    // returns an error. With a quant scheme the matrices are packed (or mapped from the pack
    // cache, which is rebuilt when stale or damaged); packReport() says what the cache did.
    static Result<Weights> load(const Checkpoint& checkpoint, const ModelConfig& config, at::ScalarType dtype,
                                at::Device device, const std::atomic<bool>* stop = nullptr,
                                const PackOptions& pack = {});
    // Random values of a plausible scale (norm weights 1, matrices ~1/sqrt(fan_in)); tied
    // according to config.tieWordEmbeddings (default tied), packed under `quant` one tensor at a
    // time, as a load packs. For timing, not for text.
    static Weights random(const ModelConfig& config, at::ScalarType dtype, at::Device device, uint64_t seed,
                          QuantScheme quant = QuantScheme::None);

    // The dense tensor of a name from modelParameters() (every one unquantized; the vision
    // tower, norms and biases under a quant scheme). Throws std::out_of_range otherwise.
    const at::Tensor& get(const std::string& name) const;
    // A decoder matrix, "model.embed_tokens.weight" or "lm_head.weight" (q/k/v with their
    // biases). Throws std::out_of_range for another name.
    const LinearWeight& linear(const std::string& name) const;
    // The output projection: lm_head.weight, or the embedding when tied.
    const LinearWeight& lmHead() const;
    bool tied() const { return m_tied; }
    QuantScheme quant() const { return m_quant; }
    // Every parameter's bytes as held (packed matrices packed, a tied matrix once).
    int64_t totalBytes() const;
    // The weight bytes one decode step reads: the decoder's layers, final norm and lm_head
    // (the embedding only as a gather of one row, left out).
    int64_t decodeBytesPerToken() const;
    // What the pack cache did on load: "hit <file>", "written <file>", "not used: <why>";
    // empty without a quant scheme.
    const std::string& packReport() const { return m_packReport; }

private:
    std::map<std::string, at::Tensor> m_tensors;
    std::map<std::string, LinearWeight> m_linear;
    bool m_tied = true;
    QuantScheme m_quant = QuantScheme::None;
    std::string m_packReport;
};

} // namespace folio::inference
