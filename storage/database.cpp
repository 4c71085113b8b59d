#include "storage/database.h"

#include "storage/busywait.h"
#include "storage/libraryprobe.h"
#include "storage/migrations.h"
#include "storage/sqliteerror.h"

#include <sqlite3.h>

#include <thread>

#include <QDir>
#include <QFileInfo>

namespace folio::storage {

namespace {

std::string quoted(const QString& path)
{
    return "'" + path.toStdString() + "'";
}

void caseFold(sqlite3_context* context, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const QByteArray folded = QString::fromUtf8(text, sqlite3_value_bytes(argv[0])).toCaseFolded().toUtf8();
    sqlite3_result_text64(
        context, folded.constData(), static_cast<sqlite3_uint64>(folded.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
}

Result<void> configure(Database& db, sqlite3* raw)
{
    // WAL lets readers (the GUI) keep reading while an import writes. Switching a new library to
    // it needs the file to itself for a moment, and SQLite answers BUSY at once, without the busy
    // handler, while another process is creating the same library (two importers on a new
    // library): so wait here with the handler's backoff and patience.
    for (int attempt = 0;; ++attempt) {
        auto mode = db.prepare(QStringLiteral("PRAGMA journal_mode=WAL"));
        Result<Statement::Step> stepped = mode ? mode->step() : Result<Statement::Step>(makeError(mode.error()));
        if (stepped) {
            if (*stepped != Statement::Step::Row
                || mode->columnText(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
                return makeError("it cannot use write-ahead logging (is it on a network or read-only file system?)");
            break;
        }
        const int code = sqlite3_errcode(raw) & 0xff;
        if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || busySleptAfter(attempt + 1) >= kBusyPatience)
            return makeError(stepped.error());
        std::this_thread::sleep_for(busySleptAfter(attempt + 1) - busySleptAfter(attempt));
    }
    if (auto r = db.exec(QStringLiteral("PRAGMA foreign_keys=ON")); !r)
        return r;
    return migrateToLatest(db);
}

} // namespace

Database::Database(sqlite3* db, QString path)
    : m_db(db)
    , m_path(std::move(path))
{
}

Database::~Database()
{
    // close_v2 defers the close until the last statement is finalised instead of failing.
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path)
{
    if (path.isEmpty())
        return makeError("No path was given for the library database");
    const QFileInfo info(path);
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder))
        return makeError("Cannot create the folder " + quoted(folder) + " for the library database " + quoted(path)
            + " — check that the path is correct and writable");
    if (info.isDir())
        return makeError("The library database path " + quoted(path) + " is a folder, not a file");

    // Look before writing: a foreign database must come out of this unchanged.
    if (auto folio = checkIsFolioLibrary(info.absoluteFilePath()); !folio)
        return makeError(folio.error());

    sqlite3* raw = nullptr;
    const QByteArray utf8 = QDir::toNativeSeparators(info.absoluteFilePath()).toUtf8();
    const int rc = sqlite3_open_v2(
        utf8.constData(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, nullptr);
    // From here on the Database owns the handle, even when opening failed (SQLite still
    // allocates one to carry the error message).
    std::unique_ptr<Database> db(new Database(raw, info.absoluteFilePath()));
    if (rc != SQLITE_OK)
        return sqliteError(raw, rc, "opening " + quoted(path));
    // SQLite silently falls back to read-only when the file is not writable; a library must
    // be writable, so say so now rather than at the first import.
    if (sqlite3_db_readonly(raw, "main") == 1)
        return makeError("The library database " + quoted(path)
            + " is read-only — check the permissions of the file and its folder");
    installBusyWait(raw);
    if (const int frc = sqlite3_create_function_v2(raw, "folio_casefold", 1,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr, caseFold, nullptr, nullptr, nullptr);
        frc != SQLITE_OK)
        return sqliteError(raw, frc, "registering SQL functions on " + quoted(path));

    if (auto r = configure(*db, raw); !r)
        return makeError("Cannot open the library database " + quoted(path) + ": " + r.error());
    return db;
}

Result<void> Database::exec(const QString& sql)
{
    const QByteArray utf8 = sql.toUtf8();
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, utf8.constData(), nullptr, nullptr, &message);
    sqlite3_free(message); // the same text is available from sqlite3_errmsg
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "running " + sqlForMessage(utf8.toStdString()));
    return {};
}

Result<Statement> Database::prepare(const QString& sql)
{
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, &tail);
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "preparing " + sqlForMessage(utf8.toStdString()));
    Statement statement(stmt);
    if (!stmt)
        return makeError("Internal error: " + sqlForMessage(utf8.toStdString()) + " holds no SQL statement");
    if (!QByteArray(tail).trimmed().isEmpty())
        return makeError("Internal error: " + sqlForMessage(utf8.toStdString()) + " holds more than one statement");
    return statement;
}

qint64 Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

} // namespace folio::storage
