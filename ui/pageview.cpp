#include "ui/pageview.h"

#include "ingest/pagegeometry.h"
#include "ui/boxitem.h"
#include "ui/pagerenderer.h"

#include <QGraphicsPixmapItem>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace folio::ui {

namespace {

    constexpr double kMinZoom = 0.1;
    constexpr double kMaxZoom = 8.0;
    constexpr double kZoomStep = 1.25;
    constexpr double kMinDpi = 24;
    constexpr double kMaxDpi = 600;
    constexpr int kRenderDebounceMs = 150;
    constexpr int kFitMarginPx = 24;
    constexpr double kMinDrawnPixels = 5; // a smaller drag is a click, not a box
    constexpr double kSceneMarginPt = 12;  // grey border around the page

} // namespace

PageView::PageView(QWidget* parent) : QGraphicsView(parent), m_scene(new QGraphicsScene(this))
{
    setScene(m_scene);
    setBackgroundBrush(QColor(82, 86, 92));
    setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    setRenderHint(QPainter::SmoothPixmapTransform);
    setTransformationAnchor(AnchorUnderMouse);
    setDragMode(NoDrag);
    setFocusPolicy(Qt::StrongFocus);
    m_renderDebounce.setSingleShot(true);
    m_renderDebounce.setInterval(kRenderDebounceMs);
    connect(&m_renderDebounce, &QTimer::timeout, this, &PageView::startRender);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &PageView::onSelectionChanged);
}

PageView::~PageView()
{
    // Deleting selected boxes changes the selection; nobody is left to tell.
    m_scene->disconnect(this);
    if (m_renderAbort)
        m_renderAbort->store(true);
}

void PageView::clearPage()
{
    if (m_renderAbort)
        m_renderAbort->store(true);
    m_renderAbort.reset();
    ++m_renderSerial;
    m_renderRunning = false;
    m_renderDebounce.stop();
    m_boxes.clear();
    m_syncingSelection = true; // boxes going away are no new selection
    m_scene->clear();
    m_syncingSelection = false;
    m_page = nullptr;
    m_pixmap = nullptr;
    m_highlight = nullptr;
    m_drawing = nullptr;
    m_path.clear();
    m_pageIndex = -1;
    m_highlightBox = {};
    m_pixmapDpi = 0;
}

void PageView::showPage(const QString& path, int pageIndex, const QSizeF& sizePt, int rotation, int viewRotation)
{
    clearPage();
    m_path = path;
    m_pageIndex = pageIndex;
    m_viewRotation = ingest::normalizedRotation(viewRotation);
    m_rotation = ingest::normalizedRotation(rotation + m_viewRotation);
    m_displayedSize = (m_rotation == 90 || m_rotation == 270) ? sizePt.transposed() : sizePt;

    m_page = m_scene->addRect(QRectF(QPointF(0, 0), m_displayedSize), QPen(Qt::NoPen), Qt::white);
    m_pixmap = new QGraphicsPixmapItem(m_page);
    m_pixmap->setTransformationMode(Qt::SmoothTransformation);
    m_pixmap->setZValue(-1);
    m_scene->setSceneRect(m_page->rect().adjusted(-kSceneMarginPt, -kSceneMarginPt, kSceneMarginPt, kSceneMarginPt));
    applyFit();
    startRender();
}

QRectF PageView::toPage(const QRectF& normalized) const
{
    const QRectF d = ingest::unrotatedToDisplayed(normalized, m_rotation);
    return QRectF(d.x() * m_displayedSize.width(), d.y() * m_displayedSize.height(), d.width() * m_displayedSize.width(),
                  d.height() * m_displayedSize.height());
}

QRectF PageView::fromPage(const QRectF& r) const
{
    const QRectF d(r.x() / m_displayedSize.width(), r.y() / m_displayedSize.height(), r.width() / m_displayedSize.width(),
                   r.height() / m_displayedSize.height());
    return ingest::displayedToUnrotated(d, m_rotation);
}

void PageView::setOverlays(const std::vector<Overlay>& overlays)
{
    if (!m_page)
        return;
    m_syncingSelection = true;
    for (BoxItem* b : std::as_const(m_boxes))
        delete b;
    m_boxes.clear();
    for (const Overlay& o : overlays) {
        auto* box = new BoxItem(o.item, toPage(o.box), o.confidence, o.flagged, m_page);
        box->setToolTip(o.toolTip);
        box->onGeometryEdited = [this](BoxItem* b, const QRectF& before, const QRectF& after) {
            Q_EMIT boxEdited(b->item(), fromPage(before), fromPage(after));
        };
        m_boxes.insert(o.item, box);
    }
    updateLayerVisibility();
    m_syncingSelection = false;
}

