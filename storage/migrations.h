#pragma once
// The library schema, as forward-only migrations keyed by `PRAGMA user_version`.
//
// Migration N takes a database at version N-1 to N; each runs in its own transaction together
// with the version bump, so a database is always at a whole version. Migrations are never
// edited once released: a schema change is a new migration appended to the list (runs,
// results and edits tables come that way). A database newer than this build is refused.
//
// v1: documents, pages, words (text-layer words, boxes normalised to [0,1] of the unrotated
// page), search_entries (one searchable text per line / field / cell, with its box) and
// search_fts, an FTS5 trigram index over search_entries.text kept in step by triggers, so
// any delete — including ON DELETE CASCADE from documents — also removes its index rows.

#include "inference/result.h"

namespace folio::storage {

class Database;

// The schema version this build writes.
int latestSchemaVersion();

// The database's current `PRAGMA user_version`.
Result<int> schemaVersion(Database& db);

// Applies every migration above the database's version, in order. Database::open calls this.
Result<void> migrateToLatest(Database& db);

} // namespace folio::storage
