#pragma once
// Qwen2.5-VL image and video preprocessing, bit-exact with transformers 4.50's slow
// (PIL-based) Qwen2VLImageProcessor: smart_resize to a multiple of patch × merge, Pillow's
// BICUBIC resampling, rescale + CLIP normalisation, and flattening into patch rows.
//
// Pure functions; callable from any thread. Inputs are borrowed, outputs are new values.

#include "inference/image.h"
#include "inference/result.h"

#include <ATen/ATen.h>

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace folio::inference {

// preprocessor_config.json; defaults are the released Qwen2.5-VL values.
struct ImageProcessorOptions {
    int64_t minPixels = 3136;
    int64_t maxPixels = 12845056;
    int patchSize = 14;
    int temporalPatchSize = 2;
    int mergeSize = 2;
    std::array<float, 3> mean { 0.48145466f, 0.4578275f, 0.40821073f };
    std::array<float, 3> std { 0.26862954f, 0.26130258f, 0.27577711f };
};

// The size the model sees: multiples of `factor` (patch × merge) closest to the original
// aspect, with the pixel count inside [minPixels, maxPixels]. Returns (height, width).
// Errors: a side shorter than `factor`, or an aspect ratio above 200.
Result<std::pair<int, int>> smartResize(int height, int width, int factor, int64_t minPixels, int64_t maxPixels);

// Pillow's Image.resize(..., BICUBIC) on RGB8, bit for bit: separable, horizontal pass then
// vertical, uint8 between the passes, 22-bit fixed-point weights, support widened when
// shrinking (antialiasing). A pass whose size does not change is skipped; the same size
// returns a copy. Requires a valid image and width, height > 0.
Image resizeBicubic(const Image& image, int width, int height);

struct VisionInput {
    // float32 [gridT * gridH * gridW, 3 * temporalPatchSize * patchSize²]. Row r is the
    // patch (t, 2·hb+hi, 2·wb+wi) with r = ((t·gridH/2 + hb)·gridW/2 + wb)·4 + 2·hi + wi (for
    // merge size 2), so every 2×2 merge group is 4 consecutive rows; the columns run over
    // (channel, frame in the temporal patch, y, x).
    at::Tensor pixelValues;
    std::array<int64_t, 3> gridThw {}; // (t, h, w) in patches
    int resizedWidth = 0; // the model-pixel frame that boxes refer to
    int resizedHeight = 0;
};

// One image: a single frame repeated to fill the temporal patch (gridT = 1).
// Errors name what is wrong: an empty or inconsistent image, a size smart_resize rejects.
Result<VisionInput> processImage(const Image& image, const ImageProcessorOptions& options);

// Frames of one video, all the same size; each is smart-resized with the options' pixel
// limits like an image, the list is padded with copies of the last frame to a multiple of
// temporalPatchSize, and gridT = frames / temporalPatchSize.
Result<VisionInput> processVideo(const std::vector<Image>& frames, const ImageProcessorOptions& options);

} // namespace folio::inference
