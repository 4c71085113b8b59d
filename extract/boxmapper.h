#pragma once
// The one place where a model-pixel box becomes a page Box (DESIGN.md, Geometry).
//
// Qwen2.5-VL writes boxes as absolute integer pixels [x1, y1, x2, y2] of the image it was
// actually fed: the *resized* image (smart_resize of the raster), never the raster itself.
// If the page was rendered rotated for the model, that image is the rotated page.
// Pure functions, no thread affinity.

#include "extract/types/box.h"
#include "extract/types/flags.h"

#include <optional>

namespace folio::extract {

// The coordinate frame of one model call.
struct ModelFrame {
    int resizedWidth = 0;  // the image processor's resized size (grid_w·14 × grid_h·14),
    int resizedHeight = 0; // i.e. the frame the model's pixel coordinates live in
    int rotation = 0;      // 0/90/180/270 (or -90...): the page was rendered rotated by this
                           // many degrees clockwise before it was given to the model
};

// How far (in model pixels) a box may stick out of the image before it is flagged
// out_of_bounds; models routinely overshoot by a pixel or two at the page edge.
inline constexpr double kOutOfBoundsTolerancePx = 2.0;

// Maps the model box (x1, y1, x2, y2) to the unrotated page's normalised space.
// Swaps x1 > x2 / y1 > y2, clamps to [0, resizedWidth] × [0, resizedHeight] (adding
// Flag::OutOfBounds to *flags when a side was moved by more than kOutOfBoundsTolerancePx),
// divides by the resized size and undoes the rotation.
// Returns nullopt (flags untouched) when the box has no area after clamping, when a
// coordinate is not finite, or when the frame is unusable (size <= 0, rotation not a
// multiple of 90): such a box cannot be shown, the caller drops or reports it.
std::optional<Box> mapModelBox(double x1, double y1, double x2, double y2, const ModelFrame& frame, int page,
    Flags* flags = nullptr);

} // namespace folio::extract
