#pragma once
// Statement: one prepared SQLite statement (RAII over sqlite3_stmt). Made by Database::prepare;
// used on the thread that owns its Database, and must not outlive it.
//
// Values are only ever bound, never pasted into SQL. Indexes are 1-based, as in SQLite. A
// failed bind (bad index, out of memory) is remembered and reported by the next step(), so
// binds can be chained without checking each one.

#include "inference/result.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <optional>
#include <string>

struct sqlite3_stmt;

namespace folio::storage {

class Statement {
public:
    enum class Step { Row, Done };

    // Takes ownership of a prepared statement (Database::prepare does this).
    explicit Statement(sqlite3_stmt* stmt);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, int value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value); // UTF-8 text; a null QString binds NULL
    Statement& bind(int index, const QByteArray& value); // blob; a null QByteArray binds NULL
    Statement& bind(int index, std::nullptr_t); // NULL

    // Runs the statement one step: Row when a row is ready for the column getters, Done when
    // finished. After Done or an error, reset() before running it again.
    Result<Step> step();
    // Runs a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
    Result<void> exec();
    // Makes the statement ready to run again with new bindings (old bindings are cleared).
    void reset();

    // Column getters for the current row (0-based, as in SQLite). NULL reads as 0 / empty.
    bool isNull(int column) const;
    qint64 columnInt64(int column) const;
    int columnInt(int column) const;
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;

private:
    void noteBindResult(int rc, int index);
    std::string doing() const;

    sqlite3_stmt* m_stmt = nullptr;
    std::optional<Error> m_bindError;
};

} // namespace folio::storage
