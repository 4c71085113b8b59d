#pragma once
// Prefill + decode loop over a TextModel for one request (spec 5.4 and 6).
//
// The caller provides the prompt's token ids, its input embeddings with the vision rows already
// scattered in (mergeVisionEmbeddings), and the M-RoPE position ids and rope delta of the
// prompt. Decode steps use position = cache length + rope delta on all three axes.
//
// Speculative decoding (greedy only): when a DraftSource is given, each decode step feeds the
// last token plus the draft's k tokens in one forward pass over the KV cache (causal within
// the k, positions continuing from the cache), accepts the longest prefix of the draft that
// greedy decoding would have produced, takes the model's own token after it, and drops the
// rejected tail from the cache by resetting its length. The ids are exactly those of decoding
// one token at a time, up to float rounding in the wider step (exact in float32 on the
// fixture model; see tests). Under sampling drafts are not used (no acceptance rule is
// implemented), so sampled output is unchanged too.
//
// Runs on the calling thread; `stop` may be set from any thread and is checked before every
// forward pass (every verification step) and after every token, and before every prefill layer when settings.prefillHook carries it (then Cancelled
// is thrown). The token callback runs on the
// calling thread once per generated token, in order, as tokens are accepted.

#include "inference/config.h"
#include "inference/layerhook.h"
#include "inference/result.h"
#include "inference/ropeindex.h"
#include "inference/sampler.h"
#include "inference/stopreason.h"

#include <ATen/ATen.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace folio::inference {

class DraftSource;
class TextModel;

struct GeneratorSettings {
    int64_t maxNewTokens = 0;
    std::vector<int64_t> stopIds; // generation ends after emitting one of these
    SamplingParams sampling;
    const LayerHook* prefillHook = nullptr; // stop checks and progress between prefill layers
    DraftSource* drafts = nullptr; // not owned; greedy only (ignored when sampling)
};

struct GeneratorOutput {
    std::vector<int64_t> generatedIds; // including the stop token, if one ended the generation
    std::vector<float> logprobs;       // per generated token: log p under the model's own distribution
    StopReason stopReason = StopReason::MaxTokens;
    double prefillMs = 0.0;
    double decodeMs = 0.0;         // all decode steps together (the tokens after the first)
    int64_t decodeSteps = 0;       // forward passes after the prefill (verification steps)
    int64_t draftedTokens = 0;     // draft tokens fed to those passes
    int64_t acceptedDraftTokens = 0;
    // Tokens after the first per decode step: 1 without drafts.
    double tokensPerStep() const
    {
        return decodeSteps > 0 ? static_cast<double>(generatedIds.size() - 1) / static_cast<double>(decodeSteps) : 0.0;
    }
};

// Replaces the rows of inputsEmbeds [L, D] whose id equals tokenId by the rows of embeds
// [n, D] in order (cast to the embedding dtype). An error when the number of such tokens is not
// n ("image features and image tokens do not match").
Result<at::Tensor> mergeVisionEmbeddings(const at::Tensor& inputsEmbeds, const std::vector<int64_t>& inputIds,
                                         int64_t tokenId, const at::Tensor& embeds, const char* kind);

// The rope-index parameters (token ids, merge size, tokens per second) of a model.
RopeIndexParams ropeIndexParams(const ModelConfig& config);

class Generator {
public:
    // The model must outlive the generator.
    explicit Generator(const TextModel& model);

    // The token and its log-probability under the unmodified model distribution (before
    // temperature, top-k/p and repetition penalty), as OpenAI-style logprobs report it.
    using TokenCallback = std::function<void(int64_t tokenId, float logprob)>;

    // inputsEmbeds [L, D], positionIds [3, L] int64.
    GeneratorOutput run(const std::vector<int64_t>& inputIds, const at::Tensor& inputsEmbeds,
                        const at::Tensor& positionIds, int64_t ropeDelta, const GeneratorSettings& settings,
                        const TokenCallback& onToken, const std::atomic<bool>* stop) const;

private:
    const TextModel& m_model;
};

} // namespace folio::inference
