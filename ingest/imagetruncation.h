#pragma once

#include "ingest/filetype.h"

#include <QByteArray>
#include <QString>

namespace folio::ingest {

// Whether a JPEG or PNG file ends where its format says it ends. Qt's decoders draw a cut-off
// JPEG with a grey lower part and say nothing, so the file's structure is checked instead: a
// JPEG needs its end-of-image marker after its last scan (scan data cannot contain one), a PNG
// its IEND chunk at the end of an unbroken chain of chunks. Returns the warning to store with
// the page, or an empty string when the file is whole (or of another type).
QString truncationWarning(const QByteArray& bytes, FileType type);

} // namespace folio::ingest
