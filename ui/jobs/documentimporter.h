#pragma once

#include <QByteArray>
#include <QString>

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
};

// Adds one file to the library: hashes it (a file already stored is reported, not stored
// twice), reads every page's geometry and text layer, and stores all of it in one transaction,
// so a failure leaves the library exactly as it was. Runs on the calling thread, which must own
// `library`; `cancel` is checked between pages. Used by `folio ingest` and by drag-and-drop.
ImportOutcome importDocument(storage::Library& library, const QString& path, const QByteArray& password = {},
                             const std::atomic<bool>* cancel = nullptr);

} // namespace folio::jobs
