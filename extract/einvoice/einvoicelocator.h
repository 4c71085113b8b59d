#pragma once
// Gives the values of an e-invoice a place on the page by finding their printed form in the
// PDF's text layer: "1.234,56" or "1,234.56" for 1234.56, "15.03.2026" or "March 15, 2026" for
// 2026-03-15, names and addresses as runs of consecutive words. The XML stays authoritative: a
// value that is not found keeps its invalid box and gets no flag; the box only helps review.
// Line items are found row by row: the description first, then the row's other values on the
// same text line. Each word is given to one value only, so a total printed twice (grand total
// and amount due) gets both places in reading order. Totals prefer the rightmost occurrence
// (the totals column) over the same amount in a tax breakdown further left.
// Pure functions; thread-safe.

#include "extract/einvoice/einvoice.h"
#include "ingest/word.h"

#include <vector>

namespace folio::extract {

// The text layer of a document: element i holds the words of page i (0-based), as
// ingest::SourceDocument::words() returns them, in reading order.
using PageWords = std::vector<std::vector<ingest::Word>>;

// Sets the boxes of the invoice's fields, of its line-item cells and of the line-item table
// (the cells on the table's first page) where their values are printed.
void locateOnPage(EInvoice& invoice, const PageWords& pages);

// The ways a date (YYYY-MM-DD) is commonly printed: 15.03.2026, 15.3.2026, 2026-03-15,
// 15/03/2026, 03/15/2026, March 15, 2026, 15 March 2026, 15. März 2026, ...
QStringList printedDateForms(const QString& isoDate);

// The ways a plain decimal ("1234.50", "19", "-3.05") is commonly printed: 1.234,50 1,234.50
// 1234,50 1234.50 1 234,50 1'234.50; integers also with ",00" / ".00". Signs are not part of
// the forms (a minus or parentheses around the number are ignored when matching).
QStringList printedNumberForms(const QString& decimal);

} // namespace folio::extract
