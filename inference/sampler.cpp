#include "inference/sampler.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace folio::inference {

Result<void> Sampler::validate(const SamplingParams& params)
{
    if (!(params.repetitionPenalty > 0.0f) || !std::isfinite(params.repetitionPenalty)) {
        return makeError(
            "The repetition penalty must be a positive number, not " + std::to_string(params.repetitionPenalty));
    }
    if (!(params.temperature > 0.0f) || !std::isfinite(params.temperature)) {
        return makeError(
            "The sampling temperature must be a positive number, not " + std::to_string(params.temperature));
    }
    if (params.topK < 0) {
        return makeError("top-k must be 0 (off) or a positive count, not " + std::to_string(params.topK));
    }
    if (!(params.topP >= 0.0f && params.topP <= 1.0f)) {
        return makeError("top-p must lie between 0 and 1, not " + std::to_string(params.topP));
    }
    return {};
}

Sampler::Sampler(const SamplingParams& params)
    : m_params(params)
    , m_generator(at::detail::createCPUGenerator(params.seed))
{
    if (auto ok = validate(params); !ok) {
        throw std::invalid_argument(ok.error());
    }
}

at::Tensor Sampler::process(const at::Tensor& logits, const std::vector<int64_t>& sequenceSoFar) const
{
    if (logits.dim() != 1 || logits.numel() == 0 || !at::isFloatingType(logits.scalar_type())) {
        throw std::invalid_argument("Sampler: logits must be a non-empty 1-D floating tensor");
    }
    // A private fp32 CPU copy: the in-place steps below must never touch the caller's logits.
    at::Tensor scores = logits.to(at::kCPU, at::kFloat, /*non_blocking=*/false, /*copy=*/true);
    const int64_t vocab = scores.size(0);

    if (m_params.repetitionPenalty != 1.0f && !sequenceSoFar.empty()) {
        std::vector<int64_t> ids = sequenceSoFar;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        if (ids.front() < 0 || ids.back() >= vocab) {
            throw std::invalid_argument("Sampler: token id outside the vocabulary of " + std::to_string(vocab));
        }
        const at::Tensor index = at::tensor(ids, at::kLong);
        const at::Tensor seen = scores.index_select(0, index);
        // Negative scores are pushed down (multiplied), positive ones pulled down (divided).
        const at::Tensor penalised
            = at::where(seen < 0, seen * m_params.repetitionPenalty, seen / m_params.repetitionPenalty);
        scores.index_copy_(0, index, penalised);
    }
    if (!m_params.doSample) {
        return scores;
    }

    const float negInf = -std::numeric_limits<float>::infinity();
    if (m_params.temperature != 1.0f) {
        scores.div_(m_params.temperature);
    }
    if (m_params.topK > 0) {
        const int64_t k = std::min<int64_t>(m_params.topK, vocab);
        // Everything below the k-th largest goes; ties with it stay, as in HF.
        const at::Tensor kth = std::get<0>(at::topk(scores, k)).select(0, k - 1);
        scores.masked_fill_(scores < kth, negInf);
    }
    if (m_params.topP < 1.0f) {
        // Drop the low tail whose total probability is at most 1 - top_p, keeping at least
        // the most likely token.
        const auto [sorted, order] = at::sort(scores, /*stable=*/true, /*dim=*/0, /*descending=*/false);
        const at::Tensor cumulative = at::softmax(sorted, 0).cumsum(0);
        at::Tensor removeSorted = cumulative <= static_cast<float>(1.0 - static_cast<double>(m_params.topP));
        removeSorted.select(0, vocab - 1).fill_(false);
        const at::Tensor remove = at::zeros_like(removeSorted).scatter_(0, order, removeSorted);
        scores.masked_fill_(remove, negInf);
    }
    return scores;
}

int64_t Sampler::next(const at::Tensor& logits, const std::vector<int64_t>& sequenceSoFar)
{
    const at::Tensor scores = process(logits, sequenceSoFar);
    if (!m_params.doSample) {
        return scores.argmax().item<int64_t>();
    }
    const at::Tensor probs = at::softmax(scores, 0);
    return at::multinomial(probs, 1, /*replacement=*/false, m_generator).item<int64_t>();
}

} // namespace folio::inference
