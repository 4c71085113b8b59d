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
//
// v2: runs (one model call on one page: task, model, params, raw output, timings, status),
// their results — lines, fields, result_tables, cells, each with an optional box, confidence,
// flags (comma-separated stable names, extract/types/flags.h), source and review status — and
// edits (the review history, old → new). Triggers put every line, field value and cell text
// into search_entries (kinds 'ocr_line', 'field', 'cell', ref_id = the row id) and keep it in
// step on update and delete.
//
// v3: pages.error / pages.warning (a bad page is stored with its reason instead of failing the
// document), documents.complete / import_pid (a document stored in chunks is invisible to
// readers until complete), and application_id = kFolioApplicationId (storage/libraryprobe.h).
// Each step re-reads the version after taking the write lock, so two processes creating one
// library at once apply it once.

#include "inference/result.h"

#include <QString>

namespace folio::storage {

class Database;

// The schema version this build writes.
int latestSchemaVersion();

// The SQL of migration `version` (1-based), for tests that build an older schema by hand;
// empty for a version that does not exist.
QString migrationSql(int version);

// The database's current `PRAGMA user_version`.
Result<int> schemaVersion(Database& db);

// Applies every migration above the database's version, in order. Database::open calls this.
Result<void> migrateToLatest(Database& db);

} // namespace folio::storage
