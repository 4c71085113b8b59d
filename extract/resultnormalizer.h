#pragma once

#include "extract/taskprompt.h"
#include "extract/types/pageresult.h"

namespace folio::extract {

// Fills `normalized` (and flags) of every field and cell whose meaning is known: invoice fields
// and line-item columns by their canonical names, custom fields by their schema type. Dates go
// to YYYY-MM-DD, amounts to plain decimals, currency to ISO 4217, tax rates to percent; the raw
// text stays in value/text. A value that cannot be read is flagged "unparsed" and its evidence
// says so (normalisation failed: extract/confidence.h); nothing is guessed silently. The currency and date order of the document are
// inferred once (a written currency code/symbol; an unambiguous date) and used for the rest.
void normalizeResult(PageResult& result, const QString& task, const std::vector<CustomField>& schema = {});

} // namespace folio::extract
