#include "extract/boxmapper.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace folio::extract {

std::optional<Box> mapModelBox(double x1, double y1, double x2, double y2, const ModelFrame& frame, int page,
    Flags* flags)
{
    const double w = frame.resizedWidth;
    const double h = frame.resizedHeight;
    if (w <= 0 || h <= 0 || page < 0 || frame.rotation % 90 != 0)
        return std::nullopt;
    if (!std::isfinite(x1) || !std::isfinite(y1) || !std::isfinite(x2) || !std::isfinite(y2))
        return std::nullopt;

    // The cookbooks swap reversed corners rather than rejecting them: the model does emit them.
    if (x1 > x2)
        std::swap(x1, x2);
    if (y1 > y2)
        std::swap(y1, y2);

    const double cx1 = std::clamp(x1, 0.0, w);
    const double cx2 = std::clamp(x2, 0.0, w);
    const double cy1 = std::clamp(y1, 0.0, h);
    const double cy2 = std::clamp(y2, 0.0, h);
    if (cx2 <= cx1 || cy2 <= cy1)
        return std::nullopt;

    const double moved = std::max({cx1 - x1, x2 - cx2, cy1 - y1, y2 - cy2});
    if (moved > kOutOfBoundsTolerancePx && flags)
        *flags |= Flag::OutOfBounds;

    // Normalised coordinates in the rotated image the model saw.
    const double u0 = cx1 / w, u1 = cx2 / w;
    const double v0 = cy1 / h, v1 = cy2 / h;

    // Undo a clockwise rotation by r: a page point (px, py) was shown at
    //   r=90: (1-py, px)    r=180: (1-px, 1-py)    r=270: (py, 1-px)
    Box box{page, u0, v0, u1, v1};
    switch (((frame.rotation % 360) + 360) % 360) {
    case 90:
        box = Box{page, v0, 1 - u1, v1, 1 - u0};
        break;
    case 180:
        box = Box{page, 1 - u1, 1 - v1, 1 - u0, 1 - v0};
        break;
    case 270:
        box = Box{page, 1 - v1, u0, 1 - v0, u1};
        break;
    default:
        break;
    }
    return box;
}

} // namespace folio::extract
