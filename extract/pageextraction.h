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
PageExtraction extractPage(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                           const std::vector<ingest::Word>& words, const std::vector<CustomField>& schema = {});

} // namespace folio::extract
