#pragma once

#include "extract/engine.h"
#include "ingest/ocrengine.h"

#include <memory>

namespace folio::extract {

// The OCR task without a model: Tesseract reads the page image and answers in the model's OCR
// conventions (a JSON list of {"bbox_2d": [x0, y0, x1, y1], "text_content": "..."} lines, boxes
// in pixels of the image it was given, which is its "resized" frame), so the one page pipeline
// (parse, map boxes, cross-check, store) treats it like any engine. Its runs are labelled
// "tesseract:<languages>". Only the ocr task makes sense for it; the job refuses others.
// Deterministic: a retry would give the same answer. One thread at a time.
class TesseractEngine final : public Engine {
public:
    // `dpi`: the resolution pages are rendered at for it (Tesseract sizes its model by it).
    TesseractEngine(std::unique_ptr<ingest::OcrEngine> ocr, double dpi);
    QString modelId() const override;
    bool canResample() const override { return false; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

private:
    std::unique_ptr<ingest::OcrEngine> m_ocr;
    double m_dpi;
};

} // namespace folio::extract
