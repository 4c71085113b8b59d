#include "app/commandline.h"
#include "app/commands.h"

#include "ingest/inputfiles.h"
#include "storage/library.h"
#include "ui/jobs/documentimporter.h"

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
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file or folder"));

    const ingest::InputFiles inputs = ingest::collectInputFiles(cli.positional());
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;

    const QByteArray password = cli.parser().value(QStringLiteral("password")).toUtf8();
    int added = 0, present = 0, failed = int(inputs.errors.size());
    QJsonArray results;
    for (const QString& error : inputs.errors) {
        if (cli.json())
            results.append(QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                                       {QStringLiteral("error"), error}});
        else
            cli.err() << "error: " << error << Qt::endl;
    }

    for (const QString& file : inputs.files) {
        const jobs::ImportOutcome outcome = jobs::importDocument(*library, file, password);
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
                          << (outcome.textLayer ? "text layer" : "no text layer") << ")" << Qt::endl;
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