void PageView::setLayerVisible(ReviewKind kind, bool visible)
{
    if (visible)
        m_hiddenKinds.remove(kind);
    else
        m_hiddenKinds.insert(kind);
    updateLayerVisibility();
}

void PageView::updateLayerVisibility()
{
    for (BoxItem* b : std::as_const(m_boxes))
        b->setVisible(!m_hiddenKinds.contains(b->item().kind));
}

void PageView::setHighlight(const QRectF& box)
{
    m_highlightBox = box;
    delete m_highlight;
    m_highlight = nullptr;
    if (!m_page || box.isEmpty())
        return;
    m_highlight = new QGraphicsRectItem(toPage(box), m_page);
    QPen pen(QColor(255, 193, 7));
    pen.setCosmetic(true);
    pen.setWidthF(3);
    m_highlight->setPen(pen);
    m_highlight->setBrush(QColor(255, 235, 59, 90));
    m_highlight->setZValue(5);
    m_highlight->setAcceptedMouseButtons(Qt::NoButton);
    // A hit is read in its context: bring it to the middle unless it is already in view.
    if (!viewport()->rect().contains(mapFromScene(m_highlight->sceneBoundingRect()).boundingRect()))
        centerOn(m_highlight);
}

void PageView::selectItem(const ReviewItem& item, bool reveal)
{
    m_syncingSelection = true;
    m_scene->clearSelection();
    if (BoxItem* b = m_boxes.value(item)) {
        b->setSelected(true);
        if (reveal) {
            b->setVisible(true);
            ensureVisible(b->sceneBoundingRect(), 60, 60);
        }
    }
    m_syncingSelection = false;
}

void PageView::selectItems(const std::vector<ReviewItem>& items, bool reveal)
{
    m_syncingSelection = true;
    m_scene->clearSelection();
    QRectF shown;
    for (const ReviewItem& item : items) {
        if (BoxItem* b = m_boxes.value(item)) {
            b->setVisible(true);
            b->setSelected(true);
            shown = shown.united(b->sceneBoundingRect());
        }
    }
    if (reveal && !shown.isEmpty())
        ensureVisible(shown, 60, 60);
    m_syncingSelection = false;
}

std::vector<ReviewItem> PageView::selectedItems() const
{
    std::vector<ReviewItem> out;
    for (QGraphicsItem* i : m_scene->selectedItems()) {
        if (i->type() == BoxItem::Type)
            out.push_back(static_cast<BoxItem*>(i)->item());
    }
    return out;
}

ReviewItem PageView::selectedItem() const
{
    for (QGraphicsItem* i : m_scene->selectedItems()) {
        if (i->type() == BoxItem::Type)
            return static_cast<BoxItem*>(i)->item();
    }
    return {};
}

QRect PageView::viewportRect(const ReviewItem& item) const
{
    const BoxItem* b = m_boxes.value(item);
    return b ? mapFromScene(b->sceneBoundingRect()).boundingRect() : QRect();
}

QRect PageView::viewportRectOfBox(const QRectF& normalizedBox) const
{
    return m_page ? mapFromScene(m_page->mapRectToScene(toPage(normalizedBox))).boundingRect() : QRect();
}

bool PageView::isItemVisible(const ReviewItem& item) const
{
    const QRect r = viewportRect(item);
    return !r.isEmpty() && viewport()->rect().contains(r);
}

double PageView::zoom() const
{
    // 100 % shows a page at its physical size on the screen.
    return transform().m11() * 72.0 / std::max(1, logicalDpiX());
}

void PageView::setZoom(double zoom)
{
    m_fit = FitMode::Free;
    applyZoom(zoom);
}

void PageView::applyZoom(double zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const double scale = zoom * std::max(1, logicalDpiX()) / 72.0;
    setTransform(QTransform::fromScale(scale, scale));
    Q_EMIT zoomChanged(zoom);
    requestRender();
}

void PageView::zoomIn()
{
    setZoom(zoom() * kZoomStep);
}

