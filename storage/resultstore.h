#pragma once
// ResultStore: extraction runs and their results (lines, fields, tables, cells) in the library.
// Owned by a Library (Library::results()) and used on that Library's thread; it borrows the
// Library's Database connection.
//
// Every run is kept, with its raw model output, so results can be re-parsed without running
// the model again (replaceRunResults). A new run of a task on a page supersedes the results
// of the earlier runs of that task on that page: their unreviewed result rows go, the runs and
// the edit history stay, and reviewed work carries over (storage/resultcarryover.h). Fields a
// user added belong to no run and survive re-runs.
//
// Results are indexed for Library::search by triggers (storage/migrations.h, v2): a line's
// text, a field's value and a cell's text are searchable as kinds 'ocr_line', 'field' and
// 'cell' with their boxes. Each write is one transaction; a failure leaves the library as it
// was and returns a message naming the document, page and what went wrong.

#include "extract/types/pageresult.h"
#include "inference/result.h"
#include "storage/resultrecords.h"

#include <vector>

namespace folio::storage {

class Database;

class ResultStore {
public:
    explicit ResultStore(Database& db);

    // Stores a run without results (failed, blank, cancelled…); the raw output is kept.
    // Returns the run id. Earlier results stay.
    Result<qint64> storeRun(const RunRecord& run);

    // Stores a run and its page result in one transaction: inserts the run, replaces the
    // results of earlier runs of the same task on the same page (carrying reviewed work over),
    // inserts the new lines, fields
    // and tables, and marks the document 'needs_review'. Returns the run id. Every item must be
    // on the run's page: result.page and each valid box's page equal run.pageIndex.
    Result<qint64> storePageResult(const RunRecord& run, const extract::PageResult& result);

    // Replaces the results of run `runId` with a new parse of its stored output (`folio
    // reparse`), in one transaction; the run row stays as it is and the document is marked
    // 'needs_review' again. Refused for a run a later run has superseded (its results are gone;
    // re-parse the later run).
    Result<void> replaceRunResults(qint64 runId, const extract::PageResult& result);

    // The document's current results, each list ordered by page, then position.
    Result<DocumentResults> results(qint64 documentId);

    // All runs of the document, oldest first, raw output included.
    Result<std::vector<RunRecord>> runs(qint64 documentId);

    // Writes the outcome of re-running the invoice checks on stored results (after an edit):
    // flags, confidence and confidence evidence of fields and cells, in one transaction. Not a review edit: the
    // history records the edit that caused it.
    struct CheckUpdate {
        bool cell = false;
        qint64 id = 0;
        extract::Flags flags;
        double confidence = 1.0;
        extract::ConfidenceEvidence evidence;
    };
    Result<void> updateChecks(const std::vector<CheckUpdate>& updates);
    // One run; an error naming it when there is none.
    Result<RunRecord> run(qint64 runId);

private:
    Result<qint64> insertRun(const RunRecord& run);
    Result<void> insertResults(const RunRecord& run, const extract::PageResult& result);

    Database& m_db;
};

} // namespace folio::storage
