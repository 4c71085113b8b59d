// The read-only library commands: list, info, search.
#include "app/commandline.h"
#include "app/commands.h"

#include "storage/library.h"
#include "ui/jobs/searchvalues.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

namespace folio::app {

namespace {

    QJsonArray boxJson(const QRectF& box)
    {
        return QJsonArray{box.left(), box.top(), box.right(), box.bottom()};
    }

    QJsonObject documentJson(const storage::DocumentSummary& d)
    {
        return QJsonObject{{QStringLiteral("id"), d.id},
                           {QStringLiteral("path"), d.path},
                           {QStringLiteral("file_name"), d.fileName},
                           {QStringLiteral("sha256"), QString::fromLatin1(d.sha256)},
                           {QStringLiteral("kind"), d.kind},
                           {QStringLiteral("pages"), d.pageCount},
                           {QStringLiteral("text_layer"), d.hasTextLayer},
                           {QStringLiteral("title"), d.title},
                           {QStringLiteral("file_size"), d.fileSize},
                           {QStringLiteral("added_at"), d.addedAt.toString(Qt::ISODate)},
                           {QStringLiteral("status"), d.status}};
    }

    QString boxText(const QRectF& box)
    {
        return QStringLiteral("[%1, %2, %3, %4]")
            .arg(box.left(), 0, 'f', 3)
            .arg(box.top(), 0, 'f', 3)
            .arg(box.right(), 0, 'f', 3)
            .arg(box.bottom(), 0, 'f', 3);
    }

} // namespace

int runListCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("list"), QStringLiteral("List the documents in the library."), QString());
    if (!cli.parse(args))
        return cli.exitCode();
    if (!cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("list takes no arguments"));
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;
    const auto docs = library->listDocuments();
    if (!docs) {
        cli.err() << "error: " << QString::fromStdString(docs.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    if (cli.json()) {
        QJsonArray array;
        for (const storage::DocumentSummary& d : *docs)
            array.append(documentJson(d));
        cli.printJson(array);
        return ExitOk;
    }
    if (docs->empty()) {
        cli.out() << "The library is empty. Add documents with: folio ingest PATH..." << Qt::endl;
        return ExitOk;
    }
    cli.out() << QStringLiteral("%1  %2  %3  %4  %5\n").arg(QStringLiteral("id"), 5).arg(QStringLiteral("pages"), 5)
                     .arg(QStringLiteral("text"), -4).arg(QStringLiteral("status"), -10).arg(QStringLiteral("path"));
    for (const storage::DocumentSummary& d : *docs)
        cli.out() << QStringLiteral("%1  %2  %3  %4  %5\n").arg(d.id, 5).arg(d.pageCount, 5)
                         .arg(d.hasTextLayer ? QStringLiteral("yes") : QStringLiteral("no"), -4).arg(d.status, -10).arg(d.path);
    cli.out() << docs->size() << (docs->size() == 1 ? " document" : " documents") << Qt::endl;
    return ExitOk;
}

int runInfoCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("info"), QStringLiteral("Show one document and its pages."),
                    QStringLiteral("doc Document id, sha256 prefix (6+ characters) or path."));
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().size() != 1)
        return cli.usageError(QStringLiteral("give exactly one document"));
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;
    const QString which = cli.positional().first();
    const auto id = library->resolveDocument(which);
    if (!id || !id->has_value()) {
        cli.err() << "error: " << (id ? QStringLiteral("no document '%1' in the library").arg(which) : QString::fromStdString(id.error()))
                  << Qt::endl;
        return ExitSomeFailed;
    }
    const auto detail = library->document(**id);
    if (!detail) {
        cli.err() << "error: " << QString::fromStdString(detail.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    if (cli.json()) {
        QJsonObject o = documentJson(detail->doc);
        QJsonArray pages;
        for (const storage::PageSummary& p : detail->pages) {
            QJsonObject page{{QStringLiteral("page"), p.index + 1},
                             {QStringLiteral("width_pt"), p.widthPt},
                             {QStringLiteral("height_pt"), p.heightPt},
                             {QStringLiteral("rotation"), p.rotation},
                             {QStringLiteral("text_layer"), p.hasTextLayer},
                             {QStringLiteral("words"), p.wordCount}};
            if (!p.error.isEmpty())
                page.insert(QStringLiteral("error"), p.error);
            if (!p.warning.isEmpty())
                page.insert(QStringLiteral("warning"), p.warning);
            pages.append(page);
        }
        o.insert(QStringLiteral("page_list"), pages);
        cli.printJson(o);
        return ExitOk;
    }
    const storage::DocumentSummary& d = detail->doc;
    QTextStream& out = cli.out();
    out << "document #" << d.id << "\n"
        << "  path:       " << d.path << "\n"
        << "  title:      " << (d.title.isEmpty() ? QStringLiteral("-") : d.title) << "\n"
        << "  kind:       " << d.kind << ", " << d.fileSize << " bytes\n"
        << "  sha256:     " << d.sha256 << "\n"
        << "  added:      " << d.addedAt.toString(Qt::ISODate) << "\n"
        << "  status:     " << d.status << "\n"
        << "  pages:      " << d.pageCount << "\n";
    for (const storage::PageSummary& p : detail->pages)
        out << QStringLiteral("  page %1: %2 x %3 pt (%4 x %5 mm), rotation %6, %7\n")
                   .arg(p.index + 1).arg(p.widthPt, 0, 'f', 1).arg(p.heightPt, 0, 'f', 1)
                   .arg(p.widthPt / 72.0 * 25.4, 0, 'f', 0).arg(p.heightPt / 72.0 * 25.4, 0, 'f', 0).arg(p.rotation)
                   .arg(p.hasTextLayer ? QStringLiteral("text layer with %1 words").arg(p.wordCount) : QStringLiteral("no text layer"))
            << (p.error.isEmpty() ? QString() : QStringLiteral("    error: %1\n").arg(p.error))
            << (p.warning.isEmpty() ? QString() : QStringLiteral("    warning: %1\n").arg(p.warning));
    out.flush();
    return ExitOk;
}

int runSearchCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("search"),
                    QStringLiteral("Find text across the library. Every word must occur; text in double quotes is a phrase "
                                   "(\"Harbor Lane\"); an amount or date also finds it however it is printed "
                                   "(3395.23 finds 3,395.23 and 3.395,23)."),
                    QStringLiteral("words The words to find (quote them as one argument or give several)."));
    cli.parser().addOption({QStringLiteral("limit"), QStringLiteral("At most this many hits (default 50)."),
                            QStringLiteral("n"), QStringLiteral("50")});
    if (!cli.parse(args))
        return cli.exitCode();
    const QString query = cli.positional().join(QLatin1Char(' ')).trimmed();
    if (query.isEmpty())
        return cli.usageError(QStringLiteral("give the words to search for"));
    bool ok = false;
    const int limit = cli.parser().value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1)
        return cli.usageError(QStringLiteral("--limit must be a positive number"));
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;

    QElapsedTimer timer;
    timer.start();
    const auto hits = library->search(jobs::searchQuery(query), limit);
    const double ms = timer.nsecsElapsed() / 1e6;
    if (!hits) {
        cli.err() << "error: " << QString::fromStdString(hits.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    if (cli.json()) {
        QJsonArray array;
        for (const storage::SearchHit& h : *hits)
            array.append(QJsonObject{{QStringLiteral("document"), h.documentId},
                                     {QStringLiteral("path"), h.path},
                                     {QStringLiteral("page"), h.pageIndex + 1},
                                     {QStringLiteral("snippet"), h.snippet},
                                     {QStringLiteral("box"), boxJson(h.box)},
                                     {QStringLiteral("kind"), h.kind},
                                     {QStringLiteral("match"), h.match}});
        cli.printJson(array);
        return ExitOk;
    }
    for (const storage::SearchHit& h : *hits)
        cli.out() << "#" << h.documentId << " p." << (h.pageIndex + 1) << "  " << h.path << "  [" << h.label() << "]\n    "
                  << h.snippet << "   " << boxText(h.box) << "\n";
    cli.out() << hits->size() << (hits->size() == 1 ? " hit" : " hits") << QStringLiteral(" (%1 ms)").arg(ms, 0, 'f', 1)
              << Qt::endl;
    return ExitOk;
}

} // namespace folio::app
