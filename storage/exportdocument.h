#pragma once
// ExportDocument: everything the exporters (CSV, JSON, XLSX) write about one document — its
// pages, current results and runs — read from the library in one go. Plain value; the
// exporters only read it, so they can be tested without a library.

#include "inference/result.h"
#include "storage/records.h"
#include "storage/resultrecords.h"

#include <map>
#include <utility>
#include <vector>

namespace folio::storage {

class Library;

struct ExportDocument {
    DocumentDetail detail;
    DocumentResults results;
    std::vector<RunRecord> runs; // oldest first
    // The latest edit of each reviewed row, by (target "field"/"cell", row id): who and when.
    std::map<std::pair<QString, qint64>, EditRecord> lastEdits;

    // The run with this id; null when there is none (user-added fields have runId 0).
    const RunRecord* run(qint64 runId) const;
    // The stored page with this 0-based index; null when there is none.
    const PageSummary* page(int pageIndex) const;
    // The latest edit of a field or cell; null when nobody edited it.
    const EditRecord* lastEdit(const QString& target, qint64 id) const;
};

// What the reviewer made of a row, as exports write it: "conflict" (a re-run disagrees with a
// reviewed value), "flagged", "edited", "accepted" or "pending".
QString reviewState(const QString& reviewStatus, extract::Flags flags);

// Reads one document for export. Call on the Library's thread.
Result<ExportDocument> loadExportDocument(Library& library, qint64 documentId);

} // namespace folio::storage
