#include "ingest/pagegeometry.h"

#include <utility>

namespace folio::ingest {

int normalizedRotation(int degrees)
{
    const int r = ((degrees % 360) + 360) % 360;
    return r - r % 90;
}

namespace {

    // Rotating the unrotated page clockwise by 90 degrees sends the normalised point (x, y) to
    // (1 - y, x); the other rotations are repeated applications of that.
    QPointF rotatePoint(QPointF p, int rotation)
    {
        for (int r = normalizedRotation(rotation); r > 0; r -= 90)
            p = QPointF(1.0 - p.y(), p.x());
        return p;
    }

    QRectF rotateRect(const QRectF& rect, int rotation)
    {
        const QPointF a = rotatePoint(rect.topLeft(), rotation);
        const QPointF b = rotatePoint(rect.bottomRight(), rotation);
        return QRectF(a, b).normalized();
    }

} // namespace

QRectF unrotatedToDisplayed(const QRectF& unrotated, int rotation) { return rotateRect(unrotated, rotation); }

QRectF displayedToUnrotated(const QRectF& displayed, int rotation)
{
    return rotateRect(displayed, 360 - normalizedRotation(rotation));
}

QSizeF unrotatedSize(const QSizeF& displayed, int rotation)
{
    const int r = normalizedRotation(rotation);
    return (r == 90 || r == 270) ? displayed.transposed() : displayed;
}

} // namespace folio::ingest
