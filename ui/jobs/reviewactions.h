#pragma once
// The reviewer's actions with their consequences, shared by the review window and
// `folio review`, so both write the same stores and the same history:
//   - a new value is re-normalised by extraction's own normaliser (extract/resultnormalizer.h,
//     in the context of the rest of its page, as extraction did) and stored with the flags
//     that apply now; a value the normaliser cannot read is kept exactly as typed and flagged
//     `unparsed`; then the invoice it belongs to is checked again (jobs/invoicerevalidation.h);
//   - a new value settles a `conflict` from a re-run (the reviewer decided);
//   - undoing an edit checks the invoice again as well.
// Runs on the Library's thread.

#include "extract/types/flags.h"
#include "inference/result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace folio::storage {
class Library;
}

namespace folio::jobs {

struct ReviewTarget {
    bool cell = false;
    qint64 id = 0;
    QString label; // "invoice_date (p.1)", "line_items:2:5 (p.1)"
};

// Finds a result by what a person types: a field name (`page`, 1-based, picks among several),
// or TABLE:ROW:COL for a cell (grid row and column as shown, 0-based with the header row 0;
// `page` picks the table's page). Errors list what there is instead.
Result<ReviewTarget> findReviewTarget(storage::Library& library, qint64 documentId, const QString& spec,
                                      std::optional<int> page = std::nullopt);

struct ValueChange {
    qint64 editId = 0;
    QString normalized;
    extract::Flags flags;
    QStringList checks; // invoice checks that fail or could not run after the change
};

Result<ValueChange> setReviewedValue(storage::Library& library, qint64 documentId, const ReviewTarget& target,
                                     const QString& value);
// status: storage::kReviewAccepted, kReviewFlagged or kReviewPending.
Result<qint64> setReviewState(storage::Library& library, const ReviewTarget& target, const QString& status);
// Accepts every pending field and cell of the document (one edit each); returns how many.
Result<int> acceptAllPending(storage::Library& library, qint64 documentId);
// Reverses the latest edit not yet undone; nullopt when there is nothing to undo.
Result<std::optional<qint64>> undoLastEdit(storage::Library& library, qint64 documentId);

// Whether a person has reviewed anything in the document (any edit in its history): a re-run
// then deserves a question first.
Result<bool> hasReviewedWork(storage::Library& library, qint64 documentId);

} // namespace folio::jobs