void PageView::zoomOut()
{
    setZoom(zoom() / kZoomStep);
}

void PageView::setFitMode(FitMode mode)
{
    m_fit = mode;
    applyFit();
}

void PageView::applyFit()
{
    if (!m_page || m_fit == FitMode::Free)
        return;
    const QSize vp = maximumViewportSize() - QSize(kFitMarginPx, kFitMarginPx);
    const QSizeF scene = m_scene->sceneRect().size();
    // Fit width leaves room for the vertical scroll bar it will need.
    const double sw = (vp.width() - (m_fit == FitMode::Width ? verticalScrollBar()->sizeHint().width() : 0)) / scene.width();
    const double sh = vp.height() / scene.height();
    const double scale = m_fit == FitMode::Width ? sw : std::min(sw, sh);
    applyZoom(scale * 72.0 / std::max(1, logicalDpiX()));
}

void PageView::setDrawMode(bool on)
{
    m_drawMode = on;
    viewport()->setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
}

bool PageView::isRendering() const
{
    return m_renderRunning || m_renderDebounce.isActive();
}

void PageView::requestRender()
{
    if (m_page)
        m_renderDebounce.start();
}

void PageView::startRender()
{
    if (!m_page)
        return;
    const double dpi = std::clamp(transform().m11() * 72.0 * devicePixelRatioF(), kMinDpi, kMaxDpi);
    // Close enough to what is shown: a re-render would look the same.
    if (m_pixmapDpi > 0 && std::abs(dpi - m_pixmapDpi) / dpi < 0.1)
        return;
    if (m_renderAbort)
        m_renderAbort->store(true);
    m_renderAbort = std::make_shared<std::atomic<bool>>(false);
    const quint64 serial = ++m_renderSerial;
    m_renderRunning = true;
    renderPageAsync(m_path, m_pageIndex, dpi, m_renderAbort).then(this, [this, serial](const RenderedPage& r) {
        if (serial != m_renderSerial)
            return; // a newer page or zoom took over
        m_renderRunning = false;
        if (r.image.isNull()) {
            Q_EMIT renderFailed(r.error);
            return;
        }
        // The renderer applies the page's own rotation; the reviewer's turn is added here.
        const QImage image = m_viewRotation == 0 ? r.image : r.image.transformed(QTransform().rotate(m_viewRotation));
        m_pixmap->setPixmap(QPixmap::fromImage(image));
        m_pixmap->setScale(m_displayedSize.width() / image.width());
        m_pixmapDpi = r.dpi;
    });
}

void PageView::onSelectionChanged()
{
    if (m_syncingSelection)
        return;
    const ReviewItem item = selectedItem();
    if (!item.isNull())
        Q_EMIT itemSelected(item);
}

void PageView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        setZoom(zoom() * std::pow(kZoomStep, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void PageView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    applyFit();
}

void PageView::mousePressEvent(QMouseEvent* event)
{
    if (m_drawMode && m_page && event->button() == Qt::LeftButton) {
        const QGraphicsItem* under = itemAt(event->position().toPoint());
        if (!under || under->type() != BoxItem::Type) {
            const QPointF p = m_page->mapFromScene(mapToScene(event->position().toPoint()));
            if (m_page->rect().contains(p)) {
                m_drawStart = p;
                m_drawing = new QGraphicsRectItem(QRectF(p, p), m_page);
                QPen pen(BoxItem::kindColor(ReviewKind::Field));
                pen.setCosmetic(true);
                pen.setStyle(Qt::DashLine);
                m_drawing->setPen(pen);
                m_drawing->setZValue(6);
                event->accept();
                return;
            }
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void PageView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_drawing) {
        QPointF p = m_page->mapFromScene(mapToScene(event->position().toPoint()));
        const QRectF bounds = m_page->rect();
        p = QPointF(std::clamp(p.x(), bounds.left(), bounds.right()), std::clamp(p.y(), bounds.top(), bounds.bottom()));
        m_drawing->setRect(QRectF(m_drawStart, p).normalized());
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void PageView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_drawing) {
        const QRectF r = m_drawing->rect();
        delete m_drawing;
        m_drawing = nullptr;
        if (std::min(r.width(), r.height()) * transform().m11() >= kMinDrawnPixels)
            Q_EMIT boxDrawn(m_pageIndex, fromPage(r));
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

} // namespace folio::ui
