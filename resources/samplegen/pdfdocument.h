#pragma once
// PdfDocument: writes a sample PDF through QPdfWriter so that it is byte-identical on every run:
// fixed creator and title, fixed creation date (2026-03-15 09:00 UTC), zero margins, 72 DPI (one painter
// unit = one PDF point, top-left origin). Text drawn with QPainter::drawText lands in the text
// layer. Runs on the GUI thread (QPdfWriter needs the font database).

#include "inference/result.h"

#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QString>

#include <functional>

namespace folio::samplegen {

// Paints page `pageIndex` (0-based) of a document; an error stops the document.
using PagePainter = std::function<Result<void>(QPainter& painter, int pageIndex)>;

// Writes `pageCount` pages of `pageSize` in `orientation`, each painted by `paint`, to `path`.
Result<void> writePdf(const QString& path, const QString& title, const QPageSize& pageSize,
    QPageLayout::Orientation orientation, int pageCount, const PagePainter& paint);

} // namespace folio::samplegen
