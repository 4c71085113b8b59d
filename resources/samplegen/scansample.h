#pragma once
// The scan samples: the one-page `invoice` rasterised at 200 DPI as if it went through a
// flatbed scanner (rotated 1.5°, grey scanner bed, paper tone, slight blur, deterministic
// noise and dust), saved as <stem>-scan.png and, with a printed back side (terms and
// conditions) as page 2, as the two-page <stem>-scan-2pages.tiff. No text layer; the truth boxes are
// the invoice's boxes carried through the same rotation. GUI thread.

#include "fontset.h"
#include "invoicemodel.h"

#include "inference/result.h"

#include <QString>

namespace folio::samplegen {

Result<void> writeScanSample(const Invoice& invoice, const FontSet& fonts, const QString& dir);

} // namespace folio::samplegen
