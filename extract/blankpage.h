#pragma once

#include <QImage>

namespace folio::extract {

// True when a rendered page has (almost) no ink: fewer than `maxInkFraction` of its pixels
// differ clearly from the paper colour. Scanned blank pages carry noise and a grey cast, so the
// paper colour is the image's own median brightness, not pure white. Blank pages are skipped
// instead of asking the model to describe nothing (it tends to invent text).
bool isBlankPage(const QImage& page, double maxInkFraction = 0.001);

} // namespace folio::extract
