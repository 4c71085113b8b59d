#pragma once
// A check that could not run is not a passed check. After an invoice is validated (one page,
// or across its pages), this says what stayed unchecked and why — a page cut off at the token
// limit, pages of the invoice that were not read, a line without an amount, a missing total —
// and marks the invoice's totals `unvalidated` so the reviewer sees it, in `folio show` and
// the GUI as on every other flag. Pure function; the caller's thread.

#include "extract/invoicevalidator.h"
#include "extract/types/pageresult.h"

#include <QStringList>

#include <vector>

namespace folio::extract {

struct CoverageGaps {
    QStringList truncatedPages; // 1-based page numbers cut off at the token limit
    QStringList missingPages;   // 1-based page numbers of the invoice not read (cancelled, failed)
};

// Returns the reasons ("validation incomplete: ...") and sets Flag::Unvalidated on the totals
// (net_total, tax_total, grand_total; the first field when there are none) when there is any
// reason, clearing it when there is none.
QStringList markUnvalidated(const InvoiceValidation& validation, const CoverageGaps& gaps, std::vector<PageResult*>& pages);

} // namespace folio::extract
