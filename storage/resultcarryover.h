#pragma once
// Reviewed work survives re-runs and re-parses. When new results replace old ones on a page
// (ResultStore::storePageResult, ::replaceRunResults), every old item the reviewer touched —
// edited, accepted or flagged fields, cells and lines, and fields they deleted — is carried
// over to the new run:
//   - matched to the new run's item by field name (closest box among equal names), by table
//     and grid cell (row, col), or for text lines by box overlap;
//   - the reviewed row itself moves to the new run (same id, so its edit history and undo stay
//     attached) and the new run's duplicate is dropped; the new reading is kept as the row's
//     model_value;
//   - where the new reading differs from a reviewed (edited or accepted) value the reviewed
//     value stays and the row is flagged `conflict`, so both values are visible;
//   - a reviewed item the new run did not find at all stays too, flagged `conflict`;
//   - a field the reviewer deleted stays deleted: the new run's field of that name is deleted
//     with a 'deleted' edit (so it can be restored).
// Internal to storage/; runs inside the caller's transaction on the Database's thread.

#include "inference/result.h"

#include <QtGlobal>

#include <vector>

namespace folio::storage {

class Database;

// The result rows that belonged to the replaced runs, read before the new results go in.
struct ResultRows {
    std::vector<qint64> lines, fields, tables, cells;
};

Result<ResultRows> resultRowsOfRuns(Database& db, const std::vector<qint64>& runIds);

// Moves the reviewed rows among `old` to run `newRunId` (see above), then deletes the rest of
// `old`. `oldRunIds` are the runs whose deleted fields stay deleted.
Result<void> carryOverReviewedWork(Database& db, const ResultRows& old, const std::vector<qint64>& oldRunIds,
                                   qint64 newRunId);

} // namespace folio::storage
