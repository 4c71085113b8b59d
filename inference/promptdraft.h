#pragma once
// Drafts from the prompt: answers repeat the field names, keys and phrasing the prompt asks for
// (an invoice prompt lists every JSON key the answer will write). The vision pad tokens of the
// prompt are indexed too; the model never writes them, so they never match.

#include "inference/draftsource.h"
#include "inference/ngramindex.h"

namespace folio::inference {

class PromptDraft final : public DraftSource {
public:
    explicit PromptDraft(std::size_t maxN);

    // The prompt (sequence[0, promptLength)) is indexed on the first call.
    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;

private:
    NgramIndex m_index;
    bool m_indexed = false;
};

} // namespace folio::inference
