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
    // minMatch: a proposal must rest on at least this many tokens.
    Drafter(std::vector<std::unique_ptr<DraftSource>> sources, DraftLengthPolicy policy, std::size_t minMatch);

    // The usual set: the answer so far, the page's words (when pageSegments is not empty; see
    // PageWordsDraft::tokenize) and the prompt. A one-token match is enough: a wrong guess
    // costs only a slightly wider step, and the policy shortens drafts that keep missing.
    static std::unique_ptr<Drafter> standard(const std::vector<std::vector<int64_t>>& pageSegments, DraftLengthPolicy policy);

    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;
    // Feeds the policy the acceptance and the step's time.
    void feedback(std::size_t proposed, std::size_t accepted, double stepMs) override;

    const DraftLengthPolicy& policy() const { return m_policy; }

private:
    std::vector<std::unique_ptr<DraftSource>> m_sources;
    DraftLengthPolicy m_policy;
    std::size_t m_minMatch;
};

} // namespace folio::inference
