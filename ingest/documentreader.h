#pragma once

#include "ingest/ocrlayer.h"
#include "ingest/ingestedpage.h"
#include "ingest/pagebudget.h"
#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace folio::ingest {

// Everything the library stores about a file when it is added (no rendering, no model).
struct IngestedDocument {
    QString path;       // absolute
    QByteArray sha256;  // 64 lowercase hex characters
    DocumentKind kind = DocumentKind::Pdf;
    qint64 fileSize = 0;
    QString title;
    std::vector<IngestedPage> pages; // every page, bad ones included (IngestedPage::error)
    bool hasTextLayer() const;
    int failedPages() const;
};

// OCR while reading: which pages, with which engine (owned by the caller's thread), and a
// progress report per page (0-based page, page count, percent of that page).
struct ReadOcr {
    OcrMode mode = OcrMode::Never;
    OcrEngine* engine = nullptr; // required unless mode is Never
    std::function<void(int page, int pageCount, int percent)> progress;
};

// Opens `path`, hashes it, and reads every page's geometry and text layer, and OCRs the pages
// `ocr` asks for. A PDF's pages are read in a child process under `budget`
// (ingest/pageworker.h). A bad page is kept with its error; the file fails as a whole only when
// it cannot be opened, when not one of its pages can be read, when OCR fails, or when `cancel`
// is set (checked between pages and during OCR).
Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password = {},
                                      const std::atomic<bool>* cancel = nullptr, const ReadOcr& ocr = {},
                                      const PageBudget& budget = {});

} // namespace folio::ingest
