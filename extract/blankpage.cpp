#include "extract/blankpage.h"

#include <array>

namespace folio::extract {

bool isBlankPage(const QImage& page, double maxInkFraction)
{
    if (page.isNull())
        return true;
    const QImage gray = page.convertToFormat(QImage::Format_Grayscale8);
    std::array<qint64, 256> histogram{};
    for (int y = 0; y < gray.height(); ++y) {
        const uchar* row = gray.constScanLine(y);
        for (int x = 0; x < gray.width(); ++x)
            ++histogram[row[x]];
    }
    const qint64 total = qint64(gray.width()) * gray.height();
    qint64 seen = 0;
    int paper = 255;
    for (int v = 0; v < 256; ++v) {
        seen += histogram[v];
        if (seen * 2 >= total) {
            paper = v;
            break;
        }
    }
    // Ink is anything clearly darker than the paper (noise stays within a few levels).
    const int threshold = paper - 64;
    qint64 ink = 0;
    for (int v = 0; v < std::max(0, threshold); ++v)
        ink += histogram[v];
    return double(ink) / double(total) < maxInkFraction;
}

} // namespace folio::extract
