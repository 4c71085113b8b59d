#include "ui/boxitem.h"

#include <QCursor>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QPainter>

#include <algorithm>

namespace folio::ui {

namespace {

    constexpr double kGrabPixels = 6.0;       // how near an edge (in screen pixels) grabs it
    constexpr double kMinSidePixels = 4.0;    // a box never shrinks below this on screen
    constexpr double kReviewConfidence = 0.8; // below this a box is drawn fainter

} // namespace

BoxItem::BoxItem(const ReviewItem& item, const QRectF& rect, double confidence, bool flagged, QGraphicsItem* parent)
    : QGraphicsRectItem(rect, parent), m_item(item), m_confidence(confidence), m_flagged(flagged)
{
    if (item.editable()) {
        setFlag(ItemIsSelectable);
        setAcceptHoverEvents(true);
        setZValue(flagged ? 3 : 2);
    } else {
        // Words and lines are context only: clicks go through them (e.g. to draw a new box).
        setAcceptedMouseButtons(Qt::NoButton);
        setZValue(item.kind == ReviewKind::Line ? 1 : 0);
    }
}

QColor BoxItem::kindColor(ReviewKind kind)
{
    switch (kind) {
    case ReviewKind::Word: return QColor(120, 120, 120);
    case ReviewKind::Line: return QColor(30, 136, 229);
    case ReviewKind::Field: return QColor(46, 160, 67);
    case ReviewKind::Cell: return QColor(142, 68, 173);
    }
    return Qt::black;
}

void BoxItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    QColor color = m_flagged ? QColor(230, 81, 0) : kindColor(m_item.kind);
    const bool selected = isSelected();
    // Low confidence fades the outline, so sure results recede and doubtful ones ask to be read.
    if (m_confidence < kReviewConfidence && !m_flagged)
        color.setAlphaF(0.55);
    QPen pen(color);
    pen.setCosmetic(true);
    pen.setWidthF(selected ? 3.0 : (m_flagged ? 2.5 : (m_item.kind == ReviewKind::Word ? 0.8 : 1.5)));
    if (m_flagged && !selected)
        pen.setStyle(Qt::DashLine);
    QColor fill = color;
    fill.setAlphaF(selected ? 0.25 : (m_item.kind == ReviewKind::Word ? 0.0 : 0.08));
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRect(rect());
    if (selected && m_item.editable()) {
        // Corner handles show that the box can be resized.
        const double s = kGrabPixels / std::max(1e-6, painter->worldTransform().m11());
        painter->setBrush(Qt::white);
        for (const QPointF& c : {rect().topLeft(), rect().topRight(), rect().bottomLeft(), rect().bottomRight()})
            painter->drawRect(QRectF(c.x() - s / 2, c.y() - s / 2, s, s));
    }
}

QRectF BoxItem::pageBounds() const
{
    if (const auto* page = dynamic_cast<const QGraphicsRectItem*>(parentItem()))
        return page->rect();
    return rect();
}

Qt::Edges BoxItem::edgesAt(const QPointF& pos) const
{
    const QList<QGraphicsView*> views = scene() ? scene()->views() : QList<QGraphicsView*>{};
    const double scale = views.isEmpty() ? 1.0 : views.first()->transform().m11();
    const double tol = kGrabPixels / std::max(1e-6, scale);
    const QRectF r = rect();
    Qt::Edges edges;
    if (std::abs(pos.x() - r.left()) <= tol)
        edges |= Qt::LeftEdge;
    else if (std::abs(pos.x() - r.right()) <= tol)
        edges |= Qt::RightEdge;
    if (std::abs(pos.y() - r.top()) <= tol)
        edges |= Qt::TopEdge;
    else if (std::abs(pos.y() - r.bottom()) <= tol)
        edges |= Qt::BottomEdge;
    return edges;
}

void BoxItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event)
{
    const Qt::Edges e = edgesAt(event->pos());
    if ((e & (Qt::LeftEdge | Qt::TopEdge)) == (Qt::LeftEdge | Qt::TopEdge)
        || (e & (Qt::RightEdge | Qt::BottomEdge)) == (Qt::RightEdge | Qt::BottomEdge))
        setCursor(Qt::SizeFDiagCursor);
    else if ((e & (Qt::LeftEdge | Qt::BottomEdge)) == (Qt::LeftEdge | Qt::BottomEdge)
             || (e & (Qt::RightEdge | Qt::TopEdge)) == (Qt::RightEdge | Qt::TopEdge))
        setCursor(Qt::SizeBDiagCursor);
    else if (e & (Qt::LeftEdge | Qt::RightEdge))
        setCursor(Qt::SizeHorCursor);
    else if (e & (Qt::TopEdge | Qt::BottomEdge))
        setCursor(Qt::SizeVerCursor);
    else
        setCursor(Qt::SizeAllCursor);
    QGraphicsRectItem::hoverMoveEvent(event);
}

void BoxItem::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    if (!isSelected()) {
        scene()->clearSelection();
        setSelected(true);
    }
    m_grabbed = edgesAt(event->pos());
    m_pressPos = event->pos();
    m_pressRect = rect();
    m_dragging = false;
    event->accept();
}

void BoxItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event)
{
    const QPointF delta = event->pos() - m_pressPos;
    if (!m_dragging && delta.manhattanLength() * scene()->views().first()->transform().m11() < 2)
        return;
    m_dragging = true;
    const QRectF bounds = pageBounds();
    const double minSide = kMinSidePixels / std::max(1e-6, scene()->views().first()->transform().m11());
    QRectF r = m_pressRect;
    if (!m_grabbed) {
        // A move keeps the size and stops at the page edges.
        r.translate(std::clamp(delta.x(), bounds.left() - r.left(), bounds.right() - r.right()),
                    std::clamp(delta.y(), bounds.top() - r.top(), bounds.bottom() - r.bottom()));
    } else {
        if (m_grabbed & Qt::LeftEdge)
            r.setLeft(std::clamp(r.left() + delta.x(), bounds.left(), r.right() - minSide));
        if (m_grabbed & Qt::RightEdge)
            r.setRight(std::clamp(r.right() + delta.x(), r.left() + minSide, bounds.right()));
        if (m_grabbed & Qt::TopEdge)
            r.setTop(std::clamp(r.top() + delta.y(), bounds.top(), r.bottom() - minSide));
        if (m_grabbed & Qt::BottomEdge)
            r.setBottom(std::clamp(r.bottom() + delta.y(), r.top() + minSide, bounds.bottom()));
    }
    setRect(r);
}

void BoxItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (m_dragging && rect() != m_pressRect && onGeometryEdited)
        onGeometryEdited(this, m_pressRect, rect());
    m_dragging = false;
    event->accept();
}

} // namespace folio::ui
