#include "inference/pagewordsdraft.h"

namespace folio::inference {

PageWordsDraft::PageWordsDraft(const std::vector<int64_t>& pageTokens, std::size_t maxN) : m_index(maxN)
{
    m_index.append(pageTokens);
}

Draft PageWordsDraft::propose(const std::vector<int64_t>& sequence, std::size_t /*promptLength*/, std::size_t maxTokens)
{
    const NgramIndex::Match match = m_index.longestSuffixMatch(sequence);
    return {m_index.continuation(match, maxTokens), match.length};
}

} // namespace folio::inference
