#include "tiffwriter.h"

#include <QByteArray>
#include <QSaveFile>
#include <QtEndian>

namespace folio::samplegen {

namespace {

enum FieldType : quint16 { Short = 3, Long = 4, Rational = 5 };

struct Entry {
    quint16 tag;
    quint16 type;
    quint32 count;
    quint32 value; // the value itself (SHORT/LONG, count 1; two SHORTs packed) or an offset
};

void put16(QByteArray& out, quint16 v)
{
    const quint16 le = qToLittleEndian(v);
    out.append(reinterpret_cast<const char*>(&le), 2);
}

void put32(QByteArray& out, quint32 v)
{
    const quint32 le = qToLittleEndian(v);
    out.append(reinterpret_cast<const char*>(&le), 4);
}

void align2(QByteArray& out)
{
    if (out.size() % 2)
        out.append('\0');
}

// The pixel rows with the TIFF horizontal predictor applied (each byte minus its left neighbour).
QByteArray predicted(const QImage& grey)
{
    QByteArray data;
    data.reserve(static_cast<qsizetype>(grey.width()) * grey.height());
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* row = grey.constScanLine(y);
        data.append(static_cast<char>(row[0]));
        for (int x = 1; x < grey.width(); ++x)
            data.append(static_cast<char>(static_cast<uchar>(row[x] - row[x - 1])));
    }
    return data;
}

} // namespace

Result<void> writeGreyTiff(const QString& path, const std::vector<QImage>& pages, int dpi)
{
    if (pages.empty())
        return makeError("No pages to write to the TIFF " + path.toStdString());
    QByteArray out("II*\0", 4);
    const qsizetype firstIfdPointer = out.size();
    put32(out, 0); // patched below

    qsizetype previousNextPointer = firstIfdPointer;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const QImage grey = pages[i].convertToFormat(QImage::Format_Grayscale8);
        // qCompress prefixes the zlib stream with a 4-byte length; TIFF Deflate wants the bare stream.
        const QByteArray strip = qCompress(predicted(grey), 9).mid(4);
        align2(out);
        const auto stripOffset = static_cast<quint32>(out.size());
        out.append(strip);
        align2(out);
        const auto resolutionOffset = static_cast<quint32>(out.size());
        put32(out, static_cast<quint32>(dpi));
        put32(out, 1);

        const auto ifdOffset = static_cast<quint32>(out.size());
        qToLittleEndian(ifdOffset, out.data() + previousNextPointer);
        const quint32 pageNumbers = static_cast<quint32>(i) | (static_cast<quint32>(pages.size()) << 16);
        const Entry entries[] = {
            { 254, Long, 1, pages.size() > 1 ? 2u : 0u }, // NewSubfileType: page of a multi-page document
            { 256, Long, 1, static_cast<quint32>(grey.width()) }, { 257, Long, 1, static_cast<quint32>(grey.height()) },
            { 258, Short, 1, 8 }, // BitsPerSample
            { 259, Short, 1, 8 }, // Compression: Deflate
            { 262, Short, 1, 1 }, // PhotometricInterpretation: BlackIsZero
            { 273, Long, 1, stripOffset }, { 277, Short, 1, 1 }, // SamplesPerPixel
            { 278, Long, 1, static_cast<quint32>(grey.height()) }, // RowsPerStrip
            { 279, Long, 1, static_cast<quint32>(strip.size()) }, { 282, Rational, 1, resolutionOffset },
            { 283, Rational, 1, resolutionOffset }, { 296, Short, 1, 2 }, // ResolutionUnit: inch
            { 297, Short, 2, pageNumbers }, { 317, Short, 1, 2 }, // Predictor: horizontal differencing
        };
        put16(out, static_cast<quint16>(std::size(entries)));
        for (const Entry& e : entries) {
            put16(out, e.tag);
            put16(out, e.type);
            put32(out, e.count);
            put32(out, e.value); // SHORTs are left-justified: little-endian puts them first
        }
        previousNextPointer = out.size();
        put32(out, 0);
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(out) < 0 || !file.commit())
        return makeError("Cannot write the TIFF " + path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

} // namespace folio::samplegen
