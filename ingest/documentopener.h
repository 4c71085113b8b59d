#pragma once

#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <memory>

namespace folio::ingest {

// Opens a PDF, PNG, JPEG or TIFF file, judged by its content. Every failure is one clear
// message naming the file and the reason: missing, unreadable, empty, a folder, a file whose
// content contradicts its name (a PNG named .pdf), an unsupported type, damaged content, an
// encrypted PDF without (or with a wrong) password.
Result<std::unique_ptr<SourceDocument>> openDocument(const QString& path, const QByteArray& password = {});

} // namespace folio::ingest
