#pragma once

#include <QtGlobal>

#include <chrono>

namespace folio::ingest {

// How much one page may cost while a document is read (geometry + text layer). Poppler's text
// extraction has no abort hook, so pages are read in a separate process (ingest/pageworker.h)
// that is killed when a page takes longer than `timeout` of wall-clock time, and whose address
// space may grow by at most `memoryBytes` while it reads. A page over budget is kept as a page
// with an error saying which limit it hit; the next pages are read by a fresh process.
struct PageBudget {
    std::chrono::milliseconds timeout{30'000};
    qint64 memoryBytes = qint64(2) << 30;
};

// Rendering one page (Poppler's abort callback is polled while it draws) may take this long.
inline constexpr std::chrono::milliseconds kDefaultRenderTimeout{60'000};

} // namespace folio::ingest
