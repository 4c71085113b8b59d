#include "ui/extractionlauncher.h"

#include "extract/localengine.h"
#include "extract/taskprompt.h"
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

} // namespace

Result<std::unique_ptr<extract::Engine>> engineFromSettings(const Settings& settings, const std::atomic<bool>* cancel)
{
    if (settings.engine.remote()) {
        auto options = settings.engine.remoteOptions();
        if (!options)
            return makeError(options.error());
        return std::unique_ptr<extract::Engine>(std::make_unique<extract::RemoteEngine>(*options));
    }
    auto local = extract::LocalEngine::load({settings.modelDir, settings.device, settings.dtype, 0, settings.quant}, cancel);
    if (!local)
        return makeError(local.error());
    return std::unique_ptr<extract::Engine>(std::move(local).value());
}

ExtractionLaunch startExtraction(const QString& dbPath, qint64 documentId, const QString& task, const Settings& settings,
                                 const ExtractionHooks& hooks)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<jobs::JobProgress> reporter = jobs::JobProgress::make(hooks.clock);
    const auto makeEngine = hooks.engine;
    QFuture<jobs::PageOutcome> future = QtConcurrent::run([=](QPromise<jobs::PageOutcome>& promise) {
        auto library = storage::Library::open(dbPath);
        if (!library) {
            promise.addResult(failure(library.error()));
            return;
        }
        auto engine = makeEngine ? makeEngine() : engineFromSettings(settings, cancel.get());
        if (!engine) {
            promise.addResult(failure(engine.error()));
            return;
        }
        jobs::ExtractionOptions options;
        options.task = task;
        options.dpi = settings.renderDpi;
        options.maxPixels = settings.maxPixels;
        options.draft = settings.draft;
        const auto prompt = extract::taskPrompt(task);
        const int tokenCap = prompt ? prompt->maxNewTokens : 0;
        const jobs::ExtractionProgress progress = [&](const jobs::ExtractionEvent& e) {
            // The Cancel button cancels the future; the job itself watches the flag.
            if (promise.isCanceled())
                cancel->store(true);
            switch (e.kind) {
            case jobs::ExtractionEvent::Kind::PageStarted:
                promise.setProgressRange(0, e.pageCount);
                Q_EMIT reporter->pageStarted(reporter->now(), e.page, e.pageNumber, e.pageCount, tokenCap);
                break;
            case jobs::ExtractionEvent::Kind::Token:
                Q_EMIT reporter->tokens(reporter->now(), e.page, e.tokens);
                break;
            case jobs::ExtractionEvent::Kind::PageFinished:
                if (e.outcome) {
                    Q_EMIT reporter->pageFinished(reporter->now(), e.page, e.outcome->status, e.outcome->notes);
                    promise.addResult(*e.outcome);
                    promise.setProgressValue(e.pageNumber);
                }
                break;
            case jobs::ExtractionEvent::Kind::Note:
                if (e.outcome) // an embedded e-invoice compared with the model
                    Q_EMIT reporter->jobNotes(reporter->now(), e.page, e.outcome->notes);
                break;
            }
        };
        const std::vector<jobs::PageOutcome> outcomes = jobs::runExtraction(**library, documentId, **engine, options, progress, cancel.get());
        // The invoice is checked once over all its pages; every stored page carries the same
        // failed checks, so they are reported once, on the first of them.
        for (const jobs::PageOutcome& o : outcomes)
            if (o.stored) {
                QStringList failed;
                for (const QString& n : o.notes)
                    if (n.startsWith(QLatin1String("check failed")) && !failed.contains(n))
                        failed << n;
                if (!failed.isEmpty())
                    Q_EMIT reporter->jobNotes(reporter->now(), o.page, failed);
                break;
            }
    });
    return ExtractionLaunch{future, cancel, reporter};
}

} // namespace folio::ui
