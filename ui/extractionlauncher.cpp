#include "ui/extractionlauncher.h"

#include "extract/localengine.h"
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
        auto engine = extract::LocalEngine::load({settings.modelDir, settings.device, settings.dtype, 0, settings.quant}, cancel.get());
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
