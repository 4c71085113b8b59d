#pragma once

#include "ingest/sourcedocument.h"

#include <QString>

#include <vector>

namespace folio::ingest {

// One page as ingest read it. A bad page is kept, not dropped: `error` says what could not be
// read (the page itself, or only its text layer when it went over its PageBudget) and
// `warning` what is damaged but usable (a truncated image). When the page's geometry could not
// be read at all, `geometryKnown` is false and `info` is US Letter (Poppler's own default for
// a page without a usable MediaBox), so the page still has a place in the document.
struct IngestedPage {
    int index = 0; // 0-based
    PageInfo info;
    std::vector<Word> words; // the PDF text layer's, then any OCR words (Word::source says which)
    QString error;
    QString warning;
    bool geometryKnown = true;
    QString ocrLanguages;   // the languages it was OCR'd with; empty when it was not
    int ocrOrientation = 0; // clockwise degrees OSD turned the page to read it upright

    bool hasTextLayer() const; // a PDF text layer (OCR words do not count)
    int ocrWordCount() const;
};

inline constexpr QSizeF kPlaceholderPageSizePt{612.0, 792.0};

} // namespace folio::ingest
