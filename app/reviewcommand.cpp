// folio review: the review window's actions for scripts (ui/jobs/reviewactions.h), with the
// same stores and the same history.
#include "app/commandline.h"
#include "app/commands.h"

#include "storage/library.h"
#include "storage/resultrecords.h"
#include "storage/reviewstore.h"
#include "ui/jobs/reviewactions.h"

#include <QProcessEnvironment>

namespace folio::app {

int runReviewCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("review"),
                    QStringLiteral("Correct, accept or flag extracted values, as in the review window. FIELD is a field name "
                                   "(invoice_date) or TABLE:ROW:COL for a table cell (row 0 is the header)."),
                    QStringLiteral("doc Document id, sha256 prefix or path."));
    QCommandLineParser& p = cli.parser();
    p.addOption({QStringLiteral("set"), QStringLiteral("Set a value: FIELD=VALUE (re-normalised and the invoice re-checked)."), QStringLiteral("assignment")});
    p.addOption({QStringLiteral("page"), QStringLiteral("The 1-based page of FIELD, when it is on several."), QStringLiteral("n")});
    p.addOption({QStringLiteral("accept"), QStringLiteral("Accept FIELD."), QStringLiteral("field")});
    p.addOption({QStringLiteral("flag"), QStringLiteral("Flag FIELD for a second look."), QStringLiteral("field")});
    p.addOption({QStringLiteral("accept-all"), QStringLiteral("Accept every pending field and cell.")});
    p.addOption({QStringLiteral("undo"), QStringLiteral("Undo the latest edit (again to step further back).")});
    p.addOption({QStringLiteral("author"), QStringLiteral("Recorded with each edit (default: $USER)."), QStringLiteral("name")});
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().size() != 1)
        return cli.usageError(QStringLiteral("give exactly one document"));
    const int actions = int(p.values(QStringLiteral("set")).size() + p.values(QStringLiteral("accept")).size()
                            + p.values(QStringLiteral("flag")).size()) + (p.isSet(QStringLiteral("accept-all")) ? 1 : 0)
                        + (p.isSet(QStringLiteral("undo")) ? 1 : 0);
    if (actions == 0)
        return cli.usageError(QStringLiteral("give --set, --accept, --flag, --accept-all or --undo"));
    std::optional<int> page;
    if (p.isSet(QStringLiteral("page"))) {
        bool ok = false;
        page = p.value(QStringLiteral("page")).toInt(&ok);
        if (!ok || *page < 1)
            return cli.usageError(QStringLiteral("--page must be a page number (1, 2, ...)"));
    }
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;
    const auto resolved = library->resolveDocument(cli.positional().first());
    if (!resolved || !resolved->has_value()) {
        cli.err() << "error: " << (resolved ? QStringLiteral("no document '%1' in the library").arg(cli.positional().first())
                                            : QString::fromStdString(resolved.error()))
                  << Qt::endl;
        return ExitSomeFailed;
    }
    const qint64 doc = **resolved;
    const QString author = p.isSet(QStringLiteral("author")) ? p.value(QStringLiteral("author"))
                                                             : QProcessEnvironment::systemEnvironment().value(QStringLiteral("USER"));
    library->review().setAuthor(author);

    int failures = 0;
    const auto fail = [&](const std::string& error) {
        cli.err() << "error: " << QString::fromStdString(error) << Qt::endl;
        ++failures;
    };
    const auto find = [&](const QString& spec) { return jobs::findReviewTarget(*library, doc, spec, page); };
    for (const QString& assignment : p.values(QStringLiteral("set"))) {
        const qsizetype eq = assignment.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return cli.usageError(QStringLiteral("--set takes FIELD=VALUE, not '%1'").arg(assignment));
        const auto target = find(assignment.left(eq));
        if (!target) {
            fail(target.error());
            continue;
        }
        const auto change = jobs::setReviewedValue(*library, doc, *target, assignment.mid(eq + 1));
        if (!change) {
            fail(change.error());
            continue;
        }
        const QStringList flags = extract::flagsToStrings(change->flags);
        cli.out() << target->label << " = " << assignment.mid(eq + 1)
                  << (change->normalized.isEmpty() ? QString() : QStringLiteral("  → %1").arg(change->normalized))
                  << (flags.isEmpty() ? QString() : QStringLiteral("  [%1]").arg(flags.join(QStringLiteral(", ")))) << "\n";
        for (const QString& check : change->checks)
            cli.out() << "    " << check << "\n";
    }
    const auto setState = [&](const QString& option, const QString& status) {
        for (const QString& spec : p.values(option)) {
            const auto target = find(spec);
            const auto edit = target ? jobs::setReviewState(*library, *target, status) : Result<qint64>(makeError(target.error()));
            if (!edit)
                fail(edit.error());
            else
                cli.out() << target->label << ": " << status << "\n";
        }
    };
    setState(QStringLiteral("accept"), storage::kReviewAccepted);
    setState(QStringLiteral("flag"), storage::kReviewFlagged);
    if (p.isSet(QStringLiteral("accept-all"))) {
        const auto n = jobs::acceptAllPending(*library, doc);
        if (!n)
            fail(n.error());
        else
            cli.out() << "accepted " << *n << " pending values\n";
    }
    if (p.isSet(QStringLiteral("undo"))) {
        const auto undone = jobs::undoLastEdit(*library, doc);
        if (!undone)
            fail(undone.error());
        else
            cli.out() << (undone->has_value() ? QStringLiteral("undid the latest edit") : QStringLiteral("nothing to undo")) << "\n";
    }
    cli.out().flush();
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
