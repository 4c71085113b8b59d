#include "inference/answerdraft.h"

namespace folio::inference {

AnswerDraft::AnswerDraft(std::size_t maxN) : m_index(maxN)
{
}

Draft AnswerDraft::propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens)
{
    for (std::size_t i = promptLength + m_index.tokens().size(); i < sequence.size(); ++i)
        m_index.append(sequence[i]);
    const NgramIndex::Match match = m_index.longestSuffixMatch(sequence);
    return {m_index.continuation(match, maxTokens), match.length};
}

} // namespace folio::inference
