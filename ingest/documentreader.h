#pragma once

#include "ingest/ocrlayer.h"
#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace folio::ingest {

struct IngestedPage {
    int index = 0; // 0-based
    PageInfo info;
    std::vector<Word> words; // the PDF text layer's, then any OCR words (Word::source says which)
    QString ocrLanguages;    // the languages it was OCR'd with; empty when it was not
    int ocrOrientation = 0;  // clockwise degrees OSD turned the page to read it upright
    bool hasTextLayer() const; // a PDF text layer (OCR words do not count)
    int ocrWordCount() const;
};

// Everything the library stores about a file when it is added (no rendering, no model).
struct IngestedDocument {
    QString path;       // absolute
    QByteArray sha256;  // 64 lowercase hex characters
    DocumentKind kind = DocumentKind::Pdf;
    qint64 fileSize = 0;
    QString title;
    std::vector<IngestedPage> pages;
    bool hasTextLayer() const;
};

// OCR while reading: which pages, with which engine (owned by the caller's thread), and a
// progress report per page (0-based page, page count, percent of that page).
struct ReadOcr {
    OcrMode mode = OcrMode::Never;
    OcrEngine* engine = nullptr; // required unless mode is Never
    std::function<void(int page, int pageCount, int percent)> progress;
};

// Opens `path`, hashes it, and reads every page's geometry and text layer, and OCRs the pages
// `ocr` asks for. Any page that cannot be read or recognised fails the whole file (a partial
// document would silently lose pages). `cancel` is checked between pages and during OCR.
Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password = {},
                                      const std::atomic<bool>* cancel = nullptr, const ReadOcr& ocr = {});

} // namespace folio::ingest
