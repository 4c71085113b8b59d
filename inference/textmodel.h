#pragma once
// The Qwen2 decoder of Qwen2.5-VL (spec section 5): token embedding, layers of GQA attention
// with multimodal RoPE (contiguous t/h/w frequency sections) and SwiGLU MLP, final RMSNorm and
// the (possibly tied) output projection. One sequence at a time (batch 1).
//
// The matrices are LinearWeights (dense, or packed int8/int4, weights.h): decode steps and
// verification steps run the matrix × few-vectors kernels, prefill a GEMM per tile.
//
// Holds references into a Weights object that must outlive it. Const and stateless apart from
// the KvCache passed in; drive one instance from one thread at a time.

#include "inference/config.h"
#include "inference/layerhook.h"
#include "inference/linearweight.h"

#include <ATen/ATen.h>

#include <vector>

namespace folio::inference {

class KvCache;
class Weights;

class TextModel {
public:
    TextModel(const TextConfig& config, const Weights& weights);

    // Embedding rows of inputIds [L] (int64, any device) -> [L, hidden] in the run dtype.
    at::Tensor embed(const at::Tensor& inputIds) const;

    // Runs the decoder over inputsEmbeds [L, hidden] at positionIds [3, L] (t, h, w rows), after
    // the tokens already in `cache`, and appends their keys/values. Returns the final-normed
    // hidden states [L, hidden]. hiddenStates, if given, receives what HF's
    // output_hidden_states holds: the inputs, the output of every layer but the last, and the
    // final-normed output. With a hook (prefill), its stop flag is checked before every layer
    // (Cancelled is thrown, nothing is committed to the cache) and it hears of every finished one.
    at::Tensor forward(const at::Tensor& inputsEmbeds, const at::Tensor& positionIds, KvCache& cache,
                       std::vector<at::Tensor>* hiddenStates = nullptr, const LayerHook* hook = nullptr) const;

    // hidden [..., hidden] -> float32 logits [..., vocab].
    at::Tensor logits(const at::Tensor& hidden) const;

    // A cache sized for `capacity` tokens on the model's device and dtype.
    KvCache makeCache(int64_t capacity) const;

    const TextConfig& config() const { return m_config; }

private:
    struct Layer {
        at::Tensor inputNorm;
        LinearWeight q, k, v, o; // q, k, v with their biases
        at::Tensor postNorm;
        LinearWeight gate, up, down;
    };

    // cos, sin [L, headDim] in the run dtype for positionIds [3, L].
    std::pair<at::Tensor, at::Tensor> rotary(const at::Tensor& positionIds) const;

    TextConfig m_config;
    LinearWeight m_embed;
    std::vector<Layer> m_layers;
    at::Tensor m_norm; // its dtype and device are the run's
    LinearWeight m_lmHead;
    at::Tensor m_invFreq; // [headDim/2] float32, kept float32 whatever the run dtype
};

} // namespace folio::inference
