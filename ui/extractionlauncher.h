#pragma once
// Starts an extraction (ui/jobs/extractionjob.h) of one document from the review window: on the
// thread pool, with its own storage::Library and its own engine (an engine belongs to the thread
// that made it): the local Qwen2.5-VL loaded from the model folder in Settings, or the
// OpenAI-compatible server Settings names, with its pages in flight. Each finished
// page is a result of the future (a PageOutcome), progress counts pages. Cancelling the future
// or setting *cancel stops it within a page or a generated token. A library or model that
// cannot be opened is reported as one failed PageOutcome carrying the message.

#include "ui/jobs/extractionjob.h"
#include "ui/settings.h"

#include <QFuture>

#include <atomic>
#include <memory>

namespace folio::ui {

struct ExtractionLaunch {
    QFuture<jobs::PageOutcome> future;
    std::shared_ptr<std::atomic<bool>> cancel;
};

ExtractionLaunch startExtraction(const QString& dbPath, qint64 documentId, const QString& task, const Settings& settings);

} // namespace folio::ui
