#include "storage/busywait.h"

#include <sqlite3.h>

#include <algorithm>
#include <thread>

namespace folio::storage {

namespace {

    constexpr int kMaxSleepMs = 100;

    int sleepMs(int call)
    {
        return call < 7 ? 1 << call : kMaxSleepMs; // 1, 2, 4 ... 64, then 100
    }

    int busyHandler(void*, int calls)
    {
        if (busySleptAfter(calls) >= kBusyPatience)
            return 0; // SQLite returns SQLITE_BUSY; the caller reports "database is locked"
        std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs(calls)));
        return 1;
    }

} // namespace

std::chrono::milliseconds busySleptAfter(int calls)
{
    const int ramp = std::min(calls, 7);
    const long long rampMs = (1LL << ramp) - 1;
    return std::chrono::milliseconds(rampMs + static_cast<long long>(std::max(0, calls - 7)) * kMaxSleepMs);
}

void installBusyWait(sqlite3* db)
{
    sqlite3_busy_handler(db, busyHandler, nullptr);
}

} // namespace folio::storage
