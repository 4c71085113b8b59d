// The extraction commands: extract, show, reparse, export.
#include "app/commandline.h"
#include "app/commands.h"
#include "app/remoteoptions.h"

#include "extract/localengine.h"
#include "extract/replayengine.h"
#include "extract/tesseractengine.h"
#include "ingest/inputfiles.h"
#include "storage/csvexport.h"
#include "storage/exportdocument.h"
#include "storage/jsonexport.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/xlsxexport.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobs/einvoiceimport.h"
#include "ui/jobs/extractionjob.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <atomic>
#include <csignal>
#include <cstdio>

#include <unistd.h>

namespace folio::app {

namespace {

    // "1-3,5" → {0,1,2,4}; empty on a malformed list.
    std::optional<std::vector<int>> parsePages(const QString& spec)
    {
        std::vector<int> pages;
        static const QRegularExpression part(QStringLiteral("^\\s*(\\d+)\\s*(?:-\\s*(\\d+))?\\s*$"));
        for (const QString& p : spec.split(QLatin1Char(','))) {
            const QRegularExpressionMatch m = part.match(p);
            if (!m.hasMatch())
                return std::nullopt;
            const int from = m.captured(1).toInt();
            const int to = m.captured(2).isEmpty() ? from : m.captured(2).toInt();
            if (from < 1 || to < from || to > 100000)
                return std::nullopt;
            for (int n = from; n <= to; ++n)
                pages.push_back(n - 1);
        }
        return pages;
    }

    QString boxText(const extract::Box& b)
    {
        if (!b.valid())
            return QStringLiteral("(no box)");
        return QStringLiteral("p.%1 [%2, %3, %4, %5]").arg(b.page + 1).arg(b.x0, 0, 'f', 3).arg(b.y0, 0, 'f', 3).arg(b.x1, 0, 'f', 3).arg(b.y1, 0, 'f', 3);
    }

    // " [flag, flag]" or nothing.
    QString flagSuffix(extract::Flags flags)
    {
        const QStringList names = extract::flagsToStrings(flags);
        return names.isEmpty() ? QString() : QStringLiteral("  [%1]").arg(names.join(QStringLiteral(", ")));
    }

    // The table as text rows "a | b | c" in grid order, each cell with its flags.
    QStringList displayRows(const extract::Table& table)
    {
        std::vector<QStringList> grid(size_t(table.rows()), QStringList(table.cols()));
        for (const extract::Cell& c : table.cells)
            grid[size_t(c.row)][c.col] = c.text + flagSuffix(c.flags);
        QStringList rows;
        for (const QStringList& row : grid)
            rows << row.join(QStringLiteral(" | "));
        return rows;
    }

    // Ctrl+C / SIGTERM during `folio extract`: the first one asks the job to stop at the next
    // token (it stores what it has and restores the document's status); a second one ends the
    // process at once. Only async-signal-safe work in the handler: an atomic store and write(2).
    std::atomic<bool> g_cancel{false};
    std::atomic<int> g_signal{0};

    void onStopSignal(int signal)
    {
        if (g_cancel.exchange(true)) {
            std::signal(signal, SIG_DFL);
            std::raise(signal);
            return;
        }
        g_signal = signal;
        static const char message[] = "\nstopping: storing what is done (press again to quit at once)\n";
        [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, message, sizeof message - 1);
    }

