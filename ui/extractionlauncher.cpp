#include "ui/extractionlauncher.h"

#include "extract/localengine.h"
#include "extract/remoteengine.h"
#include "storage/library.h"

#include <QPromise>
#include <QtConcurrent>

namespace folio::ui {

namespace {

    jobs::PageOutcome failure(const std::string& error)
    {
        jobs::PageOutcome o;
        o.status = QStringLiteral("failed");
        o.error = QString::fromStdString(error);
        return o;
    }

    // The engine Settings chose: the local model, or the server (the same RemoteEngine and job
    // as `folio extract --engine openai`, with its pages in flight).
    Result<std::unique_ptr<extract::Engine>> makeEngine(const Settings& settings)
    {
        if (settings.engine.remote()) {
            auto options = settings.engine.remoteOptions();
            if (!options)
                return makeError(options.error());
            return std::unique_ptr<extract::Engine>(std::make_unique<extract::RemoteEngine>(*options));
        }
        auto local = extract::LocalEngine::load({settings.modelDir, settings.device, settings.dtype, 0});
        if (!local)
            return makeError(local.error());
        return std::unique_ptr<extract::Engine>(std::move(local).value());
    }

} // namespace

ExtractionLaunch startExtraction(const QString& dbPath, qint64 documentId, const QString& task, const Settings& settings)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QFuture<jobs::PageOutcome> future = QtConcurrent::run([=](QPromise<jobs::PageOutcome>& promise) {
        auto library = storage::Library::open(dbPath);
        if (!library) {
            promise.addResult(failure(library.error()));
            return;
        }
        auto engine = makeEngine(settings);
        if (!engine) {
            promise.addResult(failure(engine.error()));
            return;
        }
        jobs::ExtractionOptions options;
        options.task = task;
        options.dpi = settings.renderDpi;
        options.maxPixels = settings.maxPixels;
        options.draft = settings.draft;
        const jobs::ExtractionProgress progress = [&](const jobs::ExtractionEvent& e) {
            // The Cancel button cancels the future; the job itself watches the flag.
            if (promise.isCanceled())
                cancel->store(true);
            if (e.kind == jobs::ExtractionEvent::Kind::PageStarted)
                promise.setProgressRange(0, e.pageCount);
            else if (e.kind == jobs::ExtractionEvent::Kind::PageFinished && e.outcome) {
                promise.addResult(*e.outcome);
                promise.setProgressValue(e.pageNumber);
            }
        };
        jobs::runExtraction(**library, documentId, **engine, options, progress, cancel.get());
    });
    return ExtractionLaunch{future, cancel};
}

} // namespace folio::ui
