#include "storage/migrations.h"

#include "storage/database.h"
#include "storage/transaction.h"

#include <array>
#include <string>

namespace folio::storage {

namespace {

// Index i holds the SQL that takes the schema from version i to i + 1.
constexpr std::array migrations = {
    // v1: documents, pages, text-layer words and the search index.
    R"sql(
CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE,
    path           TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('pdf', 'image')),
    page_count     INTEGER NOT NULL CHECK (page_count >= 0),
    has_text_layer INTEGER NOT NULL DEFAULT 0,
    title          TEXT,
    file_size      INTEGER NOT NULL CHECK (file_size >= 0),
    added_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    status         TEXT NOT NULL DEFAULT 'ingested'
);
CREATE INDEX documents_path ON documents (path);

CREATE TABLE pages (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index     INTEGER NOT NULL CHECK (page_index >= 0),
    width_pt       REAL NOT NULL,
    height_pt      REAL NOT NULL,
    rotation       INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
    has_text_layer INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, page_index)
);

CREATE TABLE words (
    id         INTEGER PRIMARY KEY,
    page_id    INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    word_index INTEGER NOT NULL,
    line_index INTEGER NOT NULL,
    text       TEXT NOT NULL,
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
    UNIQUE (page_id, word_index)
);
CREATE INDEX words_line ON words (page_id, line_index);

-- One row per searchable text. kind says what ref_id points at: for 'text_layer' the line's
-- line_index in words; for later kinds ('ocr_line', 'field', 'cell') the id of a result row.
CREATE TABLE search_entries (
    id      INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('text_layer', 'ocr_line', 'field', 'cell')),
    ref_id  INTEGER,
    text    TEXT NOT NULL,
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL
);
CREATE INDEX search_entries_page ON search_entries (page_id);

-- External-content FTS5 index: the text lives once, in search_entries. Trigrams make any
-- substring of 3+ characters searchable, CJK included, without a word segmenter.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    text, content = 'search_entries', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE OF text ON search_entries BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
)sql",
    // v2: extraction runs, their results (lines, fields, tables, cells), the edit history, and
    // triggers that keep every result's text in search_entries.
    R"sql(
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index     INTEGER NOT NULL CHECK (page_index >= 0),
    task           TEXT NOT NULL CHECK (task IN ('ocr', 'table', 'invoice', 'form', 'custom')),
    model_id       TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    params         TEXT NOT NULL DEFAULT '{}',
    raw_output     TEXT NOT NULL DEFAULT '',
    resized_width  INTEGER NOT NULL DEFAULT 0,
    resized_height INTEGER NOT NULL DEFAULT 0,
    timings        TEXT NOT NULL DEFAULT '{}',
    status         TEXT NOT NULL
        CHECK (status IN ('ok', 'truncated', 'failed', 'blank', 'cancelled', 'repetition')),
    error          TEXT,
    attempt        INTEGER NOT NULL DEFAULT 1,
    started_at     TEXT,
    finished_at    TEXT,
    -- The later run of the same task on the same page whose results replaced this run's.
    superseded_by  INTEGER REFERENCES runs (id)
);
CREATE INDEX runs_document ON runs (document_id, page_index, task);

-- Result rows. AUTOINCREMENT: ids are never reused, so the edit history's target ids stay
-- unambiguous after a delete. The box columns are all NULL when a result has no box. The
-- (document_id, page_index) key must name a stored page. fields.run_id is NULL for fields a
-- user added, which a re-run therefore does not supersede.
CREATE TABLE lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index    INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    confidence    REAL NOT NULL,
    flags         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('model', 'e-invoice', 'user')),
    review_status TEXT NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'accepted', 'flagged')),
    FOREIGN KEY (document_id, page_index) REFERENCES pages (document_id, page_index) ON DELETE CASCADE
);
CREATE INDEX lines_run ON lines (run_id);
CREATE INDEX lines_document ON lines (document_id, page_index, position);

CREATE TABLE fields (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER REFERENCES runs (id) ON DELETE CASCADE,
    document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index    INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    value         TEXT NOT NULL,
    normalized    TEXT NOT NULL DEFAULT '',
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    confidence    REAL NOT NULL,
    flags         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('model', 'e-invoice', 'user')),
    review_status TEXT NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'accepted', 'flagged')),
    FOREIGN KEY (document_id, page_index) REFERENCES pages (document_id, page_index) ON DELETE CASCADE
);
CREATE INDEX fields_run ON fields (run_id);
CREATE INDEX fields_document ON fields (document_id, page_index, position);

CREATE TABLE result_tables (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index  INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    FOREIGN KEY (document_id, page_index) REFERENCES pages (document_id, page_index) ON DELETE CASCADE
);
CREATE INDEX result_tables_run ON result_tables (run_id);
CREATE INDEX result_tables_document ON result_tables (document_id, page_index, position);

