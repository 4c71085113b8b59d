#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>

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
    // Added with bad pages: one message per page that (or whose text layer) could not be read,
    // and per page stored with damage (a truncated image). Each names the file and the page.
    QStringList pageErrors;
    QStringList pageWarnings;
};

// Adds one file to the library: hashes it (a file already stored is reported, not stored
// twice, also when another process stores it meanwhile), reads every page's geometry and text
// layer (PDF pages in the page worker, under ingest's PageBudget), and stores it with its bad
// pages marked; the document becomes visible only once complete, and a failure leaves the
// library exactly as it was. Runs on the calling thread, which must own
// `library`; `cancel` is checked between pages. Used by `folio ingest` and by drag-and-drop.
ImportOutcome importDocument(storage::Library& library, const QString& path, const QByteArray& password = {},
                             const std::atomic<bool>* cancel = nullptr);

} // namespace folio::jobs
