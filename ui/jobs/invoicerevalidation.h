#pragma once
// Re-runs the invoice checks (extract/invoicevalidator.h) on what the library holds now: after
// an extraction (once over all of a multi-page invoice's pages, whichever attempt of each page
// is current), after a re-parse, and after every reviewer edit of an invoice value. The checks'
// flags (line, sum, total and tax mismatches) and `unvalidated` (a check that could not run —
// truncated page, pages not read, a line without an amount — with the reason) are written back
// to the stored fields and cells with their evidence, and a model value's confidence is
// recomputed from its evidence (extract/confidence.h), so re-checking unchanged values changes
// nothing.
// Runs on the Library's thread.

#include "extract/invoicevalidator.h"
#include "inference/result.h"
#include "storage/resultstore.h"

#include <QStringList>

#include <map>

namespace folio::storage {
class Library;
}

namespace folio::jobs {

struct InvoiceRecheck {
    extract::InvoiceValidation validation;
    QStringList unvalidated;     // "validation incomplete: ..." reasons; empty when every check could run
    std::map<int, int> flagged;  // page → results with any flag, after the checks
    // What the checks change in storage (flags and confidence); applied by revalidateInvoice.
    std::vector<storage::ResultStore::CheckUpdate> updates;

    int flaggedOnPage(int page) const
    {
        const auto it = flagged.find(page);
        return it == flagged.end() ? 0 : it->second;
    }
};

// Does nothing (and returns no checks) when the document has no invoice results.
Result<InvoiceRecheck> revalidateInvoice(storage::Library& library, qint64 documentId);
// The same checks on what is stored, without writing anything back (the validation panel).
Result<InvoiceRecheck> checkInvoice(storage::Library& library, qint64 documentId);

} // namespace folio::jobs
