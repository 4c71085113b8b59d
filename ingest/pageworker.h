#pragma once

#include "ingest/ingestedpage.h"
#include "ingest/pagebudget.h"
#include "inference/result.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <vector>

namespace folio::ingest {

// The page worker executable: `folio-pageworker` next to the running program, else the one
// this build made. Empty when neither exists.
QString pageWorkerExecutable();

// Reads the geometry and text layer of every page of the PDF at `path` (which has `pageCount`
// pages) in a child process, so a page whose text extraction never ends or eats all memory
// cannot stall or kill the caller. A page over `budget`, or one that crashes the worker, is
// returned with an error naming the limit (its geometry kept when the worker got that far) and
// a fresh worker goes on with the next page. Fails as a whole only when the worker cannot be
// started or `cancel` is set (checked every 100 ms). Blocking; any thread.
Result<std::vector<IngestedPage>> readPdfPagesIsolated(const QString& path, const QByteArray& password, int pageCount,
                                                       const PageBudget& budget, const std::atomic<bool>* cancel);

} // namespace folio::ingest
