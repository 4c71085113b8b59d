#pragma once

#include "ingest/word.h"

#include <QString>

#include <vector>

namespace folio::extract {

// The page's words as plain text for the model's draft source: words of one line joined by
// spaces, lines by newlines, in the words' order (reading order).
QString pageWordsText(const std::vector<ingest::Word>& words);

} // namespace folio::extract
