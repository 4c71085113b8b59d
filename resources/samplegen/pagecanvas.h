#pragma once
// PageCanvas: paints text on one page and reports the box of what it painted, so every value
// in a truth file has the rectangle it really occupies. Coordinates are PDF points, top-left
// origin: the painter's device must have 72 logical DPI (QPdfWriter at resolution 72, or a
// QImage with that DPI and a scaling transform). Does not own the painter; use on the thread
// that owns the painter.

#include "truthdocument.h"

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

namespace folio::samplegen {

class PageCanvas {
public:
    PageCanvas(QPainter& painter, int pageNumber, QSizeF pageSizePt);

    QPainter& painter() { return m_painter; }
    int pageNumber() const { return m_pageNumber; } // 1-based
    QSizeF size() const { return m_size; }

    // Draws `text` on the baseline through `anchor`; `align` (AlignLeft, AlignRight, AlignHCenter)
    // says whether anchor.x is the left edge, the right edge or the centre of the text's
    // advance. Returns the bounding rectangle of the drawn string (QFontMetricsF::boundingRect
    // at its position).
    QRectF text(const QString& text, const QFont& font, QPointF anchor, Qt::Alignment align = Qt::AlignLeft,
        const QColor& color = Qt::black);

    // Draws `lines` one under another, first baseline through `anchor`, `leading` points apart.
    // Returns the union of the line rectangles.
    QRectF lines(const QStringList& lines, const QFont& font, QPointF anchor, qreal leading,
        Qt::Alignment align = Qt::AlignLeft, const QColor& color = Qt::black);

    // Text as a truth value on this page.
    TruthValue value(const QString& text, const QString& normalized, const QFont& font, QPointF anchor,
        Qt::Alignment align = Qt::AlignLeft, const QColor& color = Qt::black);
    TruthValue value(const QStringList& lines, const QString& normalized, const QFont& font, QPointF anchor,
        qreal leading, Qt::Alignment align = Qt::AlignLeft);

    // Horizontal advance of `text` in `font` on this device.
    qreal advance(const QString& text, const QFont& font) const;

private:
    QPainter& m_painter;
    int m_pageNumber;
    QSizeF m_size;
};

} // namespace folio::samplegen
