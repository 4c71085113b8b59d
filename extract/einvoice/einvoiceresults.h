#pragma once
// The located values of an e-invoice as page results, for storage run by run: one result per
// page that prints any of its values, so a total printed on page 2 keeps its box there. Values
// found on no page (and the line-item header row) belong to the first page's result, without a
// box. The line-item table is split the same way, each part keeping the rows' grid positions,
// its box the union of its cells on that page.
// Pure function; thread-safe.

#include "extract/einvoice/einvoice.h"

#include <vector>

namespace folio::extract {

// Results ordered by page; the first is always page 0 (even when nothing was located).
std::vector<PageResult> eInvoicePageResults(const EInvoice& invoice);

} // namespace folio::extract
