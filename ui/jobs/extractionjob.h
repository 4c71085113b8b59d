#pragma once

#include "extract/engine.h"
#include "extract/taskprompt.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace folio::storage {
class Library;
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
// ones, asks the engine (with per-task token caps, a repetition guard and retries), turns the
// answer into grounded results (extract::extractPage) and stores run + results, one
// transaction per page. Every run is stored, failed ones too, with the raw output. For the
// invoice task on a PDF with an embedded e-invoice, the XML is imported as a run of its own
// (model id "e-invoice") and compared with the model. Runs on the calling thread, which owns
// `library` and `engine`; `cancel` is checked per page and per token.
std::vector<PageOutcome> runExtraction(storage::Library& library, qint64 documentId, extract::Engine& engine,
                                       const ExtractionOptions& options, const ExtractionProgress& progress,
                                       const std::atomic<bool>* cancel);

// Re-parses every stored run of a document with the current parser (no model): `folio reparse`.
// Returns one line per run for the user.
QStringList reparseDocument(storage::Library& library, qint64 documentId, int* failures);

} // namespace folio::jobs
