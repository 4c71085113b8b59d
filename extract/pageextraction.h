#pragma once

#include "extract/answertokens.h"
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
// PDF text layer, and score every value's confidence from that evidence and the answer's token
// probabilities (`tokens`; empty when the engine gave none). Pure: the same raw text and tokens
// always give the same result, which is what makes `folio reparse` possible. `words` are the
// page's words (text layer or OCR; empty for scans).
// `validateInvoice` false leaves the invoice checks to the caller (a multi-page invoice is
// validated once over all its pages: see validateAcrossPages).
PageExtraction extractPage(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                           const std::vector<ingest::Word>& words, const AnswerTokens& tokens,
                           const std::vector<CustomField>& schema = {}, bool validateInvoice = true);

// Validates one invoice spread over several pages' results (line items on page 1, totals on
// page 2): the checks run on all fields and line items together and their flags and evidence
// are written back to the pages they came from, and their confidence scored again. The check
// counts of the evidence are the caller's to reset before a re-check.
InvoiceValidation validateAcrossPages(std::vector<PageResult*>& pages);

} // namespace folio::extract
