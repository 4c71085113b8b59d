#pragma once
// Drafts from the words printed on the page (its PDF text layer or OCR words): a document model
// mostly copies values it can see, so the continuation of a matched n-gram in the page's text
// is often what the model writes next. The words are tokenised once per page by the caller.

#include "inference/draftsource.h"
#include "inference/ngramindex.h"

namespace folio::inference {

class PageWordsDraft final : public DraftSource {
public:
    // pageTokens: the page's words in reading order, tokenised with the model's tokenizer.
    PageWordsDraft(const std::vector<int64_t>& pageTokens, std::size_t maxN);

    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;

private:
    NgramIndex m_index;
};

} // namespace folio::inference
