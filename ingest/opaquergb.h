#pragma once

#include <QImage>

namespace folio::ingest {

// The image as opaque RGB888, transparent areas composited onto white (paper), keeping its
// resolution. Model input and review both want this; black behind transparency would not be.
QImage toOpaqueRgb(const QImage& image);

} // namespace folio::ingest
