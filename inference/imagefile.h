#pragma once
// Decoding an image file (PNG, JPEG, BMP, TGA, GIF first frame, …, via stb_image) into an RGB8
// Image, for the Qt-free tools and tests. Grey and palette images are expanded to RGB; an
// alpha channel is dropped without compositing, as PIL's convert("RGB") does in the reference
// preprocessing. 16-bit images are reduced to 8 bits by stb_image.
//
// Pure function; callable from any thread.

#include "inference/image.h"
#include "inference/result.h"

#include <cstdint>
#include <string>

namespace folio::inference {

// Errors name the file and say why it could not be read.
Result<Image> loadImageFile(const std::string& path);

// Decodes an image held in memory (e.g. a data: URL's bytes) without touching the file system.
// The size is read from the header first: more than maxPixels pixels is refused before any
// pixel buffer is allocated. Errors start with `what` (e.g. "image 2").
Result<Image> decodeImage(const std::string& bytes, int64_t maxPixels, const std::string& what);

} // namespace folio::inference
