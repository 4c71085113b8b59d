#pragma once
// Next-token choice from one step's logits, in Hugging Face generate()'s order (transformers
// 4.50): fp32 → repetition penalty → [sampling only: temperature → top-k → top-p] → greedy
// argmax, or softmax + multinomial draw from a seeded generator.
//
// Threads: a Sampler is used by one thread (the generator's); next() advances its random
// generator. Copies share that generator (at::Generator is a shared handle), so give each
// thread its own Sampler; construction is cheap.

#include "inference/result.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace folio::inference {

struct SamplingParams {
    bool doSample = false; // false: greedy (argmax after the repetition penalty)
    float temperature = 1.0f; // > 0; only used when sampling
    int topK = 0; // 0 = off; only used when sampling
    float topP = 1.0f; // in [0, 1]; 1 = off; only used when sampling
    float repetitionPenalty = 1.0f; // > 0; 1 = off; applies to greedy decoding too
    uint64_t seed = 0; // seeds the CPU generator used for sampling
};

class Sampler {
public:
    // Checks the ranges above; the message names the offending setting and value.
    static Result<void> validate(const SamplingParams& params);

    // Requires validate(params).ok(); throws std::invalid_argument otherwise.
    explicit Sampler(const SamplingParams& params);

    const SamplingParams& params() const { return m_params; }

    // The scores the choice is made from: fp32 CPU [V] copy of `logits` after the penalty
    // and, when sampling, temperature, top-k and top-p (removed entries are -inf).
    // `logits`: [V], any floating dtype, any device. `sequenceSoFar`: every id of the
    // sequence, prompt included; each distinct id is penalised once. Throws
    // std::invalid_argument for a non-1-D/non-float tensor or an id outside [0, V).
    at::Tensor process(const at::Tensor& logits, const std::vector<int64_t>& sequenceSoFar) const;

    // The next token id. Greedy ties go to the lowest id, as torch.argmax does.
    int64_t next(const at::Tensor& logits, const std::vector<int64_t>& sequenceSoFar);

private:
    SamplingParams m_params;
    at::Generator m_generator;
};

} // namespace folio::inference
