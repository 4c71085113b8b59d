#pragma once

#include "extract/invoicevalidator.h"
#include "extract/taskparser.h"
#include "extract/textlayercheck.h"
#include "ingest/word.h"

namespace folio::extract {

struct PageExtraction {
    ParsedOutput parsed;           // parsed.result is the finished page result
    InvoiceValidation validation;  // invoice task only
    TextLayerCheckStats textLayer; // pages with a text layer only
};

// Raw model text of one page → finished, grounded results: parse (task conventions), map boxes
// to page space, normalise values, validate invoices (EN 16931 arithmetic), cross-check with the
// PDF text layer. Pure: the same raw text always gives the same result, which is what makes
// `folio reparse` possible. `words` are the page's text-layer words (empty for scans).
// `validateInvoice` false leaves the invoice checks to the caller (a multi-page invoice is
// validated once over all its pages: see validateAcrossPages).
PageExtraction extractPage(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                           const std::vector<ingest::Word>& words, const std::vector<CustomField>& schema = {},
                           bool validateInvoice = true);

// Validates one invoice spread over several pages' results (line items on page 1, totals on
// page 2): the checks run on all fields and line items together and their flags and
// confidences are written back to the pages they came from.
InvoiceValidation validateAcrossPages(std::vector<PageResult*>& pages);

} // namespace folio::extract
