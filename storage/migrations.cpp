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
};

} // namespace

int latestSchemaVersion()
{
    return static_cast<int>(migrations.size());
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
