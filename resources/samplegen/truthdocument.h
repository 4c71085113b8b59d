#pragma once
// TruthDocument: what a sample really contains, in Folio's canonical vocabulary (field names,
// table columns, normalised values), with the box of every printed value. Boxes are kept here
// in PDF points on the unrotated page, top-left origin, exactly as painted; TruthWriter
// normalises them to [0,1] when it writes <sample>.truth.json.
// Plain value types; thread-safe.

#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <vector>

namespace folio::samplegen {

// One printed value: the text as printed, its canonical form, where it is.
struct TruthValue {
    QString text;
    QString normalized;
    int page = 1; // 1-based
    QRectF rectPt; // points, top-left origin
};

struct TruthField {
    QString name; // invoice_number, issue_date, … (see DESIGN.md / the samples README)
    TruthValue value;
};

struct TruthTable {
    QString name; // line_items, tax_breakdown, price_list
    int pageFirst = 1;
    QStringList columns;
    std::vector<std::vector<TruthValue>> rows;
};

struct TruthDocument {
    QString file; // sample file name, no directory
    QString kind; // "invoice" or "table"
    std::vector<QSizeF> pagesPt;
    std::vector<TruthField> fields;
    std::vector<TruthTable> tables;
};

} // namespace folio::samplegen
