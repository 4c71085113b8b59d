#include "ingest/imagetruncation.h"

namespace folio::ingest {

namespace {

    bool jpegIsWhole(const QByteArray& bytes)
    {
        const qsizetype scan = bytes.lastIndexOf(QByteArray("\xff\xda", 2));
        return scan >= 0 && bytes.indexOf(QByteArray("\xff\xd9", 2), scan + 2) >= 0;
    }

    quint32 bigEndian32(const char* p)
    {
        const auto* u = reinterpret_cast<const unsigned char*>(p);
        return (quint32(u[0]) << 24) | (quint32(u[1]) << 16) | (quint32(u[2]) << 8) | quint32(u[3]);
    }

    bool pngIsWhole(const QByteArray& bytes)
    {
        qint64 at = 8; // after the signature
        while (at + 12 <= bytes.size()) {
            const qint64 length = bigEndian32(bytes.constData() + at);
            if (bytes.mid(at + 4, 4) == "IEND")
                return true;
            at += 12 + length; // length, type, data, CRC
        }
        return false;
    }

} // namespace

QString truncationWarning(const QByteArray& bytes, FileType type)
{
    if (type == FileType::Jpeg && !jpegIsWhole(bytes))
        return QStringLiteral("the JPEG file is truncated (it has no end-of-image marker); the lower part of the page "
                              "is missing or grey");
    if (type == FileType::Png && !pngIsWhole(bytes))
        return QStringLiteral("the PNG file is truncated (it has no IEND chunk); part of the page may be missing");
    return {};
}

} // namespace folio::ingest
