#pragma once
// Where a short run of tokens occurred before in a token sequence, and what followed it: the
// lookup behind the n-gram draft sources ("prompt lookup decoding"). Every n-gram of length
// 1..maxN that has at least one following token is indexed by its latest occurrence, so a
// lookup costs maxN hash probes, however long the sequence. The tokens may come in segments
// (several spellings of one text): no n-gram spans two, and a continuation ends with its own.
//
// Not thread-safe; owned by one draft source.

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace folio::inference {

class NgramIndex {
public:
    explicit NgramIndex(std::size_t maxN);

    void append(int64_t token);
    void append(const std::vector<int64_t>& tokens);
    // Ends the current segment: the tokens appended next start a new one.
    void endSegment();
    const std::vector<int64_t>& tokens() const { return m_tokens; }

    struct Match {
        std::size_t length = 0; // matched trailing tokens of the query (0: none)
        std::size_t next = 0;   // index in tokens() of the token that followed the match
    };

    // The longest n (≥ minN, ≤ maxN) such that the last n tokens of `sequence` occur in
    // tokens() with a token after them; the latest such occurrence.
    Match longestSuffixMatch(const std::vector<int64_t>& sequence, std::size_t minN = 1) const;

    // Up to maxTokens tokens from match.next on.
    std::vector<int64_t> continuation(const Match& match, std::size_t maxTokens) const;

private:
    static constexpr int64_t kBoundary = -1; // no token id; a query never matches across it
    static uint64_t hash(const int64_t* tokens, std::size_t n);

    std::size_t m_maxN;
    std::vector<int64_t> m_tokens; // segments separated by kBoundary
    std::size_t m_segmentStart = 0;
    // m_last[n-1]: n-gram hash -> index after its latest occurrence (that has a successor).
    std::vector<std::unordered_map<uint64_t, std::size_t>> m_last;
};

} // namespace folio::inference
