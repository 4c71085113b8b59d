#pragma once
// The OCR text layer of a document's pages: which pages get OCR (OcrMode), and OCR of one page
// rendered from its SourceDocument, with the words' boxes on the unrotated page like the PDF
// text layer's (ingest/word.h), marked WordSource::Ocr.
// Free functions; the engine and document belong to the calling thread.

#include "ingest/ocrengine.h"
#include "ingest/sourcedocument.h"

#include <optional>

namespace folio::ingest {

enum class OcrMode {
    Never,
    Auto, // pages without a text layer: scans, photos, image-only PDF pages
    Always, // every page, beside any text layer it has
};

// "never", "auto", "always".
QString ocrModeName(OcrMode mode);
std::optional<OcrMode> parseOcrMode(const QString& name);
bool wantsOcr(OcrMode mode, bool pageHasTextLayer);

// PDF pages are rendered at this resolution for OCR; image pages are read at their own.
inline constexpr double kPdfOcrDpi = 300.0;

struct PageOcr {
    std::vector<Word> words; // on the unrotated page, source Ocr
    // Clockwise degrees to add to the page's rotation so that it displays upright (OSD): 0
    // unless the scan lies sideways or upside down.
    int orientation = 0;
    double dpi = 0; // resolution the page was recognised at
};

// Renders `page` (0-based) and recognises it. Errors name the file and the 1-based page.
Result<PageOcr> ocrPage(const SourceDocument& doc, int page, OcrEngine& engine, const OcrProgress& progress = {},
                        const std::atomic<bool>* cancel = nullptr);

} // namespace folio::ingest
