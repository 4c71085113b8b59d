#pragma once
// XLSX export (libxlsxwriter) of several documents into one workbook:
//   "Invoices"    one row per document, the canonical invoice fields (storage/invoicesheets.h)
//   "Line items"  one row per line item
//   one sheet per other table, named "<file> p<page> <table>" (made fit for Excel: at most
//   31 characters, none of []:*?/\, unique ignoring case), spans merged, header cells bold
//   "Fields"      every field's reviewed state: value, normalised value, review status, the
//                 model's reading, who edited it last and when
// Amounts and other numeric columns are written as numbers, dates as dates (yyyy-mm-dd);
// a value that does not parse stays text, as read. Header rows are bold and frozen, column
// widths fitted to the content.
//
// The workbook is written beside `path` and moved into place only when complete. Errors name
// the path. Pure apart from the file; thread-safe.

#include "inference/result.h"
#include "storage/exportdocument.h"

#include <QString>

#include <vector>

namespace folio::storage {

Result<void> exportWorkbook(const std::vector<ExportDocument>& documents, const QString& path);

// `wanted` made a valid sheet name not in `taken` (compared ignoring case).
QString sheetName(const QString& wanted, const QStringList& taken);

} // namespace folio::storage
