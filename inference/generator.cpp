#include "inference/generator.h"

#include "inference/draftsource.h"
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
    DraftSource* drafts = settings.sampling.doSample ? nullptr : settings.drafts;
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

    // Appends a chosen token with its log-probability under `rowLogits`, the distribution it was
    // chosen from; true when it ends the generation (stop token or token limit).
    auto emit = [&](int64_t id, const at::Tensor& rowLogits) {
        const float logprob = at::log_softmax(rowLogits, 0)[id].item<float>();
        sequence.push_back(id);
        out.generatedIds.push_back(id);
        out.logprobs.push_back(logprob);
        if (onToken)
            onToken(id, logprob);
        if (std::find(settings.stopIds.begin(), settings.stopIds.end(), id) != settings.stopIds.end()) {
            out.stopReason = StopReason::Eos;
            return true;
        }
        if (static_cast<int64_t>(out.generatedIds.size()) >= settings.maxNewTokens) {
            out.stopReason = StopReason::MaxTokens;
            return true;
        }
        // Also between the accepted tokens of one step, so a cancel from the callback takes
        // effect at once, as without drafts.
        if (stopped()) {
            out.stopReason = StopReason::Cancelled;
            return true;
        }
        return false;
    };

    start = std::chrono::steady_clock::now();
    const at::TensorOptions longOpts = at::TensorOptions().dtype(at::kLong).device(inputsEmbeds.device());
    bool done = emit(sampler.next(logits, sequence), logits);
    while (!done) {
        if (stopped()) { // set from another thread during the last forward pass
            out.stopReason = StopReason::Cancelled;
            break;
        }
        // A draft longer than the budget left after the next token could not be used whole.
        const auto left = static_cast<std::size_t>(settings.maxNewTokens - static_cast<int64_t>(out.generatedIds.size()));
        std::vector<int64_t> draft;
        if (drafts && left > 1) {
            draft = drafts->propose(sequence, static_cast<std::size_t>(promptLen), left - 1).tokens;
            draft.resize(std::min(draft.size(), left - 1));
        }
        const auto width = static_cast<int64_t>(draft.size()) + 1;
        at::Tensor rows; // [width, V] float32 on the CPU: row i follows the step's token i
        const auto stepStart = std::chrono::steady_clock::now();
        { // one forward pass over the last token and the draft, at positions cache length + rope delta + i
            std::vector<int64_t> stepIds{sequence.back()};
            stepIds.insert(stepIds.end(), draft.begin(), draft.end());
            const at::Tensor ids = at::tensor(stepIds, at::kLong).to(longOpts.device());
            const at::Tensor position
                = (at::arange(width, longOpts) + (cache.length() + ropeDelta)).unsqueeze(0).expand({3, width});
            hidden = m_model.forward(m_model.embed(ids), position, cache);
            rows = m_model.logits(hidden).to(at::kCPU); // the copy waits for a device to finish
        }
        const double stepMs = msSince(stepStart);
        ++out.decodeSteps;
        out.draftedTokens += width - 1;

        // Greedy verification: draft token i stands if it is what row i chooses.
        std::size_t accepted = 0;
        int64_t next = sampler.next(rows[0], sequence);
        while (accepted < draft.size() && next == draft[accepted]) {
            done = emit(next, rows[static_cast<int64_t>(accepted)]);
            ++accepted;
            if (done)
                break;
            next = sampler.next(rows[static_cast<int64_t>(accepted)], sequence);
        }
        out.acceptedDraftTokens += static_cast<int64_t>(accepted);
        if (drafts)
            drafts->feedback(draft.size(), accepted, stepMs);
        // Keys and values of the rejected draft tokens go; the accepted ones stay.
        cache.truncate(cache.length() - (width - 1 - static_cast<int64_t>(accepted)));
        if (!done)
            done = emit(next, rows[static_cast<int64_t>(accepted)]);
    }
    // Logits are copied to the CPU every step, so device work is finished here.
    out.decodeMs = msSince(start);
    return out;
}

} // namespace folio::inference
