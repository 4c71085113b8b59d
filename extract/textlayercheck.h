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

// Cross-checks a page's results against its words (PDF text layer or OCR; boxes on the same
// unrotated page). For every field value, cell and text line it records what it found in the
// item's evidence (extract/confidence.h turns that into the confidence):
//  - the value is printed under (or overlapping) its box: the box snaps to those words (an
//    out_of_bounds flag on the model's box goes with it); Agreed, with the words' recogniser
//    confidence when they are OCR's;
//  - printed elsewhere on the page: the box moves to the closest occurrence (Moved);
//  - other text under the box: flagged text_mismatch (Mismatch, graded by how alike the value
//    and those words are: one wrong digit is not the same as another line entirely);
//  - nothing there and nowhere on the page: flagged not_on_page (possibly hallucinated).
// Values are compared letters and digits only, case-folded, so spacing and punctuation that
// Poppler guesses differently do not matter; dates and amounts also match by normalised value.
// On pages without words (a scan not OCR'd) only the evidence says so (NoWords).
TextLayerCheckStats checkAgainstTextLayer(PageResult& result, const std::vector<ingest::Word>& words);

} // namespace folio::extract
