#pragma once
// Before a library file is opened for writing, it is looked at read-only: a file that is not
// a Folio library — another program's SQLite database, a PDF given by mistake — is refused
// without a single byte of it changed (no WAL switch, no migration). An absent or empty file,
// an empty SQLite database, and any Folio library (by application_id, or for libraries made
// before that was set, by its schema version and documents/pages tables) pass.

#include "inference/result.h"

#include <QString>

namespace folio::storage {

// PRAGMA application_id of a Folio library ("Folo" in ASCII), set by the schema migrations.
inline constexpr int kFolioApplicationId = 0x466f6c6f;

Result<void> checkIsFolioLibrary(const QString& absolutePath);

} // namespace folio::storage
