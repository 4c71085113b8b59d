#pragma once
// Box: a rectangle on one page, normalised to [0,1] of the *unrotated* page (x to the right,
// y downwards, origin top-left). It survives zoom, DPI and page rotation; storage keeps the
// page size in points, so exports can turn it into points or pixels.
// Plain value type, no thread affinity. Model-pixel boxes become Boxes only through
// folio::extract::mapModelBox (extract/boxmapper.h).

#include <algorithm>

namespace folio::extract {

struct Box {
    int page = 0; // 0-based page index
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
    double area() const { return valid() ? width() * height() : 0.0; }

    // A real rectangle inside the page: non-negative page, x0 < x1, y0 < y1, all within [0,1].
    bool valid() const
    {
        return page >= 0 && x0 >= 0 && y0 >= 0 && x1 <= 1 && y1 <= 1 && x0 < x1 && y0 < y1;
    }

    // The smallest box containing both (on this box's page; an invalid operand is ignored).
    Box united(const Box& o) const
    {
        if (!o.valid())
            return *this;
        if (!valid())
            return o;
        return Box{page, std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
    }

    // Area of the overlap; 0 for boxes on different pages or invalid boxes.
    double intersectionArea(const Box& o) const
    {
        if (page != o.page || !valid() || !o.valid())
            return 0.0;
        const double w = std::min(x1, o.x1) - std::max(x0, o.x0);
        const double h = std::min(y1, o.y1) - std::max(y0, o.y0);
        return (w > 0 && h > 0) ? w * h : 0.0;
    }

    // Intersection over union in [0,1]; 0 for boxes on different pages or invalid boxes.
    double iou(const Box& o) const
    {
        const double inter = intersectionArea(o);
        if (inter <= 0)
            return 0.0;
        return inter / (area() + o.area() - inter);
    }

    friend bool operator==(const Box&, const Box&) = default;
};

} // namespace folio::extract
