#pragma once

#include "ingest/ocrengine.h"
#include "ingest/ocrlayer.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace folio::storage {
class Library;
}

namespace folio::jobs {

struct ImportOutcome {
    enum class Status { Added, AlreadyInLibrary, Failed };
    Status status = Status::Failed;
    QString path;
    qint64 documentId = 0;
    int pages = 0;
    bool textLayer = false;
    QString kind;   // "pdf" or "image"
    QString error;  // set when Failed: names the file (and page) and the reason
    int ocrPages = 0, ocrWords = 0; // pages OCR'd on import and the words found on them
    QString ocrLanguages;
    int eInvoiceFields = 0; // fields of an embedded e-invoice stored as exact results
    QString eInvoiceNote;   // what was read ("embedded ZUGFeRD 1.0 e-invoice ... read as exact values"); empty: none
    // Problems that did not stop the file from being added (an OCR language that is not
    // installed, an unreadable embedded e-invoice): each names the file.
    QStringList problems;
    // Added with bad pages: one message per page that (or whose text layer) could not be read,
    // and per page stored with damage (a truncated image). Each names the file and the page.
    QStringList pageErrors;
    QStringList pageWarnings;
};

// The Tesseract engine of an import batch: opened on first use with `languages`, then reused
// for every file (loading takes a moment). Belongs to the importing thread.
class OcrSession {
public:
    explicit OcrSession(QString languages);
    const QString& languages() const { return m_languages; }
    Result<ingest::OcrEngine*> engine();

private:
    QString m_languages;
    std::unique_ptr<ingest::OcrEngine> m_engine;
    std::string m_error;
};

struct ImportOptions {
    QByteArray password;
    ingest::OcrMode ocr = ingest::OcrMode::Never;
    OcrSession* ocrSession = nullptr; // required unless ocr is Never
    bool readEInvoice = true;         // store an embedded e-invoice as exact results (model "e-invoice")
    // OCR progress: 0-based page, page count, percent of that page. On the importing thread.
    std::function<void(int page, int pageCount, int percent)> ocrProgress;
};

// Adds one file to the library: hashes it (a file already stored is reported, not stored
// twice), reads every page's geometry and text layer, OCRs the pages `options.ocr` asks for,
// and stores it with its bad pages marked (PDF pages in the page worker, under ingest's
// PageBudget); the document becomes visible only once complete, a file stored meanwhile by
// another process is reported present, and a failure leaves the library exactly as it was.
// A PDF with an embedded e-invoice then gets its exact results (jobs/einvoiceimport.h). Runs on
// the calling thread, which must own `library`; `cancel` is checked between pages and during
// OCR. Used by `folio ingest` and by drag-and-drop.
ImportOutcome importDocument(storage::Library& library, const QString& path, const ImportOptions& options,
                             const std::atomic<bool>* cancel = nullptr);
// The same with only a password: no OCR, e-invoices read.
ImportOutcome importDocument(storage::Library& library, const QString& path, const QByteArray& password = {},
                             const std::atomic<bool>* cancel = nullptr);

} // namespace folio::jobs
