#include "app/commandline.h"
#include "app/commands.h"

#include "ingest/inputfiles.h"
#include "storage/library.h"
#include "ui/jobs/documentimporter.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace folio::app {

int runIngestCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("ingest"),
                    QStringLiteral("Add PDF, PNG, JPEG and TIFF files, or whole folders, to the library."),
                    QStringLiteral("paths... Files or folders (searched recursively)."));
    cli.parser().addOption({QStringLiteral("password"), QStringLiteral("Password for encrypted PDFs."),
                            QStringLiteral("password")});
    cli.parser().addOption({QStringLiteral("ocr"), QStringLiteral("OCR with Tesseract: auto (pages without a text layer, the default), always or never."),
                            QStringLiteral("mode"), QStringLiteral("auto")});
    cli.parser().addOption({QStringLiteral("ocr-lang"), QStringLiteral("OCR languages, Tesseract codes joined by + (default %1).").arg(ingest::OcrEngine::defaultLanguages()),
                            QStringLiteral("langs"), ingest::OcrEngine::defaultLanguages()});
    cli.parser().addOption({QStringLiteral("follow-links"),
                            QStringLiteral("Inside folders, also follow symbolic links that lead out of the folder.")});
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file or folder"));
    const std::optional<ingest::OcrMode> ocrMode = ingest::parseOcrMode(cli.parser().value(QStringLiteral("ocr")));
    if (!ocrMode)
        return cli.usageError(QStringLiteral("--ocr takes auto, always or never"));

    const ingest::InputFiles inputs
        = ingest::collectInputFiles(cli.positional(), cli.parser().isSet(QStringLiteral("follow-links")));
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;

    jobs::OcrSession ocr(cli.parser().value(QStringLiteral("ocr-lang")));
    jobs::ImportOptions options;
    options.password = cli.parser().value(QStringLiteral("password")).toUtf8();
    options.ocr = *ocrMode;
    options.ocrSession = &ocr;
    QString current;
    options.ocrProgress = [&](int page, int pageCount, int percent) {
        if (percent == 0 && !cli.json())
            cli.err() << QStringLiteral("OCR (%1) %2 page %3/%4 ...").arg(ocr.languages(), QFileInfo(current).fileName()).arg(page + 1).arg(pageCount) << Qt::endl;
    };
    int added = 0, present = 0, failed = int(inputs.errors.size());
    QJsonArray results;
    for (const QString& error : inputs.errors) {
        if (cli.json())
            results.append(QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                                       {QStringLiteral("error"), error}});
        else
            cli.err() << "error: " << error << Qt::endl;
    }
    for (const QString& skipped : inputs.skipped) {
        if (cli.json())
            results.append(QJsonObject{{QStringLiteral("status"), QStringLiteral("skipped")},
                                       {QStringLiteral("error"), skipped}});
        else
            cli.err() << "warning: " << skipped << Qt::endl;
    }

    for (const QString& file : inputs.files) {
        current = file;
        const jobs::ImportOutcome outcome = jobs::importDocument(*library, file, options);
        failed += int(outcome.problems.size());
        if (!cli.json())
            for (const QString& problem : outcome.problems)
                cli.err() << "error: " << problem << Qt::endl;
        using Status = jobs::ImportOutcome::Status;
        if (outcome.status == Status::Failed) {
            ++failed;
            if (!cli.json())
                cli.err() << "error: " << outcome.error << Qt::endl;
        } else {
            outcome.status == Status::Added ? ++added : ++present;
            if (!cli.json()) {
                cli.out() << (outcome.status == Status::Added ? "added   " : "present ") << "#" << outcome.documentId << "  "
                          << file << "  (" << outcome.pages << (outcome.pages == 1 ? " page, " : " pages, ")
                          << (outcome.textLayer ? "text layer" : "no text layer");
                if (!outcome.pageErrors.isEmpty())
                    cli.out() << ", " << outcome.pageErrors.size() << (outcome.pageErrors.size() == 1 ? " bad page" : " bad pages");
                if (outcome.ocrPages > 0)
                    cli.out() << QStringLiteral(", OCR %1: %2 words on %3 %4").arg(outcome.ocrLanguages).arg(outcome.ocrWords).arg(outcome.ocrPages).arg(outcome.ocrPages == 1 ? QStringLiteral("page") : QStringLiteral("pages"));
                cli.out() << ")" << Qt::endl;
                if (!outcome.eInvoiceNote.isEmpty())
                    cli.out() << "        " << outcome.eInvoiceNote << QStringLiteral(": %1 fields").arg(outcome.eInvoiceFields) << Qt::endl;
                // The document is stored; its bad pages are named so nobody mistakes it for whole.
                for (const QString& problem : outcome.pageErrors)
                    cli.err() << "warning: " << problem << Qt::endl;
                for (const QString& problem : outcome.pageWarnings)
                    cli.err() << "warning: " << problem << Qt::endl;
            }
        }
        if (cli.json()) {
            QJsonObject o{{QStringLiteral("path"), file},
                          {QStringLiteral("status"), outcome.status == Status::Added            ? QStringLiteral("added")
                                                         : outcome.status == Status::AlreadyInLibrary ? QStringLiteral("present")
                                                                                                      : QStringLiteral("failed")}};
            if (outcome.status == Status::Failed) {
                o.insert(QStringLiteral("error"), outcome.error);
            } else {
                o.insert(QStringLiteral("id"), outcome.documentId);
                o.insert(QStringLiteral("pages"), outcome.pages);
                o.insert(QStringLiteral("text_layer"), outcome.textLayer);
                o.insert(QStringLiteral("kind"), outcome.kind);
                o.insert(QStringLiteral("ocr_pages"), outcome.ocrPages);
                o.insert(QStringLiteral("ocr_words"), outcome.ocrWords);
                o.insert(QStringLiteral("einvoice_fields"), outcome.eInvoiceFields);
                if (!outcome.problems.isEmpty())
                    o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(outcome.problems));
                o.insert(QStringLiteral("page_errors"), QJsonArray::fromStringList(outcome.pageErrors));
                o.insert(QStringLiteral("page_warnings"), QJsonArray::fromStringList(outcome.pageWarnings));
            }
            results.append(o);
        }
    }

    if (cli.json())
        cli.printJson(results);
    else
        cli.out() << added << " added, " << present << " already in the library, " << failed << " failed" << Qt::endl;
    return failed > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
