#pragma once
// Amounts and dates for search, read with extract's own normalisers (the ones that normalise
// extracted values), so that the page's words, the extracted fields and what the user types all
// come out in one canonical form: 3395.23, 3,395.23, 3.395,23 and "3 395,23 €" are "3395.23";
// 15.03.2026, 2026-03-15 and "March 15, 2026" are "2026-03-15". Storage may not use extract
// (docs/design-notes.md), so the values are read here and handed to it. Pure; any thread.

#include "storage/records.h"
#include "storage/searchquery.h"

#include <QString>

#include <vector>

namespace folio::jobs {

// The amounts or dates `text` reads as: none, one, or both readings of an ambiguous date
// (03/04/2026: 3 April and 4 March).
std::vector<storage::SearchValue> readSearchValues(const QString& text);

// The amounts and dates among a page's words: every run of 1–4 words of one line, with a digit
// in it, that reads as one (duplicates of a line dropped). `ocr` marks them as OCR's.
std::vector<storage::ValueRecord> pageValues(const std::vector<storage::WordRecord>& words);

// The query the user typed, with the amount or date it reads as (the whole text, quotes
// removed), so a search for 3395.23 finds 3.395,23.
storage::SearchQuery searchQuery(const QString& userText);

} // namespace folio::jobs
