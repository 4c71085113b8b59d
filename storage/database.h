#pragma once
// Database: one SQLite connection to a Folio library file (RAII over sqlite3*).
//
// open() creates the parent folders and the file if needed, turns on WAL, foreign keys and a
// busy timeout, refuses a file it cannot write, and migrates the schema to the latest version
// (storage/migrations.h). A Database and the Statements it prepares belong to one thread at a
// time; give each thread its own Database.
//
// Queries may use folio_casefold(text): Unicode case folding as QString::toCaseFolded does it
// (SQLite's own lower() folds ASCII only).
//
// Every failure, including a full disk (SQLITE_FULL) or a read-only file, comes back as a
// folio::Error naming what we were doing and SQLite's reason; nothing throws.

#include "inference/result.h"
#include "storage/statement.h"

#include <QString>

#include <memory>

struct sqlite3;

namespace folio::storage {

class Database {
public:
    static Result<std::unique_ptr<Database>> open(const QString& path);

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    const QString& path() const { return m_path; }

    // Runs SQL without parameters (may hold several statements; rows are discarded). For
    // schema changes and pragmas; values always go through prepare() and bind.
    Result<void> exec(const QString& sql);
    // Prepares exactly one statement.
    Result<Statement> prepare(const QString& sql);

    qint64 lastInsertId() const;
    // Rows changed by the most recent INSERT, UPDATE or DELETE.
    int changes() const;
    // True while an explicit transaction is open (see storage/transaction.h).
    bool inTransaction() const;

private:
    Database(sqlite3* db, QString path);

    sqlite3* m_db = nullptr;
    QString m_path;
};

} // namespace folio::storage
