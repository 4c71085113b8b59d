#include "storage/libraryprobe.h"

#include "storage/busywait.h"
#include "storage/sqliteerror.h"

#include <sqlite3.h>

#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace folio::storage {

namespace {

    std::string quoted(const QString& path)
    {
        return "'" + path.toStdString() + "'";
    }

    struct ReadOnlyConnection {
        sqlite3* db = nullptr;
        ~ReadOnlyConnection() { sqlite3_close_v2(db); }
    };

    // Runs a query returning one column, collecting its rows as text.
    Result<QStringList> column(sqlite3* db, const char* sql)
    {
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
        if (rc != SQLITE_OK)
            return sqliteError(db, rc, std::string("reading ") + sql);
        QStringList out;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
            out << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE)
            return sqliteError(db, rc, std::string("reading ") + sql);
        return out;
    }

} // namespace

Result<void> checkIsFolioLibrary(const QString& absolutePath)
{
    const QFileInfo info(absolutePath);
    if (!info.exists() || (info.isFile() && info.size() == 0))
        return {};
    const std::string where = "The library database " + quoted(absolutePath);
    ReadOnlyConnection c;
    const QByteArray utf8 = QDir::toNativeSeparators(absolutePath).toUtf8();
    if (const int rc = sqlite3_open_v2(utf8.constData(), &c.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_EXRESCODE, nullptr);
        rc != SQLITE_OK)
        return sqliteError(c.db, rc, "opening " + quoted(absolutePath) + " read-only");
    installBusyWait(c.db);

    auto tables = column(c.db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    if (!tables) {
        if ((sqlite3_extended_errcode(c.db) & 0xff) == SQLITE_NOTADB)
            return makeError(where + " is not a Folio library: it is not a database (neither Folio's nor another program's SQLite file); choose another file");
        return makeError(tables.error());
    }
    auto appId = column(c.db, "PRAGMA application_id");
    auto version = column(c.db, "PRAGMA user_version");
    if (!appId || !version)
        return makeError(!appId ? appId.error() : version.error());
    if (tables->isEmpty())
        return {};
    if (appId->value(0).toInt() == kFolioApplicationId)
        return {};
    const bool folioTables = tables->contains(QStringLiteral("documents")) && tables->contains(QStringLiteral("pages"));
    if (appId->value(0).toInt() == 0 && version->value(0).toInt() >= 1 && folioTables)
        return {};
    QStringList shown = tables->mid(0, 5);
    if (tables->size() > 5)
        shown << QStringLiteral("...");
    return makeError(where + " is an SQLite database of another program, not a Folio library (its tables: "
        + shown.join(QStringLiteral(", ")).toStdString() + "); it was left untouched — choose another library file");
}

} // namespace folio::storage
