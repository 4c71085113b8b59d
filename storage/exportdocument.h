#pragma once
// ExportDocument: everything the exporters (CSV, JSON, XLSX) write about one document — its
// pages, current results and runs — read from the library in one go. Plain value; the
// exporters only read it, so they can be tested without a library.

#include "inference/result.h"
#include "storage/records.h"
#include "storage/resultrecords.h"

#include <vector>

namespace folio::storage {

class Library;

struct ExportDocument {
    DocumentDetail detail;
    DocumentResults results;
    std::vector<RunRecord> runs; // oldest first

    // The run with this id; null when there is none (user-added fields have runId 0).
    const RunRecord* run(qint64 runId) const;
    // The stored page with this 0-based index; null when there is none.
    const PageSummary* page(int pageIndex) const;
};

// Reads one document for export. Call on the Library's thread.
Result<ExportDocument> loadExportDocument(Library& library, qint64 documentId);

} // namespace folio::storage
