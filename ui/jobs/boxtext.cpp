#include "ui/jobs/boxtext.h"

#include <algorithm>

namespace folio::jobs {

namespace {

    double area(const QRectF& r)
    {
        return std::max(0.0, r.width()) * std::max(0.0, r.height());
    }

} // namespace

BoxText textUnderBox(const std::vector<storage::WordRecord>& words, const QRectF& box)
{
    const QRectF b = box.normalized();
    std::vector<const storage::WordRecord*> inside;
    for (const storage::WordRecord& w : words) {
        const double a = area(w.box);
        // Half a word is enough: a hand-drawn box rarely covers the glyphs' full extent.
        if (a > 0 && area(w.box.intersected(b)) >= 0.5 * a)
            inside.push_back(&w);
    }
    std::stable_sort(inside.begin(), inside.end(), [](const storage::WordRecord* x, const storage::WordRecord* y) {
        return x->lineIndex != y->lineIndex ? x->lineIndex < y->lineIndex : x->box.left() < y->box.left();
    });
    BoxText out;
    out.words = int(inside.size());
    for (size_t i = 0; i < inside.size(); ++i) {
        if (i > 0)
            out.text += inside[i]->lineIndex == inside[i - 1]->lineIndex ? QLatin1Char(' ') : QLatin1Char('\n');
        out.text += inside[i]->text;
    }
    return out;
}

} // namespace folio::jobs
