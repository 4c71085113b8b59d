#pragma once
// "Re-read with the model": one value read again from just its box. The page is rendered,
// cropped to the box (unrotated, normalised, as stored) with a small margin, and the engine is
// asked for the text printed there and nothing else; the answer is parsed to a plain value
// (code fences, quotes and a {"value": …} wrapper removed) and the call is stored as a run of
// task "custom" (raw output, model, params naming the field and box) so it can be audited like
// any other. Storing the value is the caller's choice: the window proposes it as an edit the
// reviewer then accepts. Runs on the Library's thread (a worker's own Library in the GUI).

#include "extract/engine.h"
#include "inference/result.h"

#include <QRectF>
#include <QString>

#include <atomic>

namespace folio::storage {
class Library;
}

namespace folio::jobs {

struct BoxRereadRequest {
    qint64 documentId = 0;
    int pageIndex = 0;  // 0-based
    QRectF box;         // normalised, unrotated page
    QString fieldName;  // what the value is, for the prompt ("grand_total", "line_items cell")
    double dpi = 150;
    qint64 maxPixels = 1280 * 28 * 28;
};

struct BoxReread {
    QString value;
    qint64 runId = 0;
};

// The answer as a plain value; an error when the model read nothing.
Result<QString> parseRereadAnswer(const QString& text);

// Renders, crops, asks and stores the run (also a failed one, with the reason).
Result<BoxReread> rereadBox(storage::Library& library, extract::Engine& engine, const BoxRereadRequest& request,
                            const std::atomic<bool>* cancel);

} // namespace folio::jobs
