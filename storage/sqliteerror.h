#pragma once
// Turns a failed SQLite call into a message fit for the user: what we were doing, SQLite's own
// words, and — for the failures a user can fix (full disk, read-only file, another program
// holding the lock) — what to do about it. Internal to storage/; callers see folio::Error.

#include "inference/result.h"

#include <string>
#include <string_view>

struct sqlite3;

namespace folio::storage {

// `doing` says what failed ("running `INSERT INTO pages…`"); `code` is the (extended) result
// code of the failed call; `db` may be null when the connection could not be opened.
Error sqliteError(sqlite3* db, int code, std::string_view doing);

// The first line of an SQL text, shortened, for use in messages.
std::string sqlForMessage(std::string_view sql);

} // namespace folio::storage
