#pragma once
// What extraction produces for one page: text lines, fields and tables, each grounded by a
// Box on the page. Plain value types (no thread affinity, copyable); storage/ persists them
// and ui/ shows them. Raw values are never rewritten: `value`/`text` is what the model (or
// the e-invoice, or the user) wrote, `normalized` is our canonical form of it.

#include "extract/types/box.h"
#include "extract/types/confidenceevidence.h"
#include "extract/types/flags.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace folio::extract {

// One line of text read from the page.
struct TextLine {
    Box box;
    QString text;
    double confidence = 1.0; // [0,1]: combineConfidence(evidence) (extract/confidence.h)
    Flags flags;
    ConfidenceEvidence evidence;
};

// A named value (invoice number, date, total, form field...).
struct Field {
    QString name;       // key, e.g. "invoice_date", "grand_total"
    QString value;      // raw text as read
    QString normalized; // canonical form: ISO date, plain decimal amount, ...; empty if none
    Box box;            // invalid (default) when the value has no place on the page
    double confidence = 1.0;
    Flags flags;
    QString source; // "model", "e-invoice" or "user"
    ConfidenceEvidence evidence;
};

// One table cell, positioned in the table's grid (0-based row/col of its top-left slot).
struct Cell {
    int row = 0;
    int col = 0;
    int rowSpan = 1;
    int colSpan = 1;
    QString text;
    QString normalized;
    Box box;
    double confidence = 1.0;
    Flags flags;
    bool header = false;
    ConfidenceEvidence evidence;
};

struct Table {
    QString name; // e.g. "line_items"; empty for a generic table
    Box box;
    std::vector<Cell> cells;

    // Grid size: the extent of all cells including their spans.
    int rows() const
    {
        int n = 0;
        for (const Cell& c : cells)
            n = std::max(n, c.row + c.rowSpan);
        return n;
    }
    int cols() const
    {
        int n = 0;
        for (const Cell& c : cells)
            n = std::max(n, c.col + c.colSpan);
        return n;
    }
};

struct PageResult {
    int page = 0; // 0-based
    std::vector<TextLine> lines;
    std::vector<Field> fields;
    std::vector<Table> tables;
    bool truncated = false; // the model output was cut off and only partly recovered
    QStringList warnings;   // user-facing notes about what was repaired or dropped
};

} // namespace folio::extract
