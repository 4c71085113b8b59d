#include "gridtable.h"

#include <QFontMetricsF>
#include <QPen>

#include <string>
#include <utility>

namespace folio::samplegen {

namespace {
constexpr qreal kPadding = 4.0;
const QColor kRule(0x9a, 0x9a, 0x9a);
const QColor kZebra(0xf3, 0xf3, 0xf3);
} // namespace

GridTable::GridTable(
    std::vector<GridColumn> columns, QFont headerFont, QFont cellFont, qreal rowHeight, QColor headerFill)
    : m_columns(std::move(columns))
    , m_headerFont(std::move(headerFont))
    , m_cellFont(std::move(cellFont))
    , m_rowHeight(rowHeight)
    , m_headerFill(headerFill)
{
}

qreal GridTable::width() const
{
    qreal w = 0;
    for (const GridColumn& c : m_columns)
        w += c.width;
    return w;
}

qreal GridTable::drawHeader(PageCanvas& canvas, QPointF topLeft) const
{
    QPainter& p = canvas.painter();
    const QRectF band(topLeft, QSizeF(width(), headerHeight()));
    p.fillRect(band, m_headerFill);
    const QFontMetricsF metrics(m_headerFont, p.device());
    const qreal baseline = band.top() + (band.height() + metrics.ascent() - metrics.descent()) / 2;
    qreal x = topLeft.x();
    for (const GridColumn& c : m_columns) {
        const qreal anchorX = (c.align & Qt::AlignRight) ? x + c.width - kPadding : x + kPadding;
        canvas.text(c.title, m_headerFont, QPointF(anchorX, baseline), c.align & Qt::AlignHorizontal_Mask, Qt::white);
        x += c.width;
    }
    return band.bottom();
}

Result<std::vector<TruthValue>> GridTable::drawRow(
    PageCanvas& canvas, QPointF topLeft, const std::vector<std::pair<QString, QString>>& cells, bool zebra) const
{
    QPainter& p = canvas.painter();
    const QRectF band(topLeft, QSizeF(width(), m_rowHeight));
    if (zebra)
        p.fillRect(band, kZebra);
    p.setPen(QPen(kRule, 0.5));
    p.drawLine(band.bottomLeft(), band.bottomRight());
    const QFontMetricsF metrics(m_cellFont, p.device());
    const qreal baseline = band.top() + (band.height() + metrics.ascent() - metrics.descent()) / 2;

    std::vector<TruthValue> values;
    qreal x = topLeft.x();
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        const GridColumn& c = m_columns[i];
        p.setPen(QPen(kRule, 0.5));
        p.drawLine(QPointF(x, band.top()), QPointF(x, band.bottom()));
        const auto& [text, normalized] = cells.at(i);
        if (canvas.advance(text, m_cellFont) > c.width - 2 * kPadding)
            return makeError("\"" + text.toStdString() + "\" is wider than its column \"" + c.title.toStdString()
                + "\" (" + QString::number(c.width).toStdString() + " pt); widen the column or shorten the text.");
        const qreal anchorX = (c.align & Qt::AlignRight) ? x + c.width - kPadding : x + kPadding;
        values.push_back(
            canvas.value(text, normalized, m_cellFont, QPointF(anchorX, baseline), c.align & Qt::AlignHorizontal_Mask));
        x += c.width;
    }
    p.setPen(QPen(kRule, 0.5));
    p.drawLine(QPointF(x, band.top()), QPointF(x, band.bottom()));
    return values;
}

} // namespace folio::samplegen