CREATE TABLE cells (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    table_id      INTEGER NOT NULL REFERENCES result_tables (id) ON DELETE CASCADE,
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_index    INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    grid_row      INTEGER NOT NULL CHECK (grid_row >= 0),
    grid_col      INTEGER NOT NULL CHECK (grid_col >= 0),
    row_span      INTEGER NOT NULL DEFAULT 1 CHECK (row_span >= 1),
    col_span      INTEGER NOT NULL DEFAULT 1 CHECK (col_span >= 1),
    header        INTEGER NOT NULL DEFAULT 0,
    text          TEXT NOT NULL,
    normalized    TEXT NOT NULL DEFAULT '',
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    confidence    REAL NOT NULL,
    flags         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('model', 'e-invoice', 'user')),
    review_status TEXT NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'accepted', 'flagged')),
    FOREIGN KEY (document_id, page_index) REFERENCES pages (document_id, page_index) ON DELETE CASCADE
);
CREATE INDEX cells_table ON cells (table_id, position);
CREATE INDEX cells_run ON cells (run_id);

-- The review history. target_id is deliberately not a foreign key: the history outlives the
-- rows it describes (a deleted field, results superseded by a re-run).
CREATE TABLE edits (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    target      TEXT NOT NULL CHECK (target IN ('field', 'cell', 'line')),
    target_id   INTEGER NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('value', 'box', 'review_status', 'created', 'deleted')),
    old_value   TEXT,
    new_value   TEXT,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    author      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX edits_document ON edits (document_id, id);

-- Each line, field value and cell text has one search entry (kind 'ocr_line', 'field',
-- 'cell'; ref_id = the row's id; a row without a box gets an all-zero box), kept in step by
-- these triggers on every insert, edit and delete, cascades included.
CREATE INDEX search_entries_ref ON search_entries (kind, ref_id);
CREATE TRIGGER lines_search_ai AFTER INSERT ON lines BEGIN
    INSERT INTO search_entries (page_id, kind, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, 'ocr_line', new.id, new.text,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index;
END;
CREATE TRIGGER lines_search_au AFTER UPDATE OF text, page_index, x0, y0, x1, y1 ON lines BEGIN
    UPDATE search_entries SET text = new.text,
        page_id = (SELECT p.id FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index),
        x0 = coalesce(new.x0, 0), y0 = coalesce(new.y0, 0), x1 = coalesce(new.x1, 0), y1 = coalesce(new.y1, 0)
    WHERE kind = 'ocr_line' AND ref_id = new.id;
END;
CREATE TRIGGER lines_search_ad AFTER DELETE ON lines BEGIN
    DELETE FROM search_entries WHERE kind = 'ocr_line' AND ref_id = old.id;
END;

CREATE TRIGGER fields_search_ai AFTER INSERT ON fields BEGIN
    INSERT INTO search_entries (page_id, kind, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, 'field', new.id, new.value,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index;
END;
CREATE TRIGGER fields_search_au AFTER UPDATE OF value, page_index, x0, y0, x1, y1 ON fields BEGIN
    UPDATE search_entries SET text = new.value,
        page_id = (SELECT p.id FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index),
        x0 = coalesce(new.x0, 0), y0 = coalesce(new.y0, 0), x1 = coalesce(new.x1, 0), y1 = coalesce(new.y1, 0)
    WHERE kind = 'field' AND ref_id = new.id;
END;
CREATE TRIGGER fields_search_ad AFTER DELETE ON fields BEGIN
    DELETE FROM search_entries WHERE kind = 'field' AND ref_id = old.id;
END;

CREATE TRIGGER cells_search_ai AFTER INSERT ON cells BEGIN
    INSERT INTO search_entries (page_id, kind, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, 'cell', new.id, new.text,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index;
END;
CREATE TRIGGER cells_search_au AFTER UPDATE OF text, page_index, x0, y0, x1, y1 ON cells BEGIN
    UPDATE search_entries SET text = new.text,
        page_id = (SELECT p.id FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index),
        x0 = coalesce(new.x0, 0), y0 = coalesce(new.y0, 0), x1 = coalesce(new.x1, 0), y1 = coalesce(new.y1, 0)
    WHERE kind = 'cell' AND ref_id = new.id;
END;
CREATE TRIGGER cells_search_ad AFTER DELETE ON cells BEGIN
    DELETE FROM search_entries WHERE kind = 'cell' AND ref_id = old.id;
END;
)sql",
    // v3: reviewed work survives re-runs (storage/resultcarryover.h): the model's own reading of
    // every field and cell, kept beside the reviewed value; each run's notes (validation that
    // could not run, with the reason); and which edit an undo undid.
    R"sql(
ALTER TABLE fields ADD COLUMN model_value TEXT;
ALTER TABLE cells ADD COLUMN model_value TEXT;
UPDATE fields SET model_value = value WHERE source <> 'user';
UPDATE cells SET model_value = text;
ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
-- An undo is an edit of its own; this names the edit it undid, so `folio review --undo` can
-- step back through the history.
ALTER TABLE edits ADD COLUMN undoes INTEGER;
)sql",
    // v4: OCR words beside the PDF text layer. A word says which layer it came from
    // ('pdf' text layer, 'ocr') and, for OCR, how sure the recogniser was; a page records the
    // languages it was OCR'd with (NULL: never OCR'd). OCR lines are searched through the same
    // 'text_layer' search entries as the PDF's (ref_id = line_index), so nothing else changes.
    R"sql(
ALTER TABLE words ADD COLUMN source TEXT NOT NULL DEFAULT 'pdf' CHECK (source IN ('pdf', 'ocr'));
ALTER TABLE words ADD COLUMN confidence REAL;
ALTER TABLE pages ADD COLUMN ocr_languages TEXT;
CREATE INDEX words_source ON words (page_id, source);
)sql",
    // v5: per-page problems, documents that become visible only when completely stored, and
    // the file's mark as a Folio library (storage/libraryprobe.h).
    R"sql(
-- Why a page, or only its text layer, could not be read (over its time or memory budget,
-- damaged, unreadable geometry); NULL for a good page. warning: damaged but usable (a
-- truncated image).
ALTER TABLE pages ADD COLUMN error TEXT;
ALTER TABLE pages ADD COLUMN warning TEXT;
-- A large import commits in chunks of pages; readers see a document only once complete = 1.
-- import_pid is the process storing an incomplete one, so one left by a crash can be removed.
ALTER TABLE documents ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
ALTER TABLE documents ADD COLUMN import_pid INTEGER;
PRAGMA application_id = 1181707375;
)sql",
    // v6: why each value has its confidence (extract/types/confidenceevidence.h): the signals it
    // was computed from, so re-running the checks recomputes it and the review app can say why.
    // '' for rows stored before (their confidence stays as it was).
    R"sql(
