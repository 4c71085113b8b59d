#pragma once
// The table sample: a two-page supplier price list (not an invoice) whose ruled table continues
// on page 2 with its header row repeated. Writes price-list-kessler.pdf and its truth file
// (kind "table", one table "price_list"). GUI thread.

#include "fontset.h"

#include "inference/result.h"

#include <QString>

namespace folio::samplegen {

Result<void> writeTableSample(const FontSet& fonts, const QString& dir);

} // namespace folio::samplegen
