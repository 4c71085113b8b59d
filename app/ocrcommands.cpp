// The OCR commands: `folio ocr DOC` (redo a document's OCR layer) and `folio bench ocr FILE...`.
#include "app/commandline.h"
#include "app/commands.h"

#include "ingest/documentopener.h"
#include "ingest/ocrlayer.h"
#include "ingest/pagegeometry.h"
#include "storage/library.h"
#include "ui/jobs/searchvalues.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace folio::app {

namespace {

    std::vector<storage::WordRecord> toRecords(const std::vector<ingest::Word>& words)
    {
        std::vector<storage::WordRecord> records;
        records.reserve(words.size());
        for (const ingest::Word& w : words)
            records.push_back(storage::WordRecord{w.text, w.box, w.line, true, w.confidence});
        return records;
    }

} // namespace

int runOcrCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("ocr"),
                    QStringLiteral("Redo a document's OCR text layer (Tesseract), e.g. with other languages. Results, "
                                   "reviews and edits are not touched."),
                    QStringLiteral("doc Document id, sha256 prefix or path."));
    cli.parser().addOption({QStringLiteral("lang"), QStringLiteral("Tesseract languages joined by + (default %1).").arg(ingest::OcrEngine::defaultLanguages()),
                            QStringLiteral("langs"), ingest::OcrEngine::defaultLanguages()});
    cli.parser().addOption({QStringLiteral("all"), QStringLiteral("OCR every page, also those with a PDF text layer.")});
    if (!cli.parse(args))
        return cli.exitCode();
    auto named = cli.openNamedDocument();
    if (!named)
        return cli.exitCode();
    const std::unique_ptr<storage::Library> library = std::move(named->library);
    const qint64 id = named->id;
    const auto detail = library->document(id);
    if (!detail) {
        cli.err() << "error: " << QString::fromStdString(detail.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    auto doc = ingest::openDocument(detail->doc.path);
    if (!doc) {
        cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    auto engine = ingest::OcrEngine::open(cli.parser().value(QStringLiteral("lang")));
    if (!engine) {
        cli.err() << "error: " << QString::fromStdString(engine.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    const ingest::OcrMode mode = cli.parser().isSet(QStringLiteral("all")) ? ingest::OcrMode::Always : ingest::OcrMode::Auto;
    int failures = 0;
    QJsonArray report;
    for (const storage::PageSummary& page : detail->pages) {
        if (!ingest::wantsOcr(mode, page.hasTextLayer))
            continue;
        QElapsedTimer timer;
        timer.start();
        const auto info = (*doc)->pageInfo(page.index);
        auto ocr = info ? ingest::ocrPage(**doc, page.index, **engine) : Result<ingest::PageOcr>(makeError(info.error()));
        if (!ocr) {
            ++failures;
            cli.err() << "error: " << QString::fromStdString(ocr.error()) << Qt::endl;
            continue;
        }
        const int rotation = ingest::normalizedRotation(info->rotation + ocr->orientation);
        const std::vector<storage::WordRecord> words = toRecords(ocr->words);
        if (auto stored = library->replaceOcrWords(id, page.index, words, jobs::pageValues(words), (*engine)->languages(), rotation); !stored) {
            ++failures;
            cli.err() << "error: " << QString::fromStdString(stored.error()) << Qt::endl;
            continue;
        }
        const double seconds = timer.nsecsElapsed() / 1e9;
        if (cli.json()) {
            report.append(QJsonObject{{QStringLiteral("page"), page.index + 1}, {QStringLiteral("words"), int(ocr->words.size())},
                                      {QStringLiteral("languages"), (*engine)->languages()}, {QStringLiteral("dpi"), ocr->dpi},
                                      {QStringLiteral("orientation"), ocr->orientation}, {QStringLiteral("seconds"), seconds}});
        } else {
            cli.out() << QStringLiteral("#%1 p.%2: %3 words (%4, %5 dpi%6), %7 s")
                             .arg(id).arg(page.index + 1).arg(ocr->words.size()).arg((*engine)->languages()).arg(ocr->dpi)
                             .arg(ocr->orientation ? QStringLiteral(", turned %1° upright").arg(ocr->orientation) : QString())
                             .arg(seconds, 0, 'f', 1)
                      << Qt::endl;
        }
    }
    if (cli.json())
        cli.printJson(report);
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

// OCR speed: every page of every file rendered and recognised, timed apart, at the resolution
// OCR uses (a scan's own, --dpi for PDF pages).
int runBenchOcrCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("bench ocr"), QStringLiteral("Benchmark Tesseract OCR on the given files."),
                    QStringLiteral("files... PDF or image files."));
    cli.parser().addOption({QStringLiteral("lang"), QStringLiteral("Tesseract languages joined by + (default %1).").arg(ingest::OcrEngine::defaultLanguages()),
                            QStringLiteral("langs"), ingest::OcrEngine::defaultLanguages()});
    cli.parser().addOption({QStringLiteral("no-osd"), QStringLiteral("Skip orientation detection.")});
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file"));
    QElapsedTimer loading;
    loading.start();
    auto engine = ingest::OcrEngine::open(cli.parser().value(QStringLiteral("lang")));
    if (!engine) {
        cli.err() << "error: " << QString::fromStdString(engine.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    const double loadSeconds = loading.nsecsElapsed() / 1e9;
    const bool osd = !cli.parser().isSet(QStringLiteral("no-osd"));
    int failures = 0, pages = 0, words = 0;
    double renderSeconds = 0, ocrSeconds = 0;
    QJsonArray files;
    for (const QString& file : cli.positional()) {
        auto doc = ingest::openDocument(file);
        if (!doc) {
            ++failures;
            cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
            continue;
        }
        for (int p = 0; p < (*doc)->pageCount(); ++p) {
            const auto info = (*doc)->pageInfo(p);
            if (!info) {
                ++failures;
                continue;
            }
            const double dpi = info->scanDpi > 0 ? info->scanDpi : ingest::kPdfOcrDpi;
            QElapsedTimer timer;
            timer.start();
            const auto image = (*doc)->render(p, dpi);
            const double render = timer.nsecsElapsed() / 1e9;
            timer.restart();
            const auto page = image ? (*engine)->recognize(*image, dpi, osd) : Result<ingest::OcrPage>(makeError(image.error()));
            const double recognise = timer.nsecsElapsed() / 1e9;
            if (!page) {
                ++failures;
                cli.err() << "error: " << file << QStringLiteral(", page %1: ").arg(p + 1) << QString::fromStdString(page.error()) << Qt::endl;
                continue;
            }
            ++pages;
            words += int(page->words.size());
            renderSeconds += render;
            ocrSeconds += recognise;
            const QJsonObject row{{QStringLiteral("file"), file}, {QStringLiteral("page"), p + 1}, {QStringLiteral("dpi"), dpi},
                                  {QStringLiteral("width"), image->width()}, {QStringLiteral("height"), image->height()},
                                  {QStringLiteral("words"), int(page->words.size())}, {QStringLiteral("orientation"), page->orientation},
                                  {QStringLiteral("render_ms"), render * 1000}, {QStringLiteral("ocr_ms"), recognise * 1000}};
            files.append(row);
            if (!cli.json())
                cli.out() << QStringLiteral("%1 p.%2: %3 dpi %4×%5 px, %6 words, render %7 ms, OCR %8 ms%9")
                                 .arg(QFileInfo(file).fileName()).arg(p + 1).arg(dpi).arg(image->width()).arg(image->height())
                                 .arg(page->words.size()).arg(render * 1000, 0, 'f', 0).arg(recognise * 1000, 0, 'f', 0)
                                 .arg(page->orientation ? QStringLiteral(" (turned %1°)").arg(page->orientation) : QString())
                          << Qt::endl;
        }
    }
    const double total = renderSeconds + ocrSeconds;
    if (cli.json()) {
        cli.printJson(QJsonObject{{QStringLiteral("languages"), (*engine)->languages()}, {QStringLiteral("osd"), osd},
                                  {QStringLiteral("load_seconds"), loadSeconds}, {QStringLiteral("pages"), pages},
                                  {QStringLiteral("words"), words},
                                  {QStringLiteral("ms_per_page"), pages ? total * 1000 / pages : 0.0},
                                  {QStringLiteral("ocr_ms_per_page"), pages ? ocrSeconds * 1000 / pages : 0.0},
                                  {QStringLiteral("pages_per_second"), total > 0 ? pages / total : 0.0},
                                  {QStringLiteral("pages_detail"), files}});
    } else {
        cli.out() << QStringLiteral("Tesseract %1 (%2, OSD %3), models loaded in %4 s\n")
                         .arg(ingest::OcrEngine::version(), (*engine)->languages(), osd ? QStringLiteral("on") : QStringLiteral("off"))
                         .arg(loadSeconds, 0, 'f', 2);
        cli.out() << QStringLiteral("%1 pages, %2 words: %3 ms/page (render %4 + OCR %5), %6 pages/s\n")
                         .arg(pages).arg(words)
                         .arg(pages ? total * 1000 / pages : 0.0, 0, 'f', 0)
                         .arg(pages ? renderSeconds * 1000 / pages : 0.0, 0, 'f', 0)
                         .arg(pages ? ocrSeconds * 1000 / pages : 0.0, 0, 'f', 0)
                         .arg(total > 0 ? pages / total : 0.0, 0, 'f', 2);
        cli.out().flush();
    }
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