ALTER TABLE lines ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE fields ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE cells ADD COLUMN evidence TEXT NOT NULL DEFAULT '';

-- Amounts and dates in canonical form (storage/records.h, ValueRecord), so a search finds
-- 3395.23 where 3,395.23 or 3.395,23 is printed. Words' values are written by whoever stores the
-- words (ref_id = the line index, as for 'text_layer' search entries); fields' and cells' values
-- come from their normalized column through these triggers (ref_id = the row's id).
CREATE TABLE search_values (
    id      INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('amount', 'date')),
    value   TEXT NOT NULL,
    source  TEXT NOT NULL CHECK (source IN ('text_layer', 'ocr', 'field', 'cell')),
    ref_id  INTEGER,
    text    TEXT NOT NULL,
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL
);
CREATE INDEX search_values_value ON search_values (value, kind);
CREATE INDEX search_values_ref ON search_values (source, ref_id);
CREATE INDEX search_values_page ON search_values (page_id);

-- A normalized value is a date (YYYY-MM-DD) or an amount (digits, a point, a sign); the
-- results stored before this version are indexed here, later ones by the triggers.
INSERT INTO search_values (page_id, kind, value, source, ref_id, text, x0, y0, x1, y1)
SELECT p.id, CASE WHEN r.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date' ELSE 'amount' END,
       r.normalized, r.source, r.id, r.text, coalesce(r.x0, 0), coalesce(r.y0, 0), coalesce(r.x1, 0), coalesce(r.y1, 0)
FROM (SELECT 'field' AS source, id, document_id, page_index, value AS text, normalized, x0, y0, x1, y1 FROM fields
      UNION ALL
      SELECT 'cell', id, document_id, page_index, text, normalized, x0, y0, x1, y1 FROM cells WHERE header = 0) r
JOIN pages p ON p.document_id = r.document_id AND p.page_index = r.page_index
WHERE r.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
   OR (r.normalized GLOB '*[0-9]*' AND NOT r.normalized GLOB '*[^0-9.-]*');

