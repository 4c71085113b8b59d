#include "inference/generator.h"

#include "inference/kvcache.h"
#include "inference/textmodel.h"

#include <algorithm>
#include <chrono>

namespace folio::inference {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

Result<at::Tensor> mergeVisionEmbeddings(const at::Tensor& inputsEmbeds, const std::vector<int64_t>& inputIds,
                                         int64_t tokenId, const at::Tensor& embeds, const char* kind)
{
    std::vector<int64_t> rows;
    for (std::size_t i = 0; i < inputIds.size(); ++i)
        if (inputIds[i] == tokenId)
            rows.push_back(static_cast<int64_t>(i));
    const int64_t available = embeds.defined() ? embeds.size(0) : 0;
    if (static_cast<int64_t>(rows.size()) != available)
        return makeError(std::string("The prompt has ") + std::to_string(rows.size()) + " " + kind
                         + " pad tokens but the vision encoder produced " + std::to_string(available) + " " + kind
                         + " embeddings; " + kind + " features and " + kind + " tokens do not match.");
    if (rows.empty())
        return inputsEmbeds;
    const at::Tensor index = at::tensor(rows, at::kLong).to(inputsEmbeds.device());
    return inputsEmbeds.index_copy(0, index, embeds.to(inputsEmbeds.device(), inputsEmbeds.scalar_type()));
}

RopeIndexParams ropeIndexParams(const ModelConfig& config)
{
    RopeIndexParams p;
    p.imageTokenId = config.tokens.image;
    p.videoTokenId = config.tokens.video;
    p.visionStartTokenId = config.tokens.visionStart;
    p.spatialMergeSize = static_cast<int>(config.vision.spatialMergeSize);
    p.tokensPerSecond = config.vision.tokensPerSecond;
    return p;
}

Generator::Generator(const TextModel& model) : m_model(model)
{
}

GeneratorOutput Generator::run(const std::vector<int64_t>& inputIds, const at::Tensor& inputsEmbeds,
                               const at::Tensor& positionIds, int64_t ropeDelta, const GeneratorSettings& settings,
                               const TokenCallback& onToken, const std::atomic<bool>* stop) const
{
    GeneratorOutput out;
    const auto promptLen = static_cast<int64_t>(inputIds.size());
    KvCache cache = m_model.makeCache(promptLen + std::max<int64_t>(settings.maxNewTokens, 0));
    Sampler sampler(settings.sampling);
    std::vector<int64_t> sequence = inputIds;
    auto stopped = [&] { return stop && stop->load(std::memory_order_relaxed); };

    if (settings.maxNewTokens <= 0 || stopped()) {
        out.stopReason = settings.maxNewTokens <= 0 ? StopReason::MaxTokens : StopReason::Cancelled;
        return out;
    }

    auto start = std::chrono::steady_clock::now();
    at::Tensor hidden = m_model.forward(inputsEmbeds, positionIds, cache, nullptr, settings.prefillHook);
    at::Tensor logits = m_model.logits(hidden.narrow(0, promptLen - 1, 1)).view({-1}).to(at::kCPU);
    out.prefillMs = msSince(start);

    start = std::chrono::steady_clock::now();
    const at::TensorOptions longOpts = at::TensorOptions().dtype(at::kLong).device(inputsEmbeds.device());
    while (true) {
        const int64_t next = sampler.next(logits, sequence);
        const float logprob = at::log_softmax(logits, 0)[next].item<float>();
        sequence.push_back(next);
        out.generatedIds.push_back(next);
        out.logprobs.push_back(logprob);
        if (onToken)
            onToken(next, logprob);
        if (std::find(settings.stopIds.begin(), settings.stopIds.end(), next) != settings.stopIds.end()) {
            out.stopReason = StopReason::Eos;
            break;
        }
        if (static_cast<int64_t>(out.generatedIds.size()) >= settings.maxNewTokens) {
            out.stopReason = StopReason::MaxTokens;
            break;
        }
        if (stopped()) {
            out.stopReason = StopReason::Cancelled;
            break;
        }
        { // one decode step: [1, D] at position cache length + rope delta (same on t, h, w)
            const at::Tensor ids = at::full({1}, next, longOpts);
            const at::Tensor position = at::full({3, 1}, cache.length() + ropeDelta, longOpts);
            hidden = m_model.forward(m_model.embed(ids), position, cache);
            logits = m_model.logits(hidden).view({-1}).to(at::kCPU);
        }
    }
    // Logits are copied to the CPU every step, so device work is finished here.
    out.decodeMs = msSince(start);
    return out;
}

} // namespace folio::inference
