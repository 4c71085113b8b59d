#include "scansample.h"

#include "invoicerenderer.h"
#include "pagecanvas.h"
#include "prng.h"
#include "tiffwriter.h"
#include "truthwriter.h"

#include <QDir>
#include <QImage>
#include <QImageWriter>
#include <QTransform>

#include <algorithm>
#include <cmath>

namespace folio::samplegen {

namespace {

constexpr int kDpi = 200;
constexpr qreal kScale = kDpi / 72.0;
constexpr int kDpm72 = 2835; // QImage reports qRound(2835 × 0.0254) = 72 logical DPI
const QColor kScannerBed(0x9c, 0x9c, 0x9c);
const QColor kPaper(0xf2, 0xf1, 0xee);

// Pixel transform of a page drawn in points: scale to 200 DPI, then rotate about the image centre.
QTransform scanTransform(QSize image, qreal degrees)
{
    const QPointF c(image.width() / 2.0, image.height() / 2.0);
    QTransform t;
    t.translate(c.x(), c.y());
    t.rotate(degrees);
    t.translate(-c.x(), -c.y());
    t.scale(kScale, kScale);
    return t;
}

QImage blankScan(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.setDotsPerMeterX(kDpm72);
    image.setDotsPerMeterY(kDpm72);
    image.fill(kScannerBed);
    return image;
}

// What the scanner adds: a soft 3×3 binomial blur, faint noise on the page, and a few specks.
QImage scanned(const QImage& painted, std::uint64_t seed)
{
    const QImage grey = painted.convertToFormat(QImage::Format_Grayscale8);
    QImage out(grey.size(), QImage::Format_Grayscale8);
    Prng prng(seed);
    const int w = grey.width();
    const int h = grey.height();
    for (int y = 0; y < h; ++y) {
        const uchar* rows[3] = { grey.constScanLine(std::max(y - 1, 0)), grey.constScanLine(y),
            grey.constScanLine(std::min(y + 1, h - 1)) };
        uchar* dst = out.scanLine(y);
        for (int x = 0; x < w; ++x) {
            const int xl = std::max(x - 1, 0);
            const int xr = std::min(x + 1, w - 1);
            int sum = 0;
            for (int r = 0; r < 3; ++r) {
                const int weight = r == 1 ? 2 : 1;
                sum += weight * (rows[r][xl] + 2 * rows[r][x] + rows[r][xr]);
            }
            int v = (sum + 8) / 16;
            // Noise in two-level steps only: enough to look scanned, cheap to compress.
            const std::uint64_t n = prng.next();
            if ((n & 0xff) < 24)
                v += (n & 0x100) ? 3 : -3;
            if (((n >> 16) & 0xfffff) < 40) // about 4 specks per 100 000 pixels
                v = 70 + static_cast<int>((n >> 40) & 0x3f);
            dst[x] = static_cast<uchar>(std::clamp(v, 0, 255));
        }
    }
    const int dpm = static_cast<int>(std::lround(kDpi / 0.0254));
    out.setDotsPerMeterX(dpm);
    out.setDotsPerMeterY(dpm);
    return out;
}

// The printed back side: general terms in small print.
void paintBackSide(QPainter& painter, const FontSet& fonts, QSizeF pageSize)
{
    PageCanvas canvas(painter, 2, pageSize);
    canvas.text(QStringLiteral("Allgemeine Geschäftsbedingungen"), fonts.latin(11, true), QPointF(50, 70));
    const QStringList terms = {
        QStringLiteral("1. Geltungsbereich. Diese Bedingungen gelten für alle Lieferungen und Leistungen der"),
        QStringLiteral("   Nordlicht Bürotechnik GmbH gegenüber Unternehmern im Sinne von § 14 BGB."),
        QStringLiteral("2. Preise. Alle Preise verstehen sich in Euro zuzüglich der gesetzlichen Umsatzsteuer."),
        QStringLiteral("3. Zahlung. Rechnungen sind innerhalb der angegebenen Frist ohne Abzug zu zahlen."),
        QStringLiteral("4. Eigentumsvorbehalt. Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum."),
        QStringLiteral("5. Gewährleistung. Es gelten die gesetzlichen Bestimmungen; offensichtliche Mängel"),
        QStringLiteral("   sind innerhalb von 14 Tagen nach Lieferung schriftlich anzuzeigen."),
        QStringLiteral("6. Gerichtsstand ist Berlin. Es gilt das Recht der Bundesrepublik Deutschland."),
    };
    canvas.lines(terms, fonts.latin(8), QPointF(50, 96), 13, Qt::AlignLeft, QColor(0x33, 0x33, 0x33));
}

// The truth of the scan: the invoice's boxes through the scan transform, in points of the image.
TruthDocument scannedTruth(
    const TruthDocument& page, const QString& file, const QTransform& transform, QSizeF scanPagePt, int pageCount)
{
    TruthDocument truth = page;
    truth.file = file;
    truth.pagesPt.assign(static_cast<std::size_t>(pageCount), scanPagePt);
    const QTransform toPoints = transform * QTransform::fromScale(1 / kScale, 1 / kScale);
    auto move = [&](TruthValue& v) { v.rectPt = toPoints.mapRect(v.rectPt); };
    for (TruthField& f : truth.fields)
        move(f.value);
    for (TruthTable& t : truth.tables)
        for (auto& row : t.rows)
            for (TruthValue& cell : row)
                move(cell);
    return truth;
}

} // namespace

Result<void> writeScanSample(const Invoice& invoice, const FontSet& fonts, const QString& dir)
{
    const InvoiceRenderer renderer(invoice, fonts);
    if (renderer.pageCount() != 1)
        return makeError("The scan sample needs a one-page invoice; " + invoice.fileStem.toStdString() + " has "
            + std::to_string(renderer.pageCount()) + " pages.");
    const QSizeF pagePt = renderer.pageSizePt();
    const QSize pixels(qRound(pagePt.width() * kScale), qRound(pagePt.height() * kScale));
    const QSizeF scanPagePt(pixels.width() / kScale, pixels.height() / kScale);

    // Front: the invoice, turned 1.5° on the scanner bed.
    const QTransform front = scanTransform(pixels, 1.5);
    QImage frontImage = blankScan(pixels);
    TruthDocument pageTruth = renderer.emptyTruth(QString());
    {
        QPainter painter(&frontImage);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setTransform(front);
        painter.fillRect(QRectF(QPointF(0, 0), pagePt), kPaper);
        if (auto painted = renderer.paintPage(painter, 0, pageTruth); !painted)
            return makeError("Scan of " + invoice.fileStem.toStdString() + ": " + painted.error());
    }
    // Back: turned the other way a little, as a sheet flipped by hand would be.
    QImage backImage = blankScan(pixels);
    {
        QPainter painter(&backImage);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setTransform(scanTransform(pixels, -0.7));
        painter.fillRect(QRectF(QPointF(0, 0), pagePt), kPaper);
        paintBackSide(painter, fonts, pagePt);
    }
    const QImage frontScan = scanned(frontImage, 0x5343414e31ull);
    const QImage backScan = scanned(backImage, 0x5343414e32ull);

    const QDir folder(dir);
    const QString stem = invoice.fileStem + QStringLiteral("-scan");
    const QString tiffStem = stem + QStringLiteral("-2pages");
    const QString png = stem + QStringLiteral(".png");
    QImageWriter writer(folder.filePath(png), "png");
    writer.setQuality(0); // Qt's PNG writer: lower quality = stronger zlib compression, still lossless
    if (!writer.write(frontScan))
        return makeError(
            "Cannot write the PNG " + folder.filePath(png).toStdString() + ": " + writer.errorString().toStdString());
    if (auto r = writeTruth(
            scannedTruth(pageTruth, png, front, scanPagePt, 1), folder.filePath(stem + QStringLiteral(".truth.json")));
        !r)
        return r;

    const QString tiff = tiffStem + QStringLiteral(".tiff");
    if (auto r = writeGreyTiff(folder.filePath(tiff), { frontScan, backScan }, kDpi); !r)
        return r;
    return writeTruth(
        scannedTruth(pageTruth, tiff, front, scanPagePt, 2), folder.filePath(tiffStem + QStringLiteral(".truth.json")));
}

} // namespace folio::samplegen
