#pragma once
// CSV exports (RFC 4180): fields separated by commas, records ended by CRLF, a field quoted
// when it holds a comma, quote, CR or LF, quotes doubled. UTF-8, optionally with a byte-order
// mark so Excel reads it as UTF-8.
//
// Formula injection: a value that a spreadsheet would run as a formula — starting with =, +,
// -, @, tab or CR — is written with a leading apostrophe ('=SUM(A1)). Plain negative numbers
// ("-12.50", "-1,234") are data and stay as they are.
//
// Pure functions and file writes; thread-safe. File errors name the path (storage/exportfile.h).

#include "extract/types/pageresult.h"
#include "inference/result.h"
#include "storage/exportdocument.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace folio::storage {

struct CsvOptions {
    bool byteOrderMark = false; // start with EF BB BF, for Excel
};

// One field, guarded against formula injection and quoted as needed.
QString csvField(const QString& value);
// Records → the file's bytes.
QByteArray csvText(const std::vector<QStringList>& records, const CsvOptions& options);

// A table as its grid, rows() × cols(), in row-major order. A spanning cell's text stands in
// its top-left slot; the other slots it covers are left empty (repeating it would double
// amounts when the sheet is summed). Cells hold their raw text as read.
std::vector<QStringList> tableGrid(const extract::Table& table);

// One table per file.
Result<void> exportTableCsv(const extract::Table& table, const QString& path, const CsvOptions& options);

// Invoices across documents (storage/invoicesheets.h): one row per document in invoicesPath,
// one row per line item in lineItemsPath and, when fieldsPath is given, every field's reviewed
// state there; each with a header row of column names.
Result<void> exportInvoicesCsv(const std::vector<ExportDocument>& documents, const QString& invoicesPath,
    const QString& lineItemsPath, const CsvOptions& options, const QString& fieldsPath = {});

} // namespace folio::storage
