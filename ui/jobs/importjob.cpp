#include "ui/jobs/importjob.h"

#include "ingest/inputfiles.h"
#include "storage/library.h"

#include <QPromise>
#include <QtConcurrent>

namespace folio::jobs {

namespace {

    ImportOutcome failure(const QString& path, const QString& error)
    {
        ImportOutcome o;
        o.path = path;
        o.error = error;
        return o;
    }

} // namespace

ImportJob startImport(const QString& dbPath, const QStringList& paths)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QFuture<ImportOutcome> future = QtConcurrent::run([dbPath, paths, cancel](QPromise<ImportOutcome>& promise) {
        const ingest::InputFiles inputs = ingest::collectInputFiles(paths);
        promise.setProgressRange(0, int(inputs.files.size()));
        for (const QString& error : inputs.errors)
            promise.addResult(failure(QString(), error));
        auto library = storage::Library::open(dbPath);
        if (!library) {
            promise.addResult(failure(dbPath, QString::fromStdString(library.error())));
            return;
        }
        int done = 0;
        for (const QString& file : inputs.files) {
            if (promise.isCanceled() || cancel->load())
                return;
            ImportOutcome outcome = importDocument(**library, file, {}, cancel.get());
            // A cancel during the file shows up as its failure; that is the user's doing, not an error.
            if (cancel->load() && outcome.status == ImportOutcome::Status::Failed)
                return;
            promise.addResult(std::move(outcome));
            promise.setProgressValue(++done);
        }
    });
    return ImportJob{future, cancel};
}

} // namespace folio::jobs
