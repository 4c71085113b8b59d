#pragma once
// Page rendering off the GUI thread. Each call opens its own SourceDocument on a QThreadPool
// thread (a SourceDocument is single-threaded), renders, and hands the image back through the
// returned QFuture; attach a continuation with QFuture::then(context, ...) to get it on the
// GUI thread. Nothing here touches widgets.

#include <QByteArray>
#include <QFuture>
#include <QImage>
#include <QString>

#include <atomic>
#include <memory>

namespace folio::ui {

struct RenderedPage {
    QImage image;  // null when rendering failed or was aborted
    QString error; // names the file and page when image is null
    int pageIndex = 0;
    double dpi = 0;
};

// Renders page `pageIndex` (0-based) of `path` as displayed (rotation applied) at `dpi`.
// Setting *abort gives up early (the result then carries an error saying so).
QFuture<RenderedPage> renderPageAsync(const QString& path, int pageIndex, double dpi,
                                      std::shared_ptr<std::atomic<bool>> abort = {});

// A page of a document (the first unless told) scaled to fit maxSide pixels, cached as a PNG
// named after the content hash and page under cacheDir (created as needed), so a library or a
// page strip opens without re-rendering.
QFuture<RenderedPage> thumbnailAsync(const QString& path, const QByteArray& sha256Hex, int maxSide,
                                     const QString& cacheDir, int pageIndex = 0);

} // namespace folio::ui
