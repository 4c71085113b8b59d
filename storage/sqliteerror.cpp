#include "storage/sqliteerror.h"

#include <sqlite3.h>

namespace folio::storage {

namespace {

// Primary result codes a user can act on; everything else is reported in SQLite's words only.
const char* hintFor(int primaryCode)
{
    switch (primaryCode) {
    case SQLITE_FULL:
        return "the disk is full (or the database reached its size limit); free some space and try again";
    case SQLITE_READONLY:
        return "the library database is read-only; check the permissions of the file and its folder";
    case SQLITE_CANTOPEN:
        return "the library database cannot be opened; check that the folder exists and is writable";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "another program or thread is holding the library locked; try again when it has finished";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "the file is not a usable Folio library database";
    case SQLITE_IOERR:
        return "reading or writing the database file failed";
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return "access to the database was denied";
    default:
        return nullptr;
    }
}

} // namespace

Error sqliteError(sqlite3* db, int code, std::string_view doing)
{
    std::string message = "Database error while ";
    message += doing;
    message += ": ";
    // sqlite3_errmsg describes the latest failure on the connection, which is more specific
    // ("UNIQUE constraint failed: documents.sha256") than the generic text of the code.
    const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    message += detail ? detail : "unknown error";
    if (const char* hint = hintFor(code & 0xff)) {
        message += " — ";
        message += hint;
    }
    return makeError(std::move(message));
}

std::string sqlForMessage(std::string_view sql)
{
    constexpr std::size_t maxChars = 60;
    while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n' || sql.front() == '\t'))
        sql.remove_prefix(1);
    std::string_view line = sql.substr(0, sql.find('\n'));
    std::string out = "`";
    if (line.size() > maxChars) {
        std::size_t cut = maxChars;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80)
            --cut; // never split a UTF-8 sequence
        out += line.substr(0, cut);
        out += "…";
    } else {
        out += line;
    }
    out += "`";
    return out;
}

} // namespace folio::storage
