#pragma once
// The validation panel's content (ui/validationpanel.h), built from what storage keeps:
//   - each invoice check (jobs::checkInvoice: line n, lines_sum, totals, tax, amount_due) with
//     passed / failed / skipped and its message;
//   - the reasons the checks are incomplete ("unvalidated");
//   - values that disagree with the PDF's embedded e-invoice (flag einvoice_mismatch);
//   - pages whose current run was cut off (truncated), stopped in a loop (repetition), failed
//     or cancelled, and the runs' notes.
// Storage does not record which values a check used, so they are derived from the check's
// kind, as the validator reads them (extract/invoicevalidator.h): totals → net, tax and
// grand total; amount_due → amount due and grand total; lines_sum → net total and the
// line_items "amount" column; tax → tax total and the "tax_rate" and "amount" columns;
// line:n → the quantity, unit_price and amount cells of the n-th item row (rows counted
// across the invoice's line_items tables in page order, header rows excluded).
// Plain values, no thread affinity.

#include "storage/resultrecords.h"
#include "ui/jobs/invoicerevalidation.h"
#include "ui/reviewitem.h"

#include <vector>

namespace folio::ui {

struct ValidationEntry {
    enum class Outcome { Passed, Failed, Skipped, Note };
    Outcome outcome = Outcome::Note;
    QString title;   // "net + tax = grand total", "page 2"
    QString detail;  // the check's message, the reason, the note
    std::vector<ReviewItem> items; // the values involved, to select and show
    int page = -1;   // 0-based page to show when no item has a box; -1: none
};

std::vector<ValidationEntry> buildValidationReport(const jobs::InvoiceRecheck& checks,
                                                   const storage::DocumentResults& results,
                                                   const std::vector<storage::RunRecord>& runs);

} // namespace folio::ui
