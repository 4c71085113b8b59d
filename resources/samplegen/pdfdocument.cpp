#include "pdfdocument.h"

#include <QBuffer>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <string>

namespace folio::samplegen {

Result<void> writePdf(const QString& path, const QString& title, const QPageSize& pageSize,
    QPageLayout::Orientation orientation, int pageCount, const PagePainter& paint)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("Folio samplegen"));
        writer.setTitle(title);
        writer.setResolution(72);
        writer.setPageLayout(QPageLayout(pageSize, orientation, QMarginsF(0, 0, 0, 0)));
        QPainter painter;
        if (!painter.begin(&writer))
            return makeError("Cannot start painting the PDF " + path.toStdString());
        painter.setRenderHint(QPainter::Antialiasing);
        for (int i = 0; i < pageCount; ++i) {
            if (i > 0)
                writer.newPage();
            if (auto painted = paint(painter, i); !painted)
                return makeError(path.toStdString() + " page " + std::to_string(i + 1) + ": " + painted.error());
        }
        painter.end();
    }
    // QPdfWriter stamps the current time as /CreationDate; overwrite it in place (same length,
    // so the cross-reference offsets stay valid) with the samples' fixed date.
    QByteArray pdf = buffer.data();
    const QByteArray key("/CreationDate (D:");
    const QByteArray fixedDate("20260315090000");
    const qsizetype at = pdf.indexOf(key);
    const qsizetype digits = at + key.size();
    if (at < 0 || digits + fixedDate.size() > pdf.size()
        || !std::all_of(
            pdf.begin() + digits, pdf.begin() + digits + fixedDate.size(), [](char c) { return c >= '0' && c <= '9'; }))
        return makeError("QPdfWriter wrote no /CreationDate where expected in " + path.toStdString()
            + "; this Qt version needs a new way to make the PDF reproducible.");
    pdf.replace(digits, fixedDate.size(), fixedDate);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pdf) < 0 || !file.commit())
        return makeError("Cannot write the PDF " + path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

} // namespace folio::samplegen
