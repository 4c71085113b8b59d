#include "app/commandline.h"
#include "app/commands.h"

#include "ingest/documentopener.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace folio::app {

namespace {

    struct Timing {
        int pages = 0;
        double seconds = 0;
        double pagesPerSecond() const { return seconds > 0 ? pages / seconds : 0; }
    };

    QJsonObject toJson(const Timing& t)
    {
        return QJsonObject{{QStringLiteral("pages"), t.pages},
                           {QStringLiteral("seconds"), t.seconds},
                           {QStringLiteral("pages_per_second"), t.pagesPerSecond()}};
    }

} // namespace

// Measures what ingest and rendering cost: Folio's own render of every page at the given dpi,
// and the same PDF pages through poppler-utils' pdftoppm (when installed), in one run so the
// ratio compares like with like on the same machine state.
int runBenchIngestCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("bench ingest"),
                    QStringLiteral("Benchmark page rendering (and pdftoppm for comparison) on the given files."),
                    QStringLiteral("files... PDF or image files."));
    cli.parser().addOption({QStringLiteral("dpi"), QStringLiteral("Render resolution (default 150)."), QStringLiteral("dpi"),
                            QStringLiteral("150")});
    cli.parser().addOption({QStringLiteral("repeat"), QStringLiteral("Render every file this many times (default 3)."),
                            QStringLiteral("n"), QStringLiteral("3")});
    if (!cli.parse(args))
        return cli.exitCode();
    bool ok = false;
    const double dpi = cli.parser().value(QStringLiteral("dpi")).toDouble(&ok);
    if (!ok || dpi < 10 || dpi > 1200)
        return cli.usageError(QStringLiteral("--dpi must be a number between 10 and 1200"));
    const int repeat = cli.parser().value(QStringLiteral("repeat")).toInt(&ok);
    if (!ok || repeat < 1)
        return cli.usageError(QStringLiteral("--repeat must be a positive number"));
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file"));

    Timing folio, folioPdf, textLayer;
    QStringList pdfs;
    int failed = 0;
    for (const QString& file : cli.positional()) {
        auto doc = ingest::openDocument(file);
        if (!doc) {
            cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
            ++failed;
            continue;
        }
        const bool isPdf = (*doc)->kind() == ingest::DocumentKind::Pdf;
        if (isPdf)
            pdfs << file;
        for (int r = 0; r < repeat; ++r) {
            for (int page = 0; page < (*doc)->pageCount(); ++page) {
                QElapsedTimer timer;
                timer.start();
                const Result<QImage> image = (*doc)->render(page, dpi);
                const double s = timer.nsecsElapsed() / 1e9;
                if (!image) {
                    cli.err() << "error: " << QString::fromStdString(image.error()) << Qt::endl;
                    ++failed;
                    continue;
                }
                folio.pages++, folio.seconds += s;
                if (isPdf)
                    folioPdf.pages++, folioPdf.seconds += s;
                timer.restart();
                const auto words = (*doc)->words(page);
                textLayer.pages++, textLayer.seconds += timer.nsecsElapsed() / 1e9;
            }
        }
    }

    Timing pdftoppm;
    const QString pdftoppmExe = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    QTemporaryDir scratch;
    if (!pdftoppmExe.isEmpty() && !pdfs.isEmpty() && scratch.isValid()) {
        for (int r = 0; r < repeat; ++r) {
            for (const QString& pdf : pdfs) {
                QProcess process;
                QElapsedTimer timer;
                timer.start();
                process.start(pdftoppmExe, {QStringLiteral("-r"), QString::number(dpi), pdf, scratch.filePath(QStringLiteral("p"))});
                process.waitForFinished(-1);
                pdftoppm.seconds += timer.nsecsElapsed() / 1e9;
                if (process.exitCode() != 0) {
                    cli.err() << "pdftoppm failed on " << pdf << Qt::endl;
                    pdftoppm = Timing{};
                    break;
                }
            }
        }
        // The same pages Folio rendered from PDFs.
        pdftoppm.pages = pdftoppm.seconds > 0 ? folioPdf.pages : 0;
    }

    if (cli.json()) {
        QJsonObject o{{QStringLiteral("dpi"), dpi},
                      {QStringLiteral("render"), toJson(folio)},
                      {QStringLiteral("render_pdf"), toJson(folioPdf)},
                      {QStringLiteral("text_layer"), toJson(textLayer)}};
        if (pdftoppm.pages > 0) {
            o.insert(QStringLiteral("pdftoppm"), toJson(pdftoppm));
            o.insert(QStringLiteral("ratio_to_pdftoppm"), folioPdf.pagesPerSecond() / pdftoppm.pagesPerSecond());
        }
        cli.printJson(o);
    } else {
        QTextStream& out = cli.out();
        out << QStringLiteral("render at %1 dpi (Folio, all files):  %2 pages in %3 s = %4 pages/s\n")
                   .arg(dpi).arg(folio.pages).arg(folio.seconds, 0, 'f', 3).arg(folio.pagesPerSecond(), 0, 'f', 2);
        out << QStringLiteral("render at %1 dpi (Folio, PDF pages):  %2 pages in %3 s = %4 pages/s\n")
                   .arg(dpi).arg(folioPdf.pages).arg(folioPdf.seconds, 0, 'f', 3).arg(folioPdf.pagesPerSecond(), 0, 'f', 2);
        if (pdftoppm.pages > 0) {
            out << QStringLiteral("pdftoppm -r %1 (same PDF pages, to PPM files): %2 pages in %3 s = %4 pages/s\n")
                       .arg(dpi).arg(pdftoppm.pages).arg(pdftoppm.seconds, 0, 'f', 3).arg(pdftoppm.pagesPerSecond(), 0, 'f', 2);
            out << QStringLiteral("ratio Folio / pdftoppm: %1\n").arg(folioPdf.pagesPerSecond() / pdftoppm.pagesPerSecond(), 0, 'f', 2);
        } else {
            out << "pdftoppm: not measured (not installed, or no PDF given)\n";
        }
        out << QStringLiteral("text layer extraction: %1 pages in %2 s = %3 pages/s\n")
                   .arg(textLayer.pages).arg(textLayer.seconds, 0, 'f', 3).arg(textLayer.pagesPerSecond(), 0, 'f', 1);
        out.flush();
    }
    return failed > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
