#pragma once
// How a connection waits for another writer (another thread, the GUI, a second `folio`
// process): SQLite calls this busy handler while the lock is held elsewhere; it sleeps with
// exponential backoff (1 ms doubling to 100 ms) and gives up after kBusyPatience in total,
// which imports that commit page-sized chunks (Library::addDocument) never come near.

#include <chrono>

struct sqlite3;

namespace folio::storage {

inline constexpr std::chrono::milliseconds kBusyPatience{120'000};

// Installs the handler on `db` (it replaces sqlite3_busy_timeout).
void installBusyWait(sqlite3* db);

// The total time the handler has slept once it has been called `calls` times.
std::chrono::milliseconds busySleptAfter(int calls);

} // namespace folio::storage
