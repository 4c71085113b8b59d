#include "pagecanvas.h"

#include <QFontMetricsF>

namespace folio::samplegen {

PageCanvas::PageCanvas(QPainter& painter, int pageNumber, QSizeF pageSizePt)
    : m_painter(painter)
    , m_pageNumber(pageNumber)
    , m_size(pageSizePt)
{
}

qreal PageCanvas::advance(const QString& text, const QFont& font) const
{
    return QFontMetricsF(font, m_painter.device()).horizontalAdvance(text);
}

QRectF PageCanvas::text(
    const QString& text, const QFont& font, QPointF anchor, Qt::Alignment align, const QColor& color)
{
    const QFontMetricsF metrics(font, m_painter.device());
    QPointF origin = anchor;
    if (align & Qt::AlignRight)
        origin.rx() -= metrics.horizontalAdvance(text);
    else if (align & Qt::AlignHCenter)
        origin.rx() -= metrics.horizontalAdvance(text) / 2;
    m_painter.setFont(font);
    m_painter.setPen(color);
    m_painter.drawText(origin, text);
    return metrics.boundingRect(text).translated(origin);
}

QRectF PageCanvas::lines(const QStringList& lines, const QFont& font, QPointF anchor, qreal leading,
    Qt::Alignment align, const QColor& color)
{
    QRectF all;
    for (qsizetype i = 0; i < lines.size(); ++i)
        all |= text(lines[i], font, anchor + QPointF(0, leading * static_cast<qreal>(i)), align, color);
    return all;
}

TruthValue PageCanvas::value(const QString& printed, const QString& normalized, const QFont& font, QPointF anchor,
    Qt::Alignment align, const QColor& color)
{
    return { printed, normalized, m_pageNumber, text(printed, font, anchor, align, color) };
}

TruthValue PageCanvas::value(const QStringList& printedLines, const QString& normalized, const QFont& font,
    QPointF anchor, qreal leading, Qt::Alignment align)
{
    return { printedLines.join(u'\n'), normalized, m_pageNumber, lines(printedLines, font, anchor, leading, align) };
}

} // namespace folio::samplegen
