#include "ui/jobs/importjob.h"

#include "ingest/inputfiles.h"
#include "storage/library.h"

#include <QFileInfo>
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

ImportJob startImport(const QString& dbPath, const QStringList& paths, const ImportOcr& ocr)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QFuture<ImportOutcome> future = QtConcurrent::run([dbPath, paths, cancel, ocr](QPromise<ImportOutcome>& promise) {
        const ingest::InputFiles inputs = ingest::collectInputFiles(paths);
        promise.setProgressRange(0, int(inputs.files.size()));
        for (const QString& error : inputs.errors)
            promise.addResult(failure(QString(), error));
        // Links leading out of a dropped folder are not followed; say so in the errors list.
        for (const QString& skipped : inputs.skipped)
            promise.addResult(failure(QString(), skipped));
        auto library = storage::Library::open(dbPath);
        if (!library) {
            promise.addResult(failure(dbPath, QString::fromStdString(library.error())));
            return;
        }
        int done = 0;
        OcrSession session(ocr.languages);
        ImportOptions options;
        options.ocr = ocr.mode;
        options.ocrSession = &session;
        QString name;
        options.ocrProgress = [&](int page, int pageCount, int percent) {
            promise.setProgressValueAndText(done, QStringLiteral("OCR %1 p.%2/%3 %4%").arg(name).arg(page + 1).arg(pageCount).arg(percent));
            // Tesseract polls the cancel flag too; this makes a cancelled future stop it as well.
            if (promise.isCanceled())
                cancel->store(true);
        };
        for (const QString& file : inputs.files) {
            if (promise.isCanceled() || cancel->load())
                return;
            name = QFileInfo(file).fileName();
            ImportOutcome outcome = importDocument(**library, file, options, cancel.get());
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
