#include "inference/ngramindex.h"

#include <algorithm>
#include <stdexcept>

namespace folio::inference {

NgramIndex::NgramIndex(std::size_t maxN) : m_maxN(maxN), m_last(maxN)
{
    if (maxN == 0)
        throw std::invalid_argument("NgramIndex: maxN must be positive");
}

uint64_t NgramIndex::hash(const int64_t* tokens, std::size_t n)
{
    uint64_t h = 1469598103934665603ull; // FNV-1a over the 8 bytes of each id
    for (std::size_t i = 0; i < n; ++i) {
        auto v = static_cast<uint64_t>(tokens[i]);
        for (int b = 0; b < 8; ++b) {
            h ^= (v >> (8 * b)) & 0xffu;
            h *= 1099511628211ull;
        }
    }
    return h;
}

void NgramIndex::append(int64_t token)
{
    // The new token is the successor of every n-gram ending just before it.
    const std::size_t end = m_tokens.size();
    for (std::size_t n = 1; n <= m_maxN && n <= end - m_segmentStart; ++n)
        m_last[n - 1][hash(m_tokens.data() + end - n, n)] = end;
    m_tokens.push_back(token);
}

void NgramIndex::append(const std::vector<int64_t>& tokens)
{
    for (int64_t t : tokens)
        append(t);
}

void NgramIndex::endSegment()
{
    if (m_tokens.size() == m_segmentStart)
        return; // nothing since the last boundary
    m_tokens.push_back(kBoundary);
    m_segmentStart = m_tokens.size();
}

NgramIndex::Match NgramIndex::longestSuffixMatch(const std::vector<int64_t>& sequence, std::size_t minN) const
{
    const std::size_t longest = std::min(m_maxN, sequence.size());
    for (std::size_t n = longest; n >= std::max<std::size_t>(minN, 1); --n) {
        const int64_t* suffix = sequence.data() + sequence.size() - n;
        const auto it = m_last[n - 1].find(hash(suffix, n));
        if (it == m_last[n - 1].end())
            continue;
        // A hash collision is no match; the shorter n-grams are still worth a look.
        if (std::equal(suffix, suffix + n, m_tokens.begin() + static_cast<std::ptrdiff_t>(it->second - n)))
            return {n, it->second};
    }
    return {};
}

std::vector<int64_t> NgramIndex::continuation(const Match& match, std::size_t maxTokens) const
{
    if (match.length == 0 || match.next >= m_tokens.size())
        return {};
    const auto begin = m_tokens.begin() + static_cast<std::ptrdiff_t>(match.next);
    const auto end = begin + static_cast<std::ptrdiff_t>(std::min(maxTokens, m_tokens.size() - match.next));
    return std::vector<int64_t>(begin, std::find(begin, end, kBoundary));
}

} // namespace folio::inference
