#pragma once

#include "extract/types/pageresult.h"
#include "ingest/word.h"

#include <vector>

namespace folio::extract {

struct TextLayerCheckStats {
    int checked = 0;   // values compared with the text layer
    int agreed = 0;    // the printed value is under the model's box (box snapped to the words)
    int moved = 0;     // the value is printed elsewhere on the page (box moved there)
    int mismatched = 0; // other text is under the box, the value is nowhere on the page
    int notOnPage = 0;  // nothing under the box and the value is nowhere on the page
};

// Cross-checks a page's results against its PDF text layer (words with boxes on the same
// unrotated page). For every field value, cell and text line:
//  - the value is printed under (or overlapping) its box: the box snaps to those words (an
//    out_of_bounds flag on the model's box goes with it) and the confidence rises to at least
//    0.95 — the strongest evidence a value is right;
//  - printed elsewhere on the page: the box moves to the closest occurrence (0.85);
//  - other text under the box: flagged text_mismatch, confidence × 0.4;
//  - nothing there and nowhere on the page: flagged not_on_page (possibly hallucinated),
//    confidence 0.2.
// Values are compared letters and digits only, case-folded, so spacing and punctuation that
// Poppler guesses differently do not matter; dates and amounts also match by normalised value.
// No-op on pages without a text layer (scans).
TextLayerCheckStats checkAgainstTextLayer(PageResult& result, const std::vector<ingest::Word>& words);

} // namespace folio::extract
