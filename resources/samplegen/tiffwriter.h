#pragma once
// TiffWriter: writes greyscale images as one multi-page TIFF (baseline TIFF 6.0, 8-bit
// BlackIsZero, Deflate with horizontal predictor, one strip per page, resolution tags).
// Written here because Qt's TIFF plugin writes one image per file. Free function; thread-safe
// for distinct paths.

#include "inference/result.h"

#include <QImage>
#include <QString>

#include <vector>

namespace folio::samplegen {

// Writes `pages` (converted to Grayscale8 if needed) to `path` with `dpi` in the resolution
// tags; the error names the path.
Result<void> writeGreyTiff(const QString& path, const std::vector<QImage>& pages, int dpi);

} // namespace folio::samplegen
