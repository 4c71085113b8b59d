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

#include "inference/config.h"
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

class Weights {
public:
    // Tying: config.tieWordEmbeddings when the file states it, else tied iff the checkpoint has
    // no lm_head.weight. `stop` (any thread) is checked before each tensor; a stopped load
    // returns an error.
    static Result<Weights> load(const Checkpoint& checkpoint, const ModelConfig& config, at::ScalarType dtype,
                                at::Device device, const std::atomic<bool>* stop = nullptr);
    // Random values of a plausible scale (norm weights 1, matrices ~1/sqrt(fan_in)); tied
    // according to config.tieWordEmbeddings (default tied). For timing, not for text.
    static Weights random(const ModelConfig& config, at::ScalarType dtype, at::Device device, uint64_t seed);

    // Requires a name from modelParameters(); throws std::out_of_range otherwise (a bug).
    const at::Tensor& get(const std::string& name) const;
    // The output projection: lm_head.weight, or the embedding when tied.
    const at::Tensor& lmHead() const;
    bool tied() const { return m_tied; }
    int64_t totalBytes() const;

private:
    std::map<std::string, at::Tensor> m_tensors;
    bool m_tied = true;
};

} // namespace folio::inference
