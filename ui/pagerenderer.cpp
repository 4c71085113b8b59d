#include "ui/pagerenderer.h"

#include "ingest/documentopener.h"

#include <QDir>
#include <QtConcurrent>

#include <algorithm>

namespace folio::ui {

namespace {

    RenderedPage render(const QString& path, int pageIndex, double dpi, const std::atomic<bool>* abort)
    {
        RenderedPage out;
        out.pageIndex = pageIndex;
        out.dpi = dpi;
        const auto doc = ingest::openDocument(path);
        if (!doc) {
            out.error = QString::fromStdString(doc.error());
            return out;
        }
        const auto image = (*doc)->render(pageIndex, dpi, abort);
        if (!image) {
            out.error = QString::fromStdString(image.error());
            return out;
        }
        out.image = *image;
        return out;
    }

} // namespace

QFuture<RenderedPage> renderPageAsync(const QString& path, int pageIndex, double dpi,
                                      std::shared_ptr<std::atomic<bool>> abort)
{
    return QtConcurrent::run([path, pageIndex, dpi, abort] { return render(path, pageIndex, dpi, abort.get()); });
}

QFuture<RenderedPage> thumbnailAsync(const QString& path, const QByteArray& sha256Hex, int maxSide,
                                     const QString& cacheDir, int pageIndex)
{
    return QtConcurrent::run([=] {
        // The first page keeps the name it always had, so existing caches stay valid.
        const QString page = pageIndex == 0 ? QString() : QStringLiteral("-p%1").arg(pageIndex);
        const QString cached = QDir(cacheDir).filePath(QStringLiteral("%1%2-%3.png").arg(QString::fromLatin1(sha256Hex), page).arg(maxSide));
        RenderedPage out;
        out.pageIndex = pageIndex;
        if (out.image.load(cached))
            return out;
        const auto doc = ingest::openDocument(path);
        if (!doc) {
            out.error = QString::fromStdString(doc.error());
            return out;
        }
        const auto info = (*doc)->pageInfo(pageIndex);
        if (!info) {
            out.error = QString::fromStdString(info.error());
            return out;
        }
        // The displayed page's longer side decides the scale; rotation does not change it.
        const double longSidePt = std::max(info->sizePt.width(), info->sizePt.height());
        out = render(path, pageIndex, maxSide * 72.0 / std::max(1.0, longSidePt), nullptr);
        // A failed cache write only costs a re-render next time.
        if (!out.image.isNull() && QDir().mkpath(cacheDir))
            out.image.save(cached, "PNG");
        return out;
    });
}

} // namespace folio::ui
