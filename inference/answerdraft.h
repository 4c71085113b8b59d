#pragma once
// Drafts from the answer generated so far: JSON and HTML answers repeat their structure line
// after line (`{"description": {"value": "`, `</td><td data-bbox="`), so the continuation of
// the latest earlier occurrence of the last few tokens is a good guess.

#include "inference/draftsource.h"
#include "inference/ngramindex.h"

namespace folio::inference {

class AnswerDraft final : public DraftSource {
public:
    explicit AnswerDraft(std::size_t maxN);

    // Indexes the answer tokens (sequence[promptLength, end)) it has not seen yet.
    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;

private:
    NgramIndex m_index;
};

} // namespace folio::inference
