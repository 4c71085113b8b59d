#pragma once
// What is printed inside a box the reviewer drew or resized: the page's stored words (PDF
// text layer or OCR) with at least half of their area inside it, in reading order — words of
// a line joined by spaces, lines by newlines. Boxes are normalised to the unrotated page, as
// stored. Pure function, no thread affinity.

#include "storage/records.h"

#include <QRectF>
#include <QString>

#include <vector>

namespace folio::jobs {

struct BoxText {
    QString text; // empty when no word is inside
    int words = 0;
};

BoxText textUnderBox(const std::vector<storage::WordRecord>& words, const QRectF& box);

} // namespace folio::jobs
