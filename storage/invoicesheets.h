#pragma once
// The tabular view of invoices that the CSV and XLSX exports share: one row per document with
// the canonical invoice fields as columns, and one row per line item. Values are the
// normalised ones (ISO dates, plain decimal amounts) where extraction produced one, else the
// raw text. Pure functions of ExportDocuments; thread-safe.
//
// The canonical names follow extract/invoicevocabulary.h (field names, and the `line_items`
// table whose header row names its columns); storage may only use extract's types, so they
// are listed here as well.

#include "storage/exportdocument.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace folio::storage {

// How a spreadsheet should store a column's values (CSV writes them all as text).
enum class ColumnKind { Text, Number, Date };

struct SheetColumn {
    QString name;
    ColumnKind kind = ColumnKind::Text;
};

struct Sheet {
    std::vector<SheetColumn> columns;
    std::vector<QStringList> rows; // each as long as columns; "" where there is no value
};

// Columns: document_id, file_name, then the canonical invoice fields, then review_status (the
// document's: "conflict" or "flagged" when any field is, "pending" while any field is, else
// "reviewed"), last_edited_by and last_edited_at. A field found on several pages is taken from
// the first; fields with other names are not part of this view. Values are the current ones,
// edits included.
Sheet invoiceSheet(const std::vector<ExportDocument>& documents);

// The reviewed state of every field, one row each: document_id, file_name, page, field, value
// (as read or as edited), normalized, review_status (storage/exportdocument.h reviewState),
// flags, model_value (what the model read), last_edited_by, last_edited_at.
Sheet fieldSheet(const std::vector<ExportDocument>& documents);

// Columns: document_id, file_name, page (1-based), item (1-based, counted across the
// document's pages), then the canonical line-item columns. Rows come from tables named
// `line_items`: their header cells name the columns (cells under other names are left out);
// a table without header cells is read in the canonical column order. The last column,
// review_status, is the row's: the first of conflict, flagged, pending, edited among its cells,
// else accepted.
Sheet lineItemSheet(const std::vector<ExportDocument>& documents);

} // namespace folio::storage
