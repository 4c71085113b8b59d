#pragma once

#include "inference/result.h"

#include <QByteArray>
#include <QString>

namespace folio::ingest {

// SHA-256 of a file's bytes as 64 lowercase hex characters; the library's identity of a
// document, so the same file is never stored twice whatever its name.
Result<QByteArray> sha256OfFile(const QString& path);

} // namespace folio::ingest
