#include "ingest/imagedocument.h"

#include "ingest/filetype.h"
#include "ingest/imagetruncation.h"
#include "ingest/opaquergb.h"

#include <QBuffer>
#include <QFile>
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

ImageDocument::~ImageDocument() = default;

Result<std::unique_ptr<ImageDocument>> ImageDocument::open(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot read the file: %2").arg(path, file.errorString()).toStdString());
    const FileType type = sniffFileType(file.read(16));
    std::unique_ptr<ImageDocument> doc;
    if (type == FileType::Tiff) {
        file.close();
        Result<std::unique_ptr<TiffFrames>> frames = TiffFrames::open(path);
        if (!frames)
            return makeError(frames.error());
        doc.reset(new ImageDocument(path, (*frames)->count()));
        doc->m_tiff = std::move(frames).value();
        doc->m_frameWarnings.resize(size_t(doc->m_frameCount));
    } else {
        file.seek(0);
        doc.reset(new ImageDocument(path, 1));
        doc->m_bytes = file.readAll();
        doc->m_fileWarning = truncationWarning(doc->m_bytes, type);
    }
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

    QImage image;
    if (m_tiff) {
        Result<QImage> decoded = m_tiff->read(page, &m_frameWarnings[size_t(page)]);
        if (!decoded)
            return makeError(decoded.error());
        image = std::move(decoded).value();
    } else {
        QBuffer buffer;
        buffer.setData(m_bytes);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        reader.setAutoTransform(true); // EXIF orientation: store the page as a person sees it
        const QSize size = reader.size();
        if (size.isValid() && qint64(size.width()) * size.height() > kMaxRenderPixels)
            return pageError(m_path, page, QStringLiteral("absurd image size %1 x %2 pixels").arg(size.width()).arg(size.height()));
        image = reader.read();
        if (image.isNull())
            return makeError(QStringLiteral("%1: not a readable image: %2").arg(m_path, reader.errorString()).toStdString());
    }

    image = toOpaqueRgb(image);
    m_cachedPage = page;
    m_cached = image;
    return image;
}

QString ImageDocument::warning(int page) const
{
    if (m_tiff)
        return page >= 0 && page < m_frameCount ? m_frameWarnings[size_t(page)] : QString();
    return page == 0 ? m_fileWarning : QString();
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
