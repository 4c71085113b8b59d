#pragma once
// Drafts from the words printed on the page (its PDF text layer or OCR words): a document model
// mostly copies values it can see, so the continuation of a matched n-gram in the page's text
// is often what the model writes next.
//
// The answer does not spell a value the way the page's running text tokenises it: a value that
// starts mid-line follows `": "` or `<td>`, not a space (" GmbH" and "GmbH" are different
// tokens), and a multi-line value writes its line breaks as the JSON escape \n. So the page is
// indexed in those spellings too (segments), tokenised once per page.

#include "inference/draftsource.h"
#include "inference/ngramindex.h"

#include <string_view>

namespace folio::inference {

class Tokenizer;

class PageWordsDraft final : public DraftSource {
public:
    // segments: the page's words in the spellings of tokenize(), in the model's tokens.
    PageWordsDraft(const std::vector<std::vector<int64_t>>& segments, std::size_t maxN);

    // The page's words (one line of text per line, words separated by spaces) as the segments
    // to index: the text itself, the text with its line breaks written as JSON's \n, and every
    // line from each of its words on, with no space before that word.
    static std::vector<std::vector<int64_t>> tokenize(const Tokenizer& tokenizer, std::string_view pageText);

    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override;

private:
    NgramIndex m_index;
};

} // namespace folio::inference