CREATE TRIGGER fields_values_ai AFTER INSERT ON fields BEGIN
    INSERT INTO search_values (page_id, kind, value, source, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, CASE WHEN new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date' ELSE 'amount' END,
           new.normalized, 'field', new.id, new.value,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index
      AND (new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
           OR (new.normalized GLOB '*[0-9]*' AND NOT new.normalized GLOB '*[^0-9.-]*'));
END;
CREATE TRIGGER fields_values_au AFTER UPDATE OF value, normalized, page_index, x0, y0, x1, y1 ON fields BEGIN
    DELETE FROM search_values WHERE source = 'field' AND ref_id = old.id;
    INSERT INTO search_values (page_id, kind, value, source, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, CASE WHEN new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date' ELSE 'amount' END,
           new.normalized, 'field', new.id, new.value,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index
      AND (new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
           OR (new.normalized GLOB '*[0-9]*' AND NOT new.normalized GLOB '*[^0-9.-]*'));
END;
CREATE TRIGGER fields_values_ad AFTER DELETE ON fields BEGIN
    DELETE FROM search_values WHERE source = 'field' AND ref_id = old.id;
END;
CREATE TRIGGER cells_values_ai AFTER INSERT ON cells WHEN new.header = 0 BEGIN
    INSERT INTO search_values (page_id, kind, value, source, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, CASE WHEN new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date' ELSE 'amount' END,
           new.normalized, 'cell', new.id, new.text,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index
      AND (new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
           OR (new.normalized GLOB '*[0-9]*' AND NOT new.normalized GLOB '*[^0-9.-]*'));
END;
CREATE TRIGGER cells_values_au AFTER UPDATE OF text, normalized, page_index, x0, y0, x1, y1 ON cells WHEN new.header = 0 BEGIN
    DELETE FROM search_values WHERE source = 'cell' AND ref_id = old.id;
    INSERT INTO search_values (page_id, kind, value, source, ref_id, text, x0, y0, x1, y1)
    SELECT p.id, CASE WHEN new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 'date' ELSE 'amount' END,
           new.normalized, 'cell', new.id, new.text,
           coalesce(new.x0, 0), coalesce(new.y0, 0), coalesce(new.x1, 0), coalesce(new.y1, 0)
    FROM pages p WHERE p.document_id = new.document_id AND p.page_index = new.page_index
      AND (new.normalized GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
           OR (new.normalized GLOB '*[0-9]*' AND NOT new.normalized GLOB '*[^0-9.-]*'));
END;
CREATE TRIGGER cells_values_ad AFTER DELETE ON cells BEGIN
    DELETE FROM search_values WHERE source = 'cell' AND ref_id = old.id;
END;
)sql",
    // v7: the reviewer's turn of a page in the viewer (a sideways scan read upright), clockwise
    // on top of the page's own rotation; boxes stay in the unrotated page's coordinates.
    R"sql(
ALTER TABLE pages ADD COLUMN view_rotation INTEGER NOT NULL DEFAULT 0 CHECK (view_rotation IN (0, 90, 180, 270));
)sql",
};

} // namespace

int latestSchemaVersion()
{
    return static_cast<int>(migrations.size());
}

QString migrationSql(int version)
{
    if (version < 1 || version > latestSchemaVersion())
        return {};
    return QString::fromUtf8(migrations[static_cast<std::size_t>(version - 1)]);
}

Result<int> schemaVersion(Database& db)
{
    auto query = db.prepare(QStringLiteral("PRAGMA user_version"));
    if (!query)
        return makeError(query.error());
    auto stepped = query->step();
    if (!stepped)
        return makeError(stepped.error());
    if (*stepped != Statement::Step::Row)
        return makeError("Internal error: PRAGMA user_version returned no row");
    return query->columnInt(0);
}

Result<void> migrateToLatest(Database& db)
{
    auto current = schemaVersion(db);
    if (!current)
        return makeError(current.error());
    if (*current > latestSchemaVersion())
        return makeError("the library was written by a newer Folio (schema version " + std::to_string(*current)
            + "; this version knows up to " + std::to_string(latestSchemaVersion()) + ") — update Folio to open it");
    for (int version = *current + 1; version <= latestSchemaVersion(); ++version) {
        const auto failed = [&](const std::string& why) {
            return makeError("upgrading the library schema to version " + std::to_string(version) + " failed: " + why);
        };
        auto transaction = Transaction::begin(db);
        if (!transaction)
            return failed(transaction.error());
        // Another connection (a second `folio` opening the same new library) may have applied
        // this step while we waited for the write lock: look again now that we hold it.
        auto now = schemaVersion(db);
        if (!now)
            return failed(now.error());
        if (*now >= version) {
            if (auto r = transaction->commit(); !r)
                return failed(r.error());
            continue;
        }
        if (auto r = db.exec(QString::fromUtf8(migrations[static_cast<std::size_t>(version - 1)])); !r)
            return failed(r.error());
        // PRAGMA takes no bound parameters; the version is our own integer.
        if (auto r = db.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)); !r)
            return failed(r.error());
        if (auto r = transaction->commit(); !r)
            return failed(r.error());
    }
    return {};
}

} // namespace folio::storage
