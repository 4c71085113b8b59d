#include "ingest/imagedocument.h"

#include "ingest/opaquergb.h"

#include <QImageReader>

#include <cmath>

namespace folio::ingest {

namespace {

    Error pageError(const QString& path, int page, const QString& what)
    {
        return makeError(QStringLiteral("%1, page %2: %3").arg(path).arg(page + 1).arg(what).toStdString());
    }

} // namespace

ImageDocument::ImageDocument(QString path, int frameCount)
    : m_path(std::move(path))
    , m_frameCount(frameCount)
{
}

Result<std::unique_ptr<ImageDocument>> ImageDocument::open(const QString& path)
{
    QImageReader reader(path);
    if (!reader.canRead())
        return makeError(QStringLiteral("%1: not a readable image: %2").arg(path, reader.errorString()).toStdString());
    // Single-frame formats report 0 or 1; TIFF reports its page count.
    const int frames = std::max(1, reader.imageCount());
    std::unique_ptr<ImageDocument> doc(new ImageDocument(path, frames));
    // Decode the first frame now so a corrupt file fails at open, not later in the pipeline.
    const Result<QImage> first = doc->frame(0);
    if (!first)
        return makeError(first.error());
    return doc;
}

Result<QImage> ImageDocument::frame(int page) const
{
    if (page < 0 || page >= m_frameCount)
        return pageError(m_path, page, QStringLiteral("no such page (the file has %1)").arg(m_frameCount));
    if (page == m_cachedPage)
        return m_cached;

    QImageReader reader(m_path);
    reader.setAutoTransform(true); // EXIF orientation: store the page as a person sees it
    if (page > 0 && !reader.jumpToImage(page))
        return pageError(m_path, page, QStringLiteral("cannot seek to this frame: %1").arg(reader.errorString()));
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > kMaxRenderPixels)
        return pageError(m_path, page, QStringLiteral("absurd image size %1 x %2 pixels").arg(size.width()).arg(size.height()));
    QImage image = reader.read();
    if (image.isNull())
        return pageError(m_path, page, QStringLiteral("cannot decode the image: %1").arg(reader.errorString()));

    image = toOpaqueRgb(image);
    m_cachedPage = page;
    m_cached = image;
    return image;
}

double ImageDocument::frameDpi(const QImage& image) const
{
    const double dpi = image.dotsPerMeterX() * 0.0254;
    // Files without a resolution come back as 96 dpi (Qt's default) or 72 dpi (most writers'
    // default); neither says anything about paper, so treat them, and nonsense, as unknown.
    const bool placeholder = std::abs(dpi - 96.0) < 0.5 || std::abs(dpi - 72.0) < 0.5;
    if (placeholder || dpi < 50.0 || dpi > 2400.0)
        return kAssumedDpi;
    return dpi;
}

Result<PageInfo> ImageDocument::pageInfo(int page) const
{
    const Result<QImage> image = frame(page);
    if (!image)
        return makeError(image.error());
    const double dpi = frameDpi(*image);
    return PageInfo{QSizeF(image->width() * 72.0 / dpi, image->height() * 72.0 / dpi), 0, dpi};
}

Result<QImage> ImageDocument::render(int page, double dpi, const std::atomic<bool>* abort) const
{
    const Result<QImage> image = frame(page);
    if (!image)
        return makeError(image.error());
    if (!(dpi >= 1.0 && dpi <= 2400.0))
        return pageError(m_path, page, QStringLiteral("render resolution %1 dpi is out of range").arg(dpi));
    if (abort && abort->load())
        return pageError(m_path, page, QStringLiteral("rendering was cancelled"));
    const double scale = dpi / frameDpi(*image);
    const QSize target(std::max(1, int(std::lround(image->width() * scale))), std::max(1, int(std::lround(image->height() * scale))));
    if (qint64(target.width()) * target.height() > kMaxRenderPixels)
        return pageError(m_path, page, QStringLiteral("rendering at %1 dpi would be too large; use a lower dpi").arg(dpi));
    if (target == image->size())
        return *image;
    return image->scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB888);
}

Result<std::vector<Word>> ImageDocument::words(int page) const
{
    if (page < 0 || page >= m_frameCount)
        return pageError(m_path, page, QStringLiteral("no such page (the file has %1)").arg(m_frameCount));
    return std::vector<Word>{}; // an image has no text layer; the model reads it
}

} // namespace folio::ingest
