#pragma once
// The plain values for extraction runs, their stored results and the review history
// (storage/resultstore.h, storage/reviewstore.h). Plain copyable values, no thread affinity.
//
// Ids are the library's row ids; a stored result keeps its id across edits, and ids are never
// reused after a delete, so an EditRecord's targetId always means the same row.

#include "extract/types/pageresult.h"
#include "storage/records.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace folio::storage {

// One model call on one page, with everything needed to re-parse or audit it.
struct RunRecord {
    qint64 id = 0; // set by the library; ignored when storing
    qint64 documentId = 0;
    int pageIndex = 0; // 0-based
    QString task; // "ocr", "table", "invoice", "form" or "custom"
    QString modelId;
    QString promptVersion;
    QJsonObject params; // generation parameters
    QString rawOutput; // what the model wrote, always kept
    int resizedWidth = 0; // the model input size the boxes refer to
    int resizedHeight = 0;
    QJsonObject timings;
    QString status; // "ok", "truncated", "failed", "blank", "cancelled" or "repetition"
    QString error; // empty unless the run failed
    int attempt = 1;
    QDateTime startedAt; // UTC; may be null
    QDateTime finishedAt;
    qint64 supersededBy = 0; // set by the library: the later run whose results replaced this one's
    QStringList notes; // for the reader: validation that could not run (with the reason), repairs
};

// Review states of a stored line, field or cell.
inline const QString kReviewPending = QStringLiteral("pending");
inline const QString kReviewAccepted = QStringLiteral("accepted");
inline const QString kReviewFlagged = QStringLiteral("flagged");

struct StoredLine {
    qint64 id = 0;
    extract::TextLine line;
    int page = 0; // 0-based; also line.box.page when there is a box
    int order = 0; // position among the run's lines
    QString reviewStatus;
    qint64 runId = 0;
};

struct StoredField {
    qint64 id = 0;
    extract::Field field;
    int page = 0; // 0-based; also field.box.page when there is a box
    int order = 0; // position among the run's fields; user-added fields come after them
    QString reviewStatus;
    qint64 runId = 0; // 0 for a field the user added
    // What the model (or e-invoice) read for this field in its latest run; empty for a user's
    // field. Differs from field.value after an edit, and on a `conflict` after a re-run.
    QString modelValue;
};

struct StoredTable {
    qint64 id = 0;
    extract::Table table; // cells in stored order (as extracted)
    std::vector<qint64> cellIds; // parallel to table.cells
    std::vector<QString> cellReviewStatus; // parallel to table.cells
    std::vector<QString> cellModelValues; // parallel to table.cells; see StoredField::modelValue
    int page = 0; // 0-based, for the table and all its cells
    int order = 0; // position among the run's tables
    qint64 runId = 0;
};

// The current results of a document (superseded runs' results are gone), each list ordered
// by page, then position.
struct DocumentResults {
    std::vector<StoredLine> lines;
    std::vector<StoredField> fields;
    std::vector<StoredTable> tables;
};

// One entry of the review history. oldValue/newValue by `what`:
//   "value"          {"value": …, "normalized": …} (JSON; a cell's "value" is its text)
//   "box"            {"page": …, "x0": …, "y0": …, "x1": …, "y1": …} (JSON), or "null" for no box
//   "review_status"  the status name
//   "created"        newValue: the row as JSON (see "deleted")
//   "deleted"        oldValue: the whole row as JSON, enough to restore it
struct EditRecord {
    qint64 id = 0;
    qint64 documentId = 0;
    QString target; // "field", "cell" or "line"
    qint64 targetId = 0;
    QString what; // "value", "box", "review_status", "created" or "deleted"
    QString oldValue;
    QString newValue;
    QDateTime at; // UTC
    QString author;
};

// The text-layer words of one page, for the review UI, with the page's size in points.
struct PageWords {
    qint64 documentId = 0;
    int pageIndex = 0;
    double widthPt = 0;
    double heightPt = 0;
    int rotation = 0;
    std::vector<WordRecord> words; // in reading order; lineIndex groups them into lines
};

} // namespace folio::storage
