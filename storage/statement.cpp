#include "storage/statement.h"

#include "storage/sqliteerror.h"

#include <sqlite3.h>

#include <utility>

namespace folio::storage {

Statement::Statement(sqlite3_stmt* stmt)
    : m_stmt(stmt)
{
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_bindError(std::move(other.m_bindError))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindError = std::move(other.m_bindError);
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

std::string Statement::doing() const
{
    return "running " + sqlForMessage(sqlite3_sql(m_stmt));
}

void Statement::noteBindResult(int rc, int index)
{
    // Keep the first failure: later ones are usually its consequence.
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = sqliteError(sqlite3_db_handle(m_stmt), rc,
            "binding parameter " + std::to_string(index) + " of " + sqlForMessage(sqlite3_sql(m_stmt)));
}

Statement& Statement::bind(int index, qint64 value)
{
    noteBindResult(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, int value)
{
    return bind(index, static_cast<qint64>(value));
}

Statement& Statement::bind(int index, double value)
{
    noteBindResult(sqlite3_bind_double(m_stmt, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    if (value.isNull())
        return bind(index, nullptr);
    const QByteArray utf8 = value.toUtf8();
    noteBindResult(sqlite3_bind_text64(m_stmt, index, utf8.constData(), static_cast<sqlite3_uint64>(utf8.size()),
                       SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& value)
{
    if (value.isNull())
        return bind(index, nullptr);
    noteBindResult(sqlite3_bind_blob64(
                       m_stmt, index, value.constData(), static_cast<sqlite3_uint64>(value.size()), SQLITE_TRANSIENT),
        index);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t)
{
    noteBindResult(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

Result<Statement::Step> Statement::step()
{
    if (m_bindError)
        return *m_bindError;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return Step::Row;
    if (rc == SQLITE_DONE)
        return Step::Done;
    return sqliteError(sqlite3_db_handle(m_stmt), rc, doing());
}

Result<void> Statement::exec()
{
    auto stepped = step();
    if (!stepped)
        return makeError(stepped.error());
    if (*stepped == Step::Row)
        return makeError(
            "Internal error: " + sqlForMessage(sqlite3_sql(m_stmt)) + " returned rows where none were expected");
    return {};
}

void Statement::reset()
{
    // sqlite3_reset repeats the error of the last step, which step() has already reported.
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError.reset();
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

int Statement::columnInt(int column) const
{
    return sqlite3_column_int(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::columnText(int column) const
{
    // Fetch the pointer before the size, as SQLite's documentation asks.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::columnBlob(int column) const
{
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

} // namespace folio::storage
