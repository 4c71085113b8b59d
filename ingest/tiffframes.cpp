#include "ingest/tiffframes.h"

#include "ingest/pagebudget.h"
#include "ingest/sourcedocument.h"

#include <QFile>
#include <QStringList>

#include <tiffio.h>

namespace folio::ingest {

struct TiffFrames::Handle {
    TIFF* tiff = nullptr;
    QStringList messages; // errors and warnings since the last clear
    ~Handle()
    {
        if (tiff)
            TIFFClose(tiff);
    }
};

namespace {

    int collect(TIFF*, void* user, const char* module, const char* format, va_list args)
    {
        auto* messages = static_cast<QStringList*>(user);
        if (messages->size() < 20) {
            char text[512];
            std::vsnprintf(text, sizeof text, format, args);
            messages->append(QStringLiteral("%1: %2").arg(QString::fromUtf8(module ? module : ""), QString::fromUtf8(text)));
        }
        return 1; // handled: libtiff prints nothing
    }

    QString firstMessage(const QStringList& messages)
    {
        return messages.isEmpty() ? QStringLiteral("libtiff gave no reason") : messages.first();
    }

} // namespace

TiffFrames::TiffFrames(QString path)
    : m_path(std::move(path))
    , m_handle(std::make_unique<Handle>())
{
}

TiffFrames::~TiffFrames() = default;

Result<std::unique_ptr<TiffFrames>> TiffFrames::open(const QString& path)
{
    std::unique_ptr<TiffFrames> frames(new TiffFrames(path));
    Handle& h = *frames->m_handle;
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, collect, &h.messages);
    TIFFOpenOptionsSetWarningHandlerExtR(options, collect, &h.messages);
    h.tiff = TIFFOpenExt(QFile::encodeName(path).constData(), "r", options);
    TIFFOpenOptionsFree(options);
    if (!h.tiff)
        return makeError(QStringLiteral("%1: not a readable TIFF image: %2").arg(path, firstMessage(h.messages)).toStdString());
    // One pass over the directory chain; libtiff itself refuses a chain that loops.
    do {
        if (frames->m_offsets.size() >= size_t(kMaxFrames))
            return makeError(QStringLiteral("%1: the TIFF file has more than %2 pages").arg(path).arg(kMaxFrames).toStdString());
        frames->m_offsets.push_back(TIFFCurrentDirOffset(h.tiff));
    } while (TIFFReadDirectory(h.tiff) == 1);
    return frames;
}

Result<QImage> TiffFrames::read(int index, QString* warning)
{
    const auto fail = [&](const QString& what) {
        return makeError(QStringLiteral("%1, page %2: %3").arg(m_path).arg(index + 1).arg(what).toStdString());
    };
    Handle& h = *m_handle;
    warning->clear();
    h.messages.clear();
    if (index < 0 || index >= count())
        return fail(QStringLiteral("no such page (the file has %1)").arg(count()));
    if (!TIFFSetSubDirectory(h.tiff, m_offsets[size_t(index)]))
        return fail(QStringLiteral("cannot read this page's directory: %1").arg(firstMessage(h.messages)));
    uint32_t width = 0, height = 0;
    TIFFGetField(h.tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(h.tiff, TIFFTAG_IMAGELENGTH, &height);
    if (width == 0 || height == 0)
        return fail(QStringLiteral("the page has no pixels (%1 x %2)").arg(width).arg(height));
    if (quint64(width) * height > quint64(kMaxRenderPixels))
        return fail(QStringLiteral("absurd image size %1 x %2 pixels").arg(width).arg(height));
    // Decoded here, not in the page worker: the page (4 bytes a pixel) and libtiff's strip buffer
    // (up to as much again when one strip holds the page) must fit one page's memory budget, or a
    // few hundred bytes of header could make the app allocate gigabytes (found by fuzz_document).
    const qint64 budget = PageBudget{}.memoryBytes;
    if (qint64(width) * height * 8 > budget)
        return fail(QStringLiteral("the page is %1 x %2 pixels; decoding it needs %3 MiB, more than the %4 MiB a page may use")
                        .arg(width)
                        .arg(height)
                        .arg(qint64(width) * height * 8 >> 20)
                        .arg(budget >> 20));

    QImage image(int(width), int(height), QImage::Format_ARGB32);
    if (image.isNull())
        return fail(QStringLiteral("not enough memory for %1 x %2 pixels").arg(width).arg(height));
    // stopOnError = 0: a damaged strip leaves its rows blank and the rest of the page readable.
    const int ok = TIFFReadRGBAImageOriented(h.tiff, width, height, reinterpret_cast<uint32_t*>(image.bits()),
                                             ORIENTATION_TOPLEFT, 0);
    if (!ok && h.messages.isEmpty())
        return fail(QStringLiteral("cannot decode the image"));
    if (!ok || !h.messages.isEmpty())
        *warning = QStringLiteral("the image is damaged (%1); parts of the page may be blank").arg(firstMessage(h.messages));
    // libtiff's RGBA is ABGR in memory order (R in the lowest byte); QImage's ARGB32 is BGRA.
    // Swapped in place: a copy would double the memory of a page that may be 400 Mpixels.
    image.rgbSwap();

    float xres = 0, yres = 0;
    uint16_t unit = RESUNIT_INCH;
    TIFFGetField(h.tiff, TIFFTAG_RESOLUTIONUNIT, &unit);
    if (TIFFGetField(h.tiff, TIFFTAG_XRESOLUTION, &xres) && TIFFGetField(h.tiff, TIFFTAG_YRESOLUTION, &yres)
        && xres > 0 && yres > 0 && unit != RESUNIT_NONE) {
        const double perMetre = unit == RESUNIT_CENTIMETER ? 100.0 : 1.0 / 0.0254;
        image.setDotsPerMeterX(int(xres * perMetre + 0.5));
        image.setDotsPerMeterY(int(yres * perMetre + 0.5));
    }
    return image;
}

} // namespace folio::ingest
