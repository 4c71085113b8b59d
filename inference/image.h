#pragma once
// The one image type of the inference layer: 8-bit RGB, row-major, tightly packed
// (rgb.size() == width * height * 3, pixel (x, y) at 3 * (y * width + x)). A plain value;
// whoever holds it owns the bytes.

#include <cstdint>
#include <vector>

namespace folio::inference {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
};

} // namespace folio::inference
