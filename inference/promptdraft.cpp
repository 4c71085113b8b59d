#include "inference/promptdraft.h"

namespace folio::inference {

PromptDraft::PromptDraft(std::size_t maxN) : m_index(maxN)
{
}

Draft PromptDraft::propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens)
{
    if (!m_indexed) {
        m_index.append(std::vector<int64_t>(sequence.begin(), sequence.begin() + static_cast<std::ptrdiff_t>(promptLength)));
        m_indexed = true;
    }
    const NgramIndex::Match match = m_index.longestSuffixMatch(sequence);
    return {m_index.continuation(match, maxTokens), match.length};
}

} // namespace folio::inference
