#pragma once
// PageView: one page of a document with its result boxes (Okular-style viewer for review).
//
// The scene holds a page item whose rectangle is the *displayed* page in points; the rendered
// pixmap and every overlay box are its children, so boxes follow zoom and rotation for free.
// Boxes arrive normalised to the unrotated page (DESIGN.md, Geometry) and are mapped with
// ingest::unrotatedToDisplayed. Rendering runs on the thread pool (ui/pagerenderer.h): after a
// zoom the old pixmap is shown scaled and a sharper one is requested once zooming pauses.
//
// Input: Ctrl+wheel zooms, clicks select boxes, drags move/resize field and cell boxes; in
// draw mode a drag on the page draws a new box. Keys are the window's (ui/keybindings.h).
// GUI thread only.

#include "ui/reviewitem.h"

#include <QGraphicsView>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

class QGraphicsPixmapItem;
class QGraphicsRectItem;

namespace folio::ui {

class BoxItem;

class PageView : public QGraphicsView {
    Q_OBJECT
public:
    enum class FitMode { Free, Width, Page };

    struct Overlay {
        ReviewItem item;
        QRectF box; // normalised, unrotated page
        double confidence = 1.0;
        bool flagged = false;
        QString toolTip;
    };

    explicit PageView(QWidget* parent = nullptr);
    ~PageView() override;

    // Shows page `pageIndex` (0-based) of the file at `path`; sizePt is the unrotated size in
    // points and rotation the page's display rotation; viewRotation is the reviewer's turn on
    // top of it (clockwise, 0/90/180/270): the page and its boxes turn together. Overlays and
    // highlight are cleared.
    void showPage(const QString& path, int pageIndex, const QSizeF& sizePt, int rotation, int viewRotation = 0);
    int viewRotation() const { return m_viewRotation; }
    void clearPage();
    QString path() const { return m_path; }
    int pageIndex() const { return m_pageIndex; }

    // Replaces the boxes of the shown page.
    void setOverlays(const std::vector<Overlay>& overlays);
    void setLayerVisible(ReviewKind kind, bool visible);
    bool layerVisible(ReviewKind kind) const { return !m_hiddenKinds.contains(kind); }

    // Marks a search hit (normalised, unrotated) and scrolls it into view; a null rect clears it.
    void setHighlight(const QRectF& box);
    QRectF highlight() const { return m_highlightBox; }

    // Selects the item's box (if shown) and, with reveal, scrolls it into view. Emits nothing.
    void selectItem(const ReviewItem& item, bool reveal);
    // Selects several boxes (those shown) and, with reveal, scrolls them into view. Emits nothing.
    void selectItems(const std::vector<ReviewItem>& items, bool reveal);
    ReviewItem selectedItem() const;
    std::vector<ReviewItem> selectedItems() const;
    // The box of an item in viewport pixels (for tests and tooltips); empty if not shown.
    QRect viewportRect(const ReviewItem& item) const;
    QRect viewportRectOfBox(const QRectF& normalizedBox) const;
    // Whether the item's box is entirely visible in the viewport.
    bool isItemVisible(const ReviewItem& item) const;

    double zoom() const;
    void setZoom(double zoom);
    FitMode fitMode() const { return m_fit; }
    void setFitMode(FitMode mode);
    void setDrawMode(bool on);
    bool drawMode() const { return m_drawMode; }

    // True while a render for the shown page is pending or running.
    bool isRendering() const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitWidth() { setFitMode(FitMode::Width); }
    void fitPage() { setFitMode(FitMode::Page); }

Q_SIGNALS:
    void itemSelected(const folio::ui::ReviewItem& item);
    // A field or cell box was moved or resized by the user (boxes normalised, unrotated).
    void boxEdited(const folio::ui::ReviewItem& item, const QRectF& before, const QRectF& after);
    // In draw mode the user drew a box on the page.
    void boxDrawn(int pageIndex, const QRectF& box);
    void renderFailed(const QString& message);
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRectF toPage(const QRectF& normalized) const;   // normalised unrotated -> page item coords
    QRectF fromPage(const QRectF& pageRect) const;   // page item coords -> normalised unrotated
    void applyZoom(double zoom);
    void applyFit();
    void requestRender();
    void startRender();
    void onSelectionChanged();
    void updateLayerVisibility();

    QGraphicsScene* m_scene;
    QGraphicsRectItem* m_page = nullptr;
    QGraphicsPixmapItem* m_pixmap = nullptr;
    QGraphicsRectItem* m_highlight = nullptr;
    QGraphicsRectItem* m_drawing = nullptr;
    QHash<ReviewItem, BoxItem*> m_boxes;
    QSet<ReviewKind> m_hiddenKinds;

    QString m_path;
    int m_pageIndex = -1;
    int m_rotation = 0;     // as displayed: the page's own plus the reviewer's turn
    int m_viewRotation = 0; // the reviewer's turn alone, applied to the rendered image
    QSizeF m_displayedSize;
    QRectF m_highlightBox;
    FitMode m_fit = FitMode::Width;
    bool m_drawMode = false;
    bool m_syncingSelection = false;
    QPointF m_drawStart;

    QTimer m_renderDebounce;
    quint64 m_renderSerial = 0;
    bool m_renderRunning = false;
    double m_pixmapDpi = 0;
    std::shared_ptr<std::atomic<bool>> m_renderAbort;
};

} // namespace folio::ui
