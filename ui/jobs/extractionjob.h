#pragma once

#include "extract/engine.h"
#include "extract/taskprompt.h"
#include "extract/types/pageresult.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace folio::storage {
class Library;
struct RunRecord;
}

namespace folio::jobs {

struct ExtractionOptions {
    QString task = QStringLiteral("invoice");
    std::vector<extract::CustomField> schema; // custom task only
    std::vector<int> pages;                   // 0-based; empty: every page
    double dpi = 150.0;                       // render resolution handed to the model
    qint64 minPixels = 3136;
    qint64 maxPixels = 1280 * 28 * 28;
    int maxRetries = 2;      // re-runs at rising temperature after an unreadable or looping answer
    int maxNewTokens = 0;    // 0: the task prompt's own cap
    bool skipBlankPages = true;
    bool readEInvoice = true; // invoice task: also import an embedded ZUGFeRD/Factur-X/XRechnung XML
    // After an interrupted run of this task (a page's latest run is 'cancelled'), run only the
    // pages that were not finished; false runs every page again.
    bool resume = true;
    bool draft = true;        // speculative decoding drafted from the page's words (greedy only; same text)
};

struct PageOutcome {
    int page = 0;   // 0-based
    QString status; // "ok", "truncated", "repetition", "failed", "blank", "cancelled"
    QString error;  // names the file and page when something went wrong
    qint64 runId = 0;
    int attempts = 0;
    int fields = 0, lines = 0, tables = 0, cells = 0;
    int flagged = 0; // results carrying at least one flag
    bool stored = false; // this page's results are in the library (from this or an earlier attempt)
    double seconds = 0;
    QStringList notes; // validation and cross-check summary, parser warnings
};

struct ExtractionEvent {
    enum class Kind { PageStarted, Token, PageFinished, Note };
    Kind kind = Kind::Note;
    int page = 0;
    int pageNumber = 0; // 1-based position in this job
    int pageCount = 0;  // pages in this job
    int tokens = 0;
    QString text;
    const PageOutcome* outcome = nullptr; // PageFinished
};
using ExtractionProgress = std::function<void(const ExtractionEvent&)>;

// Runs one extraction task over pages of a stored document: renders each page, skips blank
// ones, asks the engine (with per-task token caps, a repetition guard and retries at a rising
// temperature), turns the answer into grounded results (extract::extractPage) and stores run +
// results, one transaction per page, as soon as the page is done. Every attempt is stored as a
// run, failed ones too, with the raw output; the latest readable attempt's results are the
// page's. The invoice task then validates the invoice once over all its stored pages
// (jobs/invoicerevalidation.h), so a retried page counts once and a check that could not run
// says why. For the invoice task on a PDF with an embedded e-invoice, the XML is imported as a
// run of its own (model id "e-invoice") and compared with the model.
// Cancelling (`cancel`, checked per page and per token) stores the interrupted page's run as
// 'cancelled' with its partial output; finished pages stay, and the document's status is
// 'needs_review' when there are results, else what it was. Runs on the calling thread, which
// owns `library` and `engine`.
std::vector<PageOutcome> runExtraction(storage::Library& library, qint64 documentId, extract::Engine& engine,
                                       const ExtractionOptions& options, const ExtractionProgress& progress,
                                       const std::atomic<bool>* cancel);

// The sampling temperature of attempt n (1-based): greedy first, then 0.3 higher each retry,
// to leave the greedy path that looped or broke.
double retryTemperature(int attempt);

// The custom schema a run was made with (from its params; empty for the built-in tasks).
std::vector<extract::CustomField> runSchema(const storage::RunRecord& run);
// Counts a page result's fields, lines, tables, cells and flagged items into the outcome.
void countResults(const extract::PageResult& result, PageOutcome& outcome);

// Re-parses every stored run of a document with the current parser (no model): `folio reparse`.
// Returns one line per run for the user.
QStringList reparseDocument(storage::Library& library, qint64 documentId, int* failures);

} // namespace folio::jobs
