#pragma once
// BoxItem: one result box drawn over a page — a child of the page item, in the page item's
// coordinates (displayed page points). Coloured by kind, faded by low confidence, drawn
// thick and dashed when flagged. Field and cell boxes can be selected, moved and resized by
// their edges and corners; the finished gesture is reported through onGeometryEdited.
// GUI thread only; owned by its parent item.

#include "ui/reviewitem.h"

#include <QGraphicsRectItem>

#include <functional>

namespace folio::ui {

class BoxItem : public QGraphicsRectItem {
public:
    enum { Type = UserType + 1 };

    BoxItem(const ReviewItem& item, const QRectF& rect, double confidence, bool flagged, QGraphicsItem* parent);

    int type() const override { return Type; }
    const ReviewItem& item() const { return m_item; }
    bool flagged() const { return m_flagged; }

    // Called once per move or resize gesture with the rectangle before and after it.
    std::function<void(BoxItem*, const QRectF& before, const QRectF& after)> onGeometryEdited;

    // The colour of a kind of box (also used by the legend of the results panel).
    static QColor kindColor(ReviewKind kind);

protected:
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    // Which edges a point grabs (Qt::Edges), empty for the interior (a move).
    Qt::Edges edgesAt(const QPointF& pos) const;
    QRectF pageBounds() const;

    ReviewItem m_item;
    double m_confidence;
    bool m_flagged;
    Qt::Edges m_grabbed;
    bool m_dragging = false;
    QPointF m_pressPos;
    QRectF m_pressRect;
};

} // namespace folio::ui
