#pragma once
// GridTable: a ruled table drawn row by row (shaded header row, thin grid lines, padded cells),
// shared by the invoices and the price list so they look like one family of documents. Knows
// column widths and alignment; the caller decides where rows go and when a page is full.
// Value type; paints through a PageCanvas on the painter's thread.

#include "pagecanvas.h"
#include "truthdocument.h"

#include "inference/result.h"

#include <QColor>
#include <QFont>
#include <QString>
#include <QStringList>

#include <vector>

namespace folio::samplegen {

struct GridColumn {
    QString title;
    qreal width = 0; // points
    Qt::Alignment align = Qt::AlignLeft;
};

class GridTable {
public:
    GridTable(std::vector<GridColumn> columns, QFont headerFont, QFont cellFont, qreal rowHeight, QColor headerFill);

    qreal width() const;
    qreal headerHeight() const { return m_rowHeight + 2; }

    // Draws the header row with its top-left corner at `topLeft`; returns the y below it.
    qreal drawHeader(PageCanvas& canvas, QPointF topLeft) const;

    // Draws one body row; `cells` has one non-empty (text, normalised form) per column. Returns
    // the printed cells as truth values, or an error naming the text that is wider than its
    // column (it would run into the next cell). `zebra` shades the row lightly.
    Result<std::vector<TruthValue>> drawRow(
        PageCanvas& canvas, QPointF topLeft, const std::vector<std::pair<QString, QString>>& cells, bool zebra) const;

private:
    std::vector<GridColumn> m_columns;
    QFont m_headerFont;
    QFont m_cellFont;
    qreal m_rowHeight;
    QColor m_headerFill;
};

} // namespace folio::samplegen
