#pragma once
// The draft sources of one generation behind one DraftSource: asks each for a continuation,
// keeps the one resting on the longest match (the earlier source on a tie), and sizes drafts
// with a DraftLengthPolicy fed by the generator's feedback.
//
// One instance per generation; not thread-safe.

#include "inference/draftlength.h"
#include "inference/draftsource.h"

#include <memory>

namespace folio::inference {

class Drafter final : public DraftSource {
public:
    // minMatch: a proposal must rest on at least this many tokens (1-token matches on
    // punctuation are mostly wrong).
    Drafter(std::vector<std::unique_ptr<DraftSource>> sources, DraftLengthPolicy policy, std::size_t minMatch);

    // The usual set: the answer so far, the page's words (when pageTokens is not empty) and
    // the prompt, n-grams up to maxN tokens.
    static std::unique_ptr<Drafter> standard(const std::vector<int64_t>& pageTokens, DraftLengthPolicy policy);

    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;
    void feedback(std::size_t proposed, std::size_t accepted) override;

    const DraftLengthPolicy& policy() const { return m_policy; }

private:
    std::vector<std::unique_ptr<DraftSource>> m_sources;
    DraftLengthPolicy m_policy;
    std::size_t m_minMatch;
};

} // namespace folio::inference
