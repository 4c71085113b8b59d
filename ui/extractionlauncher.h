#pragma once
// Starts an extraction (ui/jobs/extractionjob.h) of one document from the review window: on the
// thread pool, with its own storage::Library and its own engine (an engine belongs to the thread
// that made it): the local Qwen2.5-VL loaded from the model folder in Settings, or the
// OpenAI-compatible server Settings names, with its pages in flight. Each finished
// page is a result of the future (a PageOutcome), progress counts pages, and `progress` says
// which page is running and how many tokens it has so far. Cancelling the future or setting
// *cancel stops it within a page or a generated token. A library or model that
// cannot be opened is reported as one failed PageOutcome carrying the message.

#include "extract/engine.h"
#include "ui/jobs/extractionjob.h"
#include "ui/jobs/jobprogress.h"
#include "ui/settings.h"

#include <QFuture>

#include <atomic>
#include <functional>
#include <memory>

namespace folio::ui {

struct ExtractionLaunch {
    QFuture<jobs::PageOutcome> future;
    std::shared_ptr<std::atomic<bool>> cancel;
    std::shared_ptr<jobs::JobProgress> progress;
};

// What a test swaps in: an engine made on the worker thread instead of the local model, and
// its own clock for the progress timestamps.
struct ExtractionHooks {
    std::function<Result<std::unique_ptr<extract::Engine>>()> engine;
    jobs::JobProgress::Clock clock;
};

// The engine Settings chose: the local model (loaded here; `cancel` stops the load), or the
// server (the same RemoteEngine as `folio extract --engine openai`, with its pages in flight).
// Call on the thread that will use it.
Result<std::unique_ptr<extract::Engine>> engineFromSettings(const Settings& settings, const std::atomic<bool>* cancel);

ExtractionLaunch startExtraction(const QString& dbPath, qint64 documentId, const QString& task, const Settings& settings,
                                 const ExtractionHooks& hooks = {});

} // namespace folio::ui
