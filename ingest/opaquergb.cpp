#include "ingest/opaquergb.h"

namespace folio::ingest {

QImage toOpaqueRgb(const QImage& image)
{
    if (!image.hasAlphaChannel())
        return image.convertToFormat(QImage::Format_RGB888);
    QImage opaque(image.size(), QImage::Format_RGB888);
    opaque.setDotsPerMeterX(image.dotsPerMeterX());
    opaque.setDotsPerMeterY(image.dotsPerMeterY());
    const QImage premul = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    for (int y = 0; y < premul.height(); ++y) {
        const QRgb* src = reinterpret_cast<const QRgb*>(premul.constScanLine(y));
        uchar* dst = opaque.scanLine(y);
        for (int x = 0; x < premul.width(); ++x) {
            // Premultiplied colour over white: c + (255 - alpha).
            const int a = qAlpha(src[x]);
            dst[3 * x + 0] = uchar(qRed(src[x]) + 255 - a);
            dst[3 * x + 1] = uchar(qGreen(src[x]) + 255 - a);
            dst[3 * x + 2] = uchar(qBlue(src[x]) + 255 - a);
        }
    }
    return opaque;
}

} // namespace folio::ingest
