#pragma once
// The stored words of a page (PDF text layer and OCR) as ingest words, for the extraction
// pipeline's cross-check and box snapping, and for locating e-invoice values.
// Free functions; the Library belongs to the calling thread.

#include "ingest/word.h"

#include <vector>

namespace folio::storage {
class Library;
struct PageWords;
}

namespace folio::jobs {

std::vector<ingest::Word> toWords(const storage::PageWords& page);

// The page's words; none when the page cannot be read (the cross-check then simply has nothing
// to compare with, as on a scan without OCR).
std::vector<ingest::Word> pageWords(storage::Library& library, qint64 documentId, int page);

} // namespace folio::jobs
