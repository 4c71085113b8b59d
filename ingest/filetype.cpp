#include "ingest/filetype.h"

#include <QFileInfo>
#include <QStringList>

namespace folio::ingest {

FileType sniffFileType(const QByteArray& head)
{
    if (head.isEmpty())
        return FileType::Empty;
    // PDF readers accept the header anywhere in the first 1024 bytes (some files start with junk).
    if (head.left(1024).contains("%PDF-"))
        return FileType::Pdf;
    if (head.startsWith("\x89PNG\r\n\x1a\n"))
        return FileType::Png;
    if (head.startsWith("\xff\xd8\xff"))
        return FileType::Jpeg;
    if (head.startsWith("II*\0") || head.startsWith(QByteArray("MM\0*", 4)))
        return FileType::Tiff;
    if (head.startsWith("GIF87a") || head.startsWith("GIF89a"))
        return FileType::Gif;
    if (head.startsWith("BM"))
        return FileType::Bmp;
    if (head.startsWith("RIFF") && head.mid(8, 4) == "WEBP")
        return FileType::WebP;
    if (head.startsWith("PK\x03\x04"))
        return FileType::Zip;
    return FileType::Unknown;
}

FileType typeFromExtension(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"pdf")
        return FileType::Pdf;
    if (suffix == u"png")
        return FileType::Png;
    if (suffix == u"jpg" || suffix == u"jpeg")
        return FileType::Jpeg;
    if (suffix == u"tif" || suffix == u"tiff")
        return FileType::Tiff;
    if (suffix == u"gif")
        return FileType::Gif;
    if (suffix == u"bmp")
        return FileType::Bmp;
    if (suffix == u"webp")
        return FileType::WebP;
    return FileType::Unknown;
}

QString fileTypeName(FileType type)
{
    switch (type) {
    case FileType::Empty:
        return QStringLiteral("an empty file");
    case FileType::Pdf:
        return QStringLiteral("a PDF");
    case FileType::Png:
        return QStringLiteral("a PNG image");
    case FileType::Jpeg:
        return QStringLiteral("a JPEG image");
    case FileType::Tiff:
        return QStringLiteral("a TIFF image");
    case FileType::Gif:
        return QStringLiteral("a GIF image");
    case FileType::Bmp:
        return QStringLiteral("a BMP image");
    case FileType::WebP:
        return QStringLiteral("a WebP image");
    case FileType::Zip:
        return QStringLiteral("a ZIP archive (or an Office document)");
    case FileType::Unknown:
        break;
    }
    return QStringLiteral("an unknown type");
}

bool isSupportedImage(FileType type)
{
    return type == FileType::Png || type == FileType::Jpeg || type == FileType::Tiff;
}

QStringList supportedSuffixes()
{
    return {QStringLiteral("pdf"), QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
            QStringLiteral("tif"), QStringLiteral("tiff")};
}

} // namespace folio::ingest
