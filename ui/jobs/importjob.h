#pragma once
// Import job: adds dropped or opened files and folders to the library on the thread pool.
// The worker opens its own storage::Library (a Library belongs to one thread) and reports one
// ImportOutcome per file as a result of the future, with progress = files done.
// Cancelling (the future, or setting *cancel) stops between files and inside a file between
// pages; what was stored before stays, nothing half-stored is left (one transaction a file).

#include "ui/jobs/documentimporter.h"

#include <QFuture>
#include <QStringList>

#include <atomic>
#include <memory>

namespace folio::jobs {

struct ImportJob {
    QFuture<ImportOutcome> future;
    std::shared_ptr<std::atomic<bool>> cancel;
};

// Starts importing `paths` (files, or folders searched recursively) into the library at dbPath.
// A path that is neither a file nor a folder, or a library that cannot be opened, is reported
// as a Failed outcome with its message.
ImportJob startImport(const QString& dbPath, const QStringList& paths);

} // namespace folio::jobs
