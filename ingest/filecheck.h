#pragma once

#include "inference/result.h"

#include <QString>

namespace folio::ingest {

// Refuses, without opening it, anything that is not a regular file: a missing path, a folder,
// a device (/dev/zero), a FIFO or a socket. Opening or hashing those would block or never end,
// so every reader checks here first. Symbolic links are judged by what they point at.
Result<void> checkRegularFile(const QString& path);

} // namespace folio::ingest
