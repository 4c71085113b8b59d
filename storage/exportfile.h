#pragma once
// Writes an export file all at once: the bytes go to a temporary file beside `path` that
// replaces it only when everything was written, so a failed export (unwritable folder, full
// disk) never leaves a half-written file. The error names the path and the reason.

#include "inference/result.h"

#include <QByteArray>
#include <QString>

namespace folio::storage {

Result<void> writeExportFile(const QString& path, const QByteArray& bytes);

} // namespace folio::storage
