#include "inference/drafter.h"

#include "inference/answerdraft.h"
#include "inference/pagewordsdraft.h"
#include "inference/promptdraft.h"

#include <algorithm>

namespace folio::inference {

namespace {

// Longest n-gram the sources look up; longer matches are rare and say little more.
constexpr std::size_t kMaxN = 6;

} // namespace

Drafter::Drafter(std::vector<std::unique_ptr<DraftSource>> sources, DraftLengthPolicy policy, std::size_t minMatch)
    : m_sources(std::move(sources))
    , m_policy(std::move(policy))
    , m_minMatch(minMatch)
{
}

std::unique_ptr<Drafter> Drafter::standard(const std::vector<std::vector<int64_t>>& pageSegments, DraftLengthPolicy policy)
{
    std::vector<std::unique_ptr<DraftSource>> sources;
    sources.push_back(std::make_unique<AnswerDraft>(kMaxN));
    if (!pageSegments.empty())
        sources.push_back(std::make_unique<PageWordsDraft>(pageSegments, kMaxN));
    sources.push_back(std::make_unique<PromptDraft>(kMaxN));
    return std::make_unique<Drafter>(std::move(sources), std::move(policy), /*minMatch=*/1);
}

Draft Drafter::propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens)
{
    const std::size_t length = std::min(maxTokens, m_policy.length());
    Draft best;
    if (length == 0)
        return best;
    for (const auto& source : m_sources) {
        Draft d = source->propose(sequence, promptLength, length);
        if (!d.tokens.empty() && d.matchLength >= m_minMatch && d.matchLength > best.matchLength)
            best = std::move(d);
    }
    return best;
}

void Drafter::feedback(std::size_t proposed, std::size_t accepted, double stepMs)
{
    m_policy.update(proposed, accepted);
    m_policy.observeStep(proposed + 1, stepMs);
}

} // namespace folio::inference
