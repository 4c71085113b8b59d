#include "ui/pagestrip.h"

#include "ui/pagerenderer.h"

#include <QScrollBar>

namespace folio::ui {

namespace {

    constexpr int kThumbnailSide = 96;

} // namespace

PageStrip::PageStrip(const QString& cacheDir, QWidget* parent) : QListWidget(parent), m_cacheDir(cacheDir)
{
    setObjectName(QStringLiteral("pageStrip"));
    setViewMode(IconMode);
    setFlow(TopToBottom);
    setWrapping(false);
    setMovement(Static);
    setResizeMode(Adjust);
    setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    setSpacing(4);
    setSelectionMode(SingleSelection);
    setUniformItemSizes(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A click or the arrow keys in the strip; the window's own page changes are signal-blocked.
    connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            Q_EMIT pageSelected(row);
    });
}

QSize PageStrip::sizeHint() const
{
    return {kThumbnailSide + 2 * spacing() + 2 * frameWidth() + verticalScrollBar()->sizeHint().width() + 8, 400};
}

void PageStrip::clearDocument()
{
    const QSignalBlocker block(this);
    ++m_generation;
    m_pending = 0;
    m_images.clear();
    m_rotations.clear();
    clear();
}

void PageStrip::setDocument(const QString& path, const QByteArray& sha256Hex, const std::vector<int>& viewRotations)
{
    clearDocument();
    const QSignalBlocker block(this);
    m_rotations = viewRotations;
    m_images.resize(viewRotations.size());
    const quint64 generation = m_generation;
    QPixmap placeholder(kThumbnailSide * 3 / 4, kThumbnailSide);
    placeholder.fill(Qt::lightGray);
    for (int p = 0; p < int(viewRotations.size()); ++p) {
        auto* item = new QListWidgetItem(QIcon(placeholder), QString::number(p + 1), this);
        item->setTextAlignment(Qt::AlignHCenter);
        item->setToolTip(tr("Page %1").arg(p + 1));
        ++m_pending;
        thumbnailAsync(path, sha256Hex, kThumbnailSide, m_cacheDir, p).then(this, [this, generation, p](const RenderedPage& r) {
            if (generation != m_generation)
                return;
            --m_pending;
            // A page that cannot be rendered keeps its placeholder; the page view reports why.
            if (r.image.isNull() || size_t(p) >= m_images.size())
                return;
            m_images[size_t(p)] = r.image;
            showThumbnail(p);
        });
    }
}

QImage PageStrip::thumbnail(int pageIndex) const
{
    if (pageIndex < 0 || size_t(pageIndex) >= m_images.size() || m_images[size_t(pageIndex)].isNull())
        return {};
    const int degrees = m_rotations[size_t(pageIndex)];
    const QImage& image = m_images[size_t(pageIndex)];
    return degrees == 0 ? image : image.transformed(QTransform().rotate(degrees));
}

void PageStrip::showThumbnail(int pageIndex)
{
    if (QListWidgetItem* it = item(pageIndex); it && !m_images[size_t(pageIndex)].isNull())
        it->setIcon(QIcon(QPixmap::fromImage(thumbnail(pageIndex))));
}

void PageStrip::setCurrentPage(int pageIndex)
{
    const QSignalBlocker block(this);
    setCurrentRow(pageIndex);
    if (QListWidgetItem* it = item(pageIndex))
        scrollToItem(it);
}

void PageStrip::setPageRotation(int pageIndex, int degrees)
{
    if (pageIndex < 0 || size_t(pageIndex) >= m_rotations.size())
        return;
    m_rotations[size_t(pageIndex)] = degrees;
    showThumbnail(pageIndex);
}

} // namespace folio::ui
