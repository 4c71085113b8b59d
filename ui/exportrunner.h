#pragma once
// Runs an ExportRequest (ui/exportdialog.h) with the storage exporters: the documents are
// read on the calling thread, which must own `library`, and the file is written on the thread
// pool. The future's value is empty on success, else a message naming the file or document.

#include "ui/exportdialog.h"

#include <QFuture>

namespace folio::storage {
class Library;
}

namespace folio::ui {

QFuture<QString> runExport(storage::Library& library, const ExportRequest& request, qint64 documentId);

} // namespace folio::ui
