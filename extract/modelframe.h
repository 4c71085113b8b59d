#pragma once

#include "inference/result.h"

#include <QSize>

namespace folio::extract {

// The size Qwen2.5-VL's image processor resizes an image of `imageSize` to under the given
// pixel budget (smart_resize: multiples of 28, aspect kept). Model boxes are pixels of this frame.
// Implemented in the inference adapter (localengine.cpp), the one place extract/ calls inference/.
Result<QSize> modelInputSize(QSize imageSize, qint64 minPixels, qint64 maxPixels);

} // namespace folio::extract
