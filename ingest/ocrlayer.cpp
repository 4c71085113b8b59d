#include "ingest/ocrlayer.h"

#include "ingest/pagegeometry.h"

namespace folio::ingest {

QString ocrModeName(OcrMode mode)
{
    switch (mode) {
    case OcrMode::Never:
        return QStringLiteral("never");
    case OcrMode::Auto:
        return QStringLiteral("auto");
    case OcrMode::Always:
        return QStringLiteral("always");
    }
    return {};
}

std::optional<OcrMode> parseOcrMode(const QString& name)
{
    for (OcrMode mode : { OcrMode::Never, OcrMode::Auto, OcrMode::Always }) {
        if (name.compare(ocrModeName(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

bool wantsOcr(OcrMode mode, bool pageHasTextLayer)
{
    return mode == OcrMode::Always || (mode == OcrMode::Auto && !pageHasTextLayer);
}

Result<PageOcr> ocrPage(const SourceDocument& doc, int page, OcrEngine& engine, const OcrProgress& progress,
                        const std::atomic<bool>* cancel)
{
    const Result<PageInfo> info = doc.pageInfo(page);
    if (!info)
        return makeError(info.error());
    // A scan is read at the resolution it was scanned at: resampling only blurs it.
    const double dpi = info->scanDpi > 0 ? info->scanDpi : kPdfOcrDpi;
    const Result<QImage> image = doc.render(page, dpi, cancel);
    if (!image)
        return makeError(image.error());
    Result<OcrPage> recognised = engine.recognize(*image, dpi, true, progress, cancel);
    if (!recognised)
        return makeError(QStringLiteral("%1, page %2: %3")
                             .arg(doc.path())
                             .arg(page + 1)
                             .arg(QString::fromStdString(recognised.error()))
                             .toStdString());
    PageOcr out;
    out.orientation = recognised->orientation;
    out.dpi = dpi;
    out.words = std::move(recognised->words);
    // The render shows the page as displayed; boxes are kept on the unrotated page.
    for (Word& w : out.words)
        w.box = displayedToUnrotated(w.box, info->rotation).intersected(QRectF(0, 0, 1, 1));
    return out;
}

} // namespace folio::ingest