    struct StopSignals {
        StopSignals()
        {
            struct sigaction action {};
            action.sa_handler = onStopSignal;
            sigemptyset(&action.sa_mask);
            sigaction(SIGINT, &action, &m_int);
            sigaction(SIGTERM, &action, &m_term);
        }
        ~StopSignals()
        {
            sigaction(SIGINT, &m_int, nullptr);
            sigaction(SIGTERM, &m_term, nullptr);
        }
        struct sigaction m_int {}, m_term {};
    };

} // namespace

int runExtractCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("extract"),
                    QStringLiteral("Run an extraction task on documents (ingesting them if needed) and store the results."),
                    QStringLiteral("paths... Files or folders."));
    QCommandLineParser& p = cli.parser();
    p.addOption({QStringLiteral("task"), QStringLiteral("ocr, table, invoice, form or custom (default invoice)."), QStringLiteral("task"), QStringLiteral("invoice")});
    p.addOption({QStringLiteral("schema"), QStringLiteral("JSON schema of fields for --task custom."), QStringLiteral("file")});
    p.addOption({QStringLiteral("pages"), QStringLiteral("Pages to run, e.g. 1-3,5 (default all)."), QStringLiteral("list")});
    p.addOption({QStringLiteral("model"), QStringLiteral("A local Qwen2.5-VL model folder (Hugging Face layout)."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("engine"), QStringLiteral("local (default with --model), openai (a server, with --url), replay, tesseract (--task ocr, no model) or e-invoice "
                                                          "(--task invoice without --model: the embedded ZUGFeRD/Factur-X/XRechnung XML)."), QStringLiteral("engine")});
    p.addOption({QStringLiteral("ocr-lang"), QStringLiteral("Tesseract languages for --engine tesseract (default %1).").arg(ingest::OcrEngine::defaultLanguages()),
                 QStringLiteral("langs"), ingest::OcrEngine::defaultLanguages()});
    p.addOption({QStringLiteral("replay-dir"), QStringLiteral("Replay engine: recorded raw output for page N is DIR/N.txt."), QStringLiteral("dir")});
    addRemoteEngineOptions(p);
    p.addOption({QStringLiteral("device"), QStringLiteral("cpu or cuda (default cpu)."), QStringLiteral("device"), QStringLiteral("cpu")});
    p.addOption({QStringLiteral("dtype"), QStringLiteral("auto, bf16 or f32 (default auto: bf16 on CPUs with AVX512-BF16 or AMX and on CUDA, else f32)."), QStringLiteral("dtype"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("quant"), QStringLiteral("none, int8 or int4: the local model's decoder weights packed at load (default int8, near-lossless; int4 faster and smaller, less exact)."), QStringLiteral("quant"), QStringLiteral("int8")});
    p.addOption({QStringLiteral("dpi"), QStringLiteral("Render resolution for the model (default 150; 300 for tesseract)."), QStringLiteral("dpi")});
    p.addOption({QStringLiteral("max-pixels"), QStringLiteral("Model pixel budget per page (default 1003520 = 1280·28·28)."), QStringLiteral("n"), QStringLiteral("1003520")});
    p.addOption({QStringLiteral("password"), QStringLiteral("Password for encrypted PDFs."), QStringLiteral("password")});
    p.addOption({QStringLiteral("max-new-tokens"), QStringLiteral("Cap on generated tokens per page (default: the task's own cap)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("draft"), QStringLiteral("auto (default: draft from the page's words under greedy decoding; same text, fewer model steps) or off."), QStringLiteral("mode"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("retries"), QStringLiteral("Re-runs at rising temperature after an unreadable or looping answer (default 2)."), QStringLiteral("n"), QStringLiteral("2")});
    p.addOption({QStringList{QStringLiteral("restart"), QStringLiteral("force")}, QStringLiteral("Run every page again, even after an interrupted run (default: resume the pages it did not finish).")});
    if (!cli.parse(args))
        return cli.exitCode();
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file or folder"));

    jobs::ExtractionOptions options;
    if (p.isSet(QStringLiteral("max-new-tokens"))) {
        bool valid = false;
        options.maxNewTokens = p.value(QStringLiteral("max-new-tokens")).toInt(&valid);
        if (!valid || options.maxNewTokens < 1)
            return cli.usageError(QStringLiteral("--max-new-tokens must be a positive number"));
    }
    {
        bool valid = false;
        options.maxRetries = p.value(QStringLiteral("retries")).toInt(&valid);
        if (!valid || options.maxRetries < 0 || options.maxRetries > 5)
            return cli.usageError(QStringLiteral("--retries must be between 0 and 5"));
    }
    options.resume = !p.isSet(QStringLiteral("restart"));
    const QString draft = p.value(QStringLiteral("draft"));
    if (draft != u"auto" && draft != u"off")
        return cli.usageError(QStringLiteral("--draft must be auto or off"));
    options.draft = draft == u"auto";
    options.task = p.value(QStringLiteral("task"));
    if (!extract::taskNames().contains(options.task))
        return cli.usageError(QStringLiteral("unknown --task '%1'").arg(options.task));
    if (p.isSet(QStringLiteral("schema"))) {
        QFile f(p.value(QStringLiteral("schema")));
        if (!f.open(QIODevice::ReadOnly))
            return cli.usageError(QStringLiteral("cannot read the schema %1: %2").arg(f.fileName(), f.errorString()));
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
        if (!doc.isObject())
            return cli.usageError(QStringLiteral("%1: not a JSON object (%2)").arg(f.fileName(), error.errorString()));
        const auto schema = extract::parseCustomSchema(doc.object(), f.fileName());
        if (!schema)
            return cli.usageError(QString::fromStdString(schema.error()));
        options.schema = *schema;
    } else if (options.task == u"custom") {
        return cli.usageError(QStringLiteral("--task custom needs --schema FILE"));
    }
    if (p.isSet(QStringLiteral("pages"))) {
        const auto pages = parsePages(p.value(QStringLiteral("pages")));
        if (!pages)
            return cli.usageError(QStringLiteral("--pages takes a list like 1-3,5"));
        options.pages = *pages;
    }
    bool ok = false;
    const QString engineName = p.isSet(QStringLiteral("engine")) ? p.value(QStringLiteral("engine"))
        : p.isSet(QStringLiteral("model")) || options.task != u"invoice" ? QStringLiteral("local")
                                                                         : QStringLiteral("e-invoice");
    options.dpi = p.isSet(QStringLiteral("dpi")) ? p.value(QStringLiteral("dpi")).toDouble(&ok) : engineName == u"tesseract" ? 300.0 : 150.0;
    ok = ok || !p.isSet(QStringLiteral("dpi"));
    if (!ok || options.dpi < 30 || options.dpi > 600)
        return cli.usageError(QStringLiteral("--dpi must be between 30 and 600"));
    options.maxPixels = p.value(QStringLiteral("max-pixels")).toLongLong(&ok);
    if (!ok || options.maxPixels < 3136)
        return cli.usageError(QStringLiteral("--max-pixels must be at least 3136"));

    std::unique_ptr<extract::Engine> engine;
    if (engineName == u"e-invoice") {
        if (options.task != u"invoice")
            return cli.usageError(QStringLiteral("--engine e-invoice reads invoices only (--task invoice)"));
        cli.err() << "engine: e-invoice (the embedded ZUGFeRD / Factur-X / XRechnung XML, exact values; no model)" << Qt::endl;
    } else if (engineName == u"tesseract") {
        if (options.task != u"ocr")
            return cli.usageError(QStringLiteral("--engine tesseract reads text lines only (--task ocr)"));
        auto ocr = ingest::OcrEngine::open(p.value(QStringLiteral("ocr-lang")));
        if (!ocr) {
            cli.err() << "error: " << QString::fromStdString(ocr.error()) << Qt::endl;
            return ExitSomeFailed;
        }
        engine = std::make_unique<extract::TesseractEngine>(std::move(ocr).value(), options.dpi);
        cli.err() << "engine: " << engine->modelId() << QStringLiteral(" (Tesseract OCR at %1 dpi; no model)").arg(options.dpi) << Qt::endl;
    } else if (engineName == u"replay") {
        if (!p.isSet(QStringLiteral("replay-dir")))
            return cli.usageError(QStringLiteral("--engine replay needs --replay-dir DIR"));
        if (!QFileInfo(p.value(QStringLiteral("replay-dir"))).isDir())
            return cli.usageError(QStringLiteral("--replay-dir %1 is not a folder").arg(p.value(QStringLiteral("replay-dir"))));
        engine = std::make_unique<extract::ReplayEngine>(p.value(QStringLiteral("replay-dir")));
        cli.err() << "engine: REPLAY of recorded model output from " << p.value(QStringLiteral("replay-dir")) << " (no model runs)" << Qt::endl;
    } else if (engineName == u"local") {
        if (!p.isSet(QStringLiteral("model")))
            return cli.usageError(options.task == u"ocr"
                                      ? QStringLiteral("give --model DIR (a downloaded Qwen2.5-VL folder; see README), or --engine tesseract to OCR without a model")
                                      : QStringLiteral("give --model DIR (a downloaded Qwen2.5-VL folder; see README) or --engine replay"));
        cli.err() << "loading " << p.value(QStringLiteral("model")) << " ..." << Qt::endl;
        auto local = extract::LocalEngine::load({p.value(QStringLiteral("model")), p.value(QStringLiteral("device")), p.value(QStringLiteral("dtype")), 0,
                                                 p.value(QStringLiteral("quant"))});
        if (!local) {
            cli.err() << "error: " << QString::fromStdString(local.error()) << Qt::endl;
            return ExitSomeFailed;
        }
        cli.err() << (*local)->loadReport() << Qt::endl;
        engine = std::move(local).value();
        cli.err() << "engine: " << engine->modelId() << Qt::endl;
    } else if (engineName == u"openai") {
        auto remote = remoteEngineFromOptions(p);
        if (!remote)
            return cli.usageError(QString::fromStdString(remote.error()));
        engine = std::move(remote).value();
        cli.err() << "engine: " << engine->modelId() << " (" << engine->concurrency() << " pages in flight)" << Qt::endl;
    } else {
        return cli.usageError(QStringLiteral("unknown --engine '%1' (local, openai, replay, tesseract or e-invoice)").arg(engineName));
    }

    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;
    const ingest::InputFiles inputs = ingest::collectInputFiles(cli.positional());
    int failures = int(inputs.errors.size());
    for (const QString& e : inputs.errors)
        cli.err() << "error: " << e << Qt::endl;

    QJsonArray report;
    const QByteArray password = p.value(QStringLiteral("password")).toUtf8();
    const StopSignals stopSignals;
    for (const QString& file : inputs.files) {
        if (g_cancel.load())
            break;
        const jobs::ImportOutcome imported = jobs::importDocument(*library, file, password);
        if (imported.status == jobs::ImportOutcome::Status::Failed) {
            cli.err() << "error: " << imported.error << Qt::endl;
            ++failures;
            continue;
        }
        const auto progress = [&](const jobs::ExtractionEvent& e) {
            if (e.kind == jobs::ExtractionEvent::Kind::PageStarted)
                cli.err() << QStringLiteral("%1: page %2 (%3/%4) ...").arg(QFileInfo(file).fileName()).arg(e.page + 1).arg(e.pageNumber).arg(e.pageCount) << Qt::endl;
            else if (e.kind == jobs::ExtractionEvent::Kind::Token && e.tokens % 64 == 0)
                cli.err() << QStringLiteral("  %1 tokens\r").arg(e.tokens) << Qt::flush;
            else if (e.kind == jobs::ExtractionEvent::Kind::Note && e.pageCount == 0 && !e.outcome)
                cli.err() << QFileInfo(file).fileName() << ": " << e.text << Qt::endl;
        };
        std::vector<jobs::PageOutcome> outcomes;
        if (engine) {
            outcomes = jobs::runExtraction(*library, imported.documentId, *engine, options, progress, &g_cancel);
        } else {
            // No model: the embedded XML is read again (it was on import; a document ingested by an
            // older Folio has none stored yet); its runs supersede the import's, reviews carry over.
            outcomes = jobs::importEmbeddedEInvoice(*library, imported.documentId, QFileInfo(file).absoluteFilePath(), imported.pages);
            if (outcomes.empty()) {
                jobs::PageOutcome none;
                none.status = QStringLiteral("failed");
                none.error = QStringLiteral("%1 has no embedded e-invoice (ZUGFeRD / Factur-X / XRechnung); to read it with a model, give --model DIR").arg(file);
                outcomes.push_back(none);
            }
        }
        for (const jobs::PageOutcome& o : outcomes) {
            // A page is a failure when it has no readable answer (whatever the last attempt's status).
            const bool bad = !o.error.isEmpty() && !o.stored;
            failures += bad ? 1 : 0;
            if (cli.json()) {
                report.append(QJsonObject{{QStringLiteral("path"), file},
                                          {QStringLiteral("document"), imported.documentId},
                                          {QStringLiteral("page"), o.page + 1},
                                          {QStringLiteral("status"), o.status},
                                          {QStringLiteral("error"), o.error},
                                          {QStringLiteral("run"), o.runId},
                                          {QStringLiteral("attempts"), o.attempts},
                                          {QStringLiteral("fields"), o.fields},
                                          {QStringLiteral("lines"), o.lines},
                                          {QStringLiteral("tables"), o.tables},
                                          {QStringLiteral("cells"), o.cells},
                                          {QStringLiteral("flagged"), o.flagged},
                                          {QStringLiteral("seconds"), o.seconds},
                                          {QStringLiteral("notes"), QJsonArray::fromStringList(o.notes)}});
                continue;
            }
            cli.out() << QStringLiteral("#%1 %2 p.%3: %4").arg(imported.documentId).arg(QFileInfo(file).fileName()).arg(o.page + 1).arg(o.status);
            if (!bad && o.status != u"blank" && o.status != u"cancelled")
                cli.out() << QStringLiteral(" — %1 fields, %2 lines, %3 tables (%4 cells), %5 flagged, %6 s")
                                 .arg(o.fields).arg(o.lines).arg(o.tables).arg(o.cells).arg(o.flagged).arg(o.seconds, 0, 'f', 1);
            cli.out() << "\n";
            if (bad)
                cli.err() << "error: " << o.error << Qt::endl;
            for (const QString& note : o.notes)
                cli.out() << "    " << note << "\n";
        }
        cli.out().flush();
    }
    if (cli.json())
        cli.printJson(report);
    if (g_signal.load()) {
        cli.err() << "interrupted: finished pages are stored; run the same command again to do the rest" << Qt::endl;
        return 128 + g_signal.load();
    }
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

int runShowCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("show"), QStringLiteral("Show every stored result of a document."),
                    QStringLiteral("doc Document id, sha256 prefix or path."));
    cli.parser().addOption({QStringLiteral("raw"), QStringLiteral("With --json: include each run's raw model output.")});
    if (!cli.parse(args))
        return cli.exitCode();
    auto named = cli.openNamedDocument();
    if (!named)
        return cli.exitCode();
    const std::unique_ptr<storage::Library> library = std::move(named->library);
    const qint64 id = named->id;
    const auto doc = storage::loadExportDocument(*library, id);
    if (!doc) {
        cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    if (cli.json()) {
        cli.printJson(storage::documentJson(*doc, storage::JsonOptions{cli.parser().isSet(QStringLiteral("raw"))}));
        return ExitOk;
    }
    QTextStream& out = cli.out();
    out << "document #" << doc->detail.doc.id << "  " << doc->detail.doc.path << "  (" << doc->detail.doc.status << ")\n";
    if (!doc->results.fields.empty())
        out << "fields:\n";
    for (const storage::StoredField& f : doc->results.fields) {
        const extract::Field& v = f.field;
        out << QStringLiteral("  %1 = %2").arg(v.name, -16).arg(QString(v.value).replace(QLatin1Char('\n'), QStringLiteral(" / ")));
        if (!v.normalized.isEmpty() && v.normalized != v.value)
            out << "  → " << v.normalized;
        out << QStringLiteral("   %1  conf %2  %3").arg(boxText(v.box)).arg(v.confidence, 0, 'f', 2).arg(v.source);
        out << flagSuffix(v.flags) << "  " << storage::reviewState(f.reviewStatus, v.flags);
        if (v.flags.testFlag(extract::Flag::Conflict))
            out << "  (the latest run reads: " << (f.modelValue.isEmpty() ? QStringLiteral("nothing") : f.modelValue) << ")";
        out << "\n";
    }
    for (const storage::StoredTable& t : doc->results.tables) {
        out << QStringLiteral("table %1 (%2 × %3) %4\n").arg(t.table.name.isEmpty() ? QStringLiteral("-") : t.table.name).arg(t.table.rows()).arg(t.table.cols()).arg(boxText(t.table.box));
        for (const QString& row : displayRows(t.table))
            out << "  | " << row << " |\n";
    }
    if (!doc->results.lines.empty())
        out << "lines:\n";
    for (const storage::StoredLine& l : doc->results.lines)
        out << QStringLiteral("  %1  %2\n").arg(boxText(l.line.box), -36).arg(l.line.text);
    out << doc->runs.size() << " runs:";
    for (const storage::RunRecord& r : doc->runs)
        out << QStringLiteral(" #%1 p.%2 %3 %4 (%5)%6;").arg(r.id).arg(r.pageIndex + 1).arg(r.task, r.status, r.modelId,
                                                                                              r.supersededBy ? QStringLiteral(" superseded") : QString());
    out << Qt::endl;
    return ExitOk;
}

int runReparseCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("reparse"), QStringLiteral("Re-parse the stored raw model outputs with the current parser (no model run)."),
                    QStringLiteral("doc Document id, sha256 prefix or path."));
    if (!cli.parse(args))
        return cli.exitCode();
    auto named = cli.openNamedDocument();
    if (!named)
        return cli.exitCode();
    const std::unique_ptr<storage::Library> library = std::move(named->library);
    const qint64 id = named->id;
    int failures = 0;
    for (const QString& line : jobs::reparseDocument(*library, id, &failures))
        cli.out() << line << "\n";
    cli.out().flush();
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

int runExportCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("export"), QStringLiteral("Export documents' results as CSV, JSON or XLSX."),
                    QStringLiteral("docs... Document ids, sha256 prefixes or paths."));
    cli.parser().addOption({QStringLiteral("format"), QStringLiteral("csv, json or xlsx."), QStringLiteral("format")});
    cli.parser().addOption({QStringLiteral("out"), QStringLiteral("Output file (csv: invoices.csv plus <name>-line-items.csv; tables as <name>-<table>.csv)."), QStringLiteral("path")});
    cli.parser().addOption({QStringLiteral("raw"), QStringLiteral("json: include raw model output.")});
    cli.parser().addOption({QStringLiteral("bom"), QStringLiteral("csv: start files with a UTF-8 byte order mark (for Excel).")});
    if (!cli.parse(args))
        return cli.exitCode();
    const QString format = cli.parser().value(QStringLiteral("format"));
    const QString out = cli.parser().value(QStringLiteral("out"));
    if (format != u"csv" && format != u"json" && format != u"xlsx")
        return cli.usageError(QStringLiteral("--format must be csv, json or xlsx"));
    if (out.isEmpty())
        return cli.usageError(QStringLiteral("give --out PATH"));
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one document"));
    std::unique_ptr<storage::Library> library = cli.openLibrary();
    if (!library)
        return ExitSomeFailed;

    std::vector<storage::ExportDocument> docs;
    for (const QString& which : cli.positional()) {
        const auto id = cli.resolveDocument(*library, which);
        if (!id)
            return ExitSomeFailed;
        auto doc = storage::loadExportDocument(*library, *id);
        if (!doc) {
            cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
            return ExitSomeFailed;
        }
        docs.push_back(std::move(doc).value());
    }

    QStringList written;
    const auto check = [&](const Result<void>& r, const QString& path) {
        if (!r) {
            cli.err() << "error: " << QString::fromStdString(r.error()) << Qt::endl;
            return false;
        }
        written << path;
        return true;
    };
    if (format == u"xlsx") {
        if (!check(storage::exportWorkbook(docs, out), out))
            return ExitSomeFailed;
    } else if (format == u"json") {
        if (docs.size() == 1) {
            if (!check(storage::exportDocumentJson(docs.front(), out, storage::JsonOptions{cli.parser().isSet(QStringLiteral("raw"))}), out))
                return ExitSomeFailed;
        } else {
            QJsonArray array;
            for (const storage::ExportDocument& d : docs)
                array.append(storage::documentJson(d, storage::JsonOptions{cli.parser().isSet(QStringLiteral("raw"))}));
            QFile f(out);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(array).toJson()) < 0 || !f.flush()) {
                cli.err() << "error: " << out << ": cannot write: " << f.errorString() << Qt::endl;
                return ExitSomeFailed;
            }
            written << out;
        }
    } else {
        const storage::CsvOptions csv{cli.parser().isSet(QStringLiteral("bom"))};
        const QFileInfo info(out);
        const QString stem = info.dir().filePath(info.completeBaseName());
        bool anyInvoice = false;
        for (const storage::ExportDocument& d : docs)
            for (const storage::StoredField& f : d.results.fields)
                anyInvoice = anyInvoice || f.field.name == u"invoice_number" || f.field.name == u"grand_total";
        if (anyInvoice && !check(storage::exportInvoicesCsv(docs, out, stem + QStringLiteral("-line-items.csv"), csv, stem + QStringLiteral("-fields.csv")), out))
            return ExitSomeFailed;
        if (anyInvoice)
            written << stem + QStringLiteral("-line-items.csv") << stem + QStringLiteral("-fields.csv");
        for (const storage::ExportDocument& d : docs) {
            int n = 0;
            for (const storage::StoredTable& t : d.results.tables) {
                if (anyInvoice && t.table.name == u"line_items")
                    continue;
                const QString path = anyInvoice || docs.size() > 1 || d.results.tables.size() > 1
                    ? QStringLiteral("%1-%2-%3.csv").arg(stem).arg(d.detail.doc.id).arg(t.table.name.isEmpty() ? QString::number(++n) : t.table.name)
                    : out;
                if (!check(storage::exportTableCsv(t.table, path, csv), path))
                    return ExitSomeFailed;
            }
        }
        if (written.isEmpty()) {
            cli.err() << "error: nothing to export: the documents have no invoice fields and no tables (run folio extract first)" << Qt::endl;
            return ExitSomeFailed;
        }
    }
    for (const QString& path : written)
        cli.out() << "wrote " << path << "\n";
    cli.out().flush();
    return ExitOk;
}

} // namespace folio::app
