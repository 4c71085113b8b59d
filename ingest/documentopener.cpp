#include "ingest/documentopener.h"

#include "ingest/filecheck.h"
#include "ingest/filetype.h"
#include "ingest/imagedocument.h"
#include "ingest/pdfdocument.h"

#include <QFile>

namespace folio::ingest {

namespace {

    Error fileError(const QString& path, const QString& what)
    {
        return makeError(QStringLiteral("%1: %2").arg(path, what).toStdString());
    }

    template <typename Doc>
    Result<std::unique_ptr<SourceDocument>> upcast(Result<std::unique_ptr<Doc>> opened)
    {
        if (!opened)
            return makeError(opened.error());
        return std::unique_ptr<SourceDocument>(std::move(opened).value());
    }

} // namespace

Result<std::unique_ptr<SourceDocument>> openDocument(const QString& path, const QByteArray& password)
{
    if (auto regular = checkRegularFile(path); !regular)
        return makeError(regular.error());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot read the file: %1").arg(file.errorString()));
    if (file.size() == 0)
        return fileError(path, QStringLiteral("the file is empty (0 bytes)"));
    const QByteArray head = file.read(1024);
    file.close();

    const FileType actual = sniffFileType(head);
    const FileType named = typeFromExtension(path);
    if (named != FileType::Unknown && actual != FileType::Unknown && actual != named)
        return fileError(path, QStringLiteral("the name says %1 but the content is %2; rename the file to match")
                                   .arg(fileTypeName(named), fileTypeName(actual)));
    if (actual == FileType::Pdf)
        return upcast(PdfDocument::open(path, password));
    if (isSupportedImage(actual))
        return upcast(ImageDocument::open(path));
    // Poppler also reads a PDF whose header is missing altogether (pdfinfo: "May not be a PDF
    // file (continuing anyway)"), so a file named .pdf gets that chance before it is refused.
    if (actual == FileType::Unknown && named == FileType::Pdf) {
        if (auto pdf = PdfDocument::open(path, password))
            return std::unique_ptr<SourceDocument>(std::move(pdf).value());
        return fileError(path, QStringLiteral("not a PDF: the file does not start with a PDF header (damaged or not a PDF)"));
    }
    if (actual == FileType::Unknown && named != FileType::Unknown)
        return fileError(path, QStringLiteral("not %1: the content is not recognisable (damaged?)").arg(fileTypeName(named)));
    return fileError(path, QStringLiteral("unsupported file type (%1); Folio reads PDF, PNG, JPEG and TIFF files")
                               .arg(fileTypeName(actual)));
}

} // namespace folio::ingest
