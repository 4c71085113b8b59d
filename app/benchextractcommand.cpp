// `folio bench extract`: page extractions through the remote engine, several in flight, timed.
#include "app/commandline.h"
#include "app/commands.h"
#include "app/remoteoptions.h"

#include "extract/taskprompt.h"
#include "ingest/documentopener.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

namespace folio::app {

namespace {

    struct Sample {
        double latencyMs = 0;
        double firstTokenMs = -1;
        int tokens = 0;
        QString error;
    };

    // Nearest-rank percentile of sorted values.
    double percentile(const std::vector<double>& sorted, double p)
    {
        if (sorted.empty())
            return 0;
        const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
        return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
    }

    Sample runOne(extract::Engine& engine, const extract::EngineRequest& request)
    {
        QElapsedTimer timer;
        timer.start();
        const auto out = engine.run(request, {}, nullptr);
        Sample s;
        s.latencyMs = double(timer.nsecsElapsed()) / 1e6;
        if (!out) {
            s.error = QString::fromStdString(out.error());
            return s;
        }
        s.tokens = out->generatedTokens;
        s.firstTokenMs = out->timings.value(QStringLiteral("first_token_ms")).toDouble(-1);
        return s;
    }

} // namespace

// Sends --pages page requests (the pages of FILE in turn, rendered once up front) through the
// same RemoteEngine `folio extract --engine openai` uses, --concurrency of them in flight, and
// prints pages/s, tokens/s and the per-page latency percentiles. What is timed per page is the
// engine path: resize to the model frame, PNG encoding, the HTTP request, the server's work and
// the streamed answer. Rendering is timed apart; parsing and storing are not part of it.
int runBenchExtractCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("bench extract"),
                    QStringLiteral("Benchmark page extractions through an OpenAI-compatible server (--engine openai)."),
                    QStringLiteral("files... PDF or image files whose pages are sent in turn."));
    QCommandLineParser& p = cli.parser();
    p.addOption({QStringLiteral("engine"), QStringLiteral("openai (the only engine with pages in flight)."), QStringLiteral("engine"), QStringLiteral("openai")});
    addRemoteEngineOptions(p);
    p.addOption({QStringLiteral("pages"), QStringLiteral("Page requests to time (default 16)."), QStringLiteral("n"), QStringLiteral("16")});
    p.addOption({QStringLiteral("task"), QStringLiteral("The task's prompt to send (default ocr)."), QStringLiteral("task"), QStringLiteral("ocr")});
    p.addOption({QStringLiteral("max-new-tokens"), QStringLiteral("Cap on generated tokens per page (default: the task's own cap)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("dpi"), QStringLiteral("Render resolution (default 150)."), QStringLiteral("dpi"), QStringLiteral("150")});
    p.addOption({QStringLiteral("max-pixels"), QStringLiteral("Model pixel budget per page (default 1003520)."), QStringLiteral("n"), QStringLiteral("1003520")});
    p.addOption({QStringLiteral("warmup"), QStringLiteral("Untimed requests first (default 1)."), QStringLiteral("n"), QStringLiteral("1")});
    if (!cli.parse(args))
        return cli.exitCode();
    if (p.value(QStringLiteral("engine")) != u"openai")
        return cli.usageError(QStringLiteral("--engine: only openai is benchmarked here (the local engine: folio bench generate)"));
    if (cli.positional().isEmpty())
        return cli.usageError(QStringLiteral("give at least one file whose pages to send"));
    bool ok = false;
    const int count = p.value(QStringLiteral("pages")).toInt(&ok);
    if (!ok || count < 1 || count > 100000)
        return cli.usageError(QStringLiteral("--pages must be between 1 and 100000"));
    const int warmup = p.value(QStringLiteral("warmup")).toInt(&ok);
    if (!ok || warmup < 0 || warmup > 100)
        return cli.usageError(QStringLiteral("--warmup must be between 0 and 100"));
    const double dpi = p.value(QStringLiteral("dpi")).toDouble(&ok);
    if (!ok || dpi < 30 || dpi > 600)
        return cli.usageError(QStringLiteral("--dpi must be between 30 and 600"));
    const qint64 maxPixels = p.value(QStringLiteral("max-pixels")).toLongLong(&ok);
    if (!ok || maxPixels < 3136)
        return cli.usageError(QStringLiteral("--max-pixels must be at least 3136"));
    const auto prompt = extract::taskPrompt(p.value(QStringLiteral("task")));
    if (!prompt)
        return cli.usageError(QString::fromStdString(prompt.error()));
    int maxNewTokens = prompt->maxNewTokens;
    if (p.isSet(QStringLiteral("max-new-tokens"))) {
        maxNewTokens = p.value(QStringLiteral("max-new-tokens")).toInt(&ok);
        if (!ok || maxNewTokens < 1)
            return cli.usageError(QStringLiteral("--max-new-tokens must be a positive number"));
    }
    auto remote = remoteEngineFromOptions(p);
    if (!remote)
        return cli.usageError(QString::fromStdString(remote.error()));
    extract::Engine& engine = **remote;
    const int concurrency = engine.concurrency();

    std::vector<extract::EngineRequest> requests;
    QElapsedTimer renderTimer;
    renderTimer.start();
    for (const QString& file : cli.positional()) {
        auto doc = ingest::openDocument(file);
        if (!doc) {
            cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
            return ExitSomeFailed;
        }
        for (int page = 0; page < (*doc)->pageCount(); ++page) {
            auto image = (*doc)->render(page, dpi);
            if (!image) {
                cli.err() << "error: " << file << QStringLiteral(", page %1: ").arg(page + 1) << QString::fromStdString(image.error()) << Qt::endl;
                return ExitSomeFailed;
            }
            extract::EngineRequest r;
            r.image = *image;
            r.pageIndex = page;
            r.systemPrompt = prompt->systemPrompt;
            r.prompt = prompt->userPrompt;
            r.maxNewTokens = maxNewTokens;
            r.maxPixels = maxPixels;
            requests.push_back(std::move(r));
        }
    }
    const double renderMsPerPage = double(renderTimer.nsecsElapsed()) / 1e6 / double(requests.size());

    for (int i = 0; i < warmup; ++i) {
        const Sample s = runOne(engine, requests[size_t(i) % requests.size()]);
        if (!s.error.isEmpty()) {
            cli.err() << "error: warm-up request: " << s.error << Qt::endl;
            return ExitSomeFailed;
        }
    }

    // K workers take the next request until all are sent: K pages in flight.
    std::vector<Sample> samples(static_cast<size_t>(count));
    std::atomic<int> next{0};
    QElapsedTimer wall;
    wall.start();
    {
        std::vector<std::thread> workers;
        for (int w = 0; w < std::min(concurrency, count); ++w)
            workers.emplace_back([&] {
                for (int i = next++; i < count; i = next++)
                    samples[size_t(i)] = runOne(engine, requests[size_t(i) % requests.size()]);
            });
        for (std::thread& t : workers)
            t.join();
    }
    const double seconds = double(wall.nsecsElapsed()) / 1e9;

    std::vector<double> latencies, firstTokens;
    int tokens = 0, failures = 0;
    QString firstError;
    for (const Sample& s : samples) {
        if (!s.error.isEmpty()) {
            ++failures;
            firstError = firstError.isEmpty() ? s.error : firstError;
            continue;
        }
        latencies.push_back(s.latencyMs);
        if (s.firstTokenMs >= 0)
            firstTokens.push_back(s.firstTokenMs);
        tokens += s.tokens;
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(firstTokens.begin(), firstTokens.end());
    const int done = int(latencies.size());
    const double pagesPerSecond = seconds > 0 ? done / seconds : 0;
    const double tokensPerSecond = seconds > 0 ? tokens / seconds : 0;

    if (cli.json()) {
        cli.printJson(QJsonObject{{QStringLiteral("engine"), engine.modelId()},
                                  {QStringLiteral("task"), prompt->task},
                                  {QStringLiteral("concurrency"), concurrency},
                                  {QStringLiteral("pages"), count},
                                  {QStringLiteral("failed"), failures},
                                  {QStringLiteral("seconds"), seconds},
                                  {QStringLiteral("pages_per_second"), pagesPerSecond},
                                  {QStringLiteral("tokens"), tokens},
                                  {QStringLiteral("tokens_per_second"), tokensPerSecond},
                                  {QStringLiteral("latency_ms"), QJsonObject{{QStringLiteral("p50"), percentile(latencies, 50)},
                                                                             {QStringLiteral("p90"), percentile(latencies, 90)},
                                                                             {QStringLiteral("p99"), percentile(latencies, 99)}}},
                                  {QStringLiteral("first_token_ms_p50"), percentile(firstTokens, 50)},
                                  {QStringLiteral("render_ms_per_page"), renderMsPerPage},
                                  {QStringLiteral("first_error"), firstError}});
    } else {
        QTextStream& out = cli.out();
        out << QStringLiteral("%1, task %2, %3 distinct pages (rendered once at %4 dpi, %5 ms/page, not timed below)\n")
                   .arg(engine.modelId(), prompt->task).arg(requests.size()).arg(dpi).arg(renderMsPerPage, 0, 'f', 0);
        out << QStringLiteral("%1 pages, %2 in flight, %3 failed: %4 s, %5 pages/s, %6 tokens (%7 tokens/s)\n")
                   .arg(count).arg(concurrency).arg(failures).arg(seconds, 0, 'f', 2).arg(pagesPerSecond, 0, 'f', 2)
                   .arg(tokens).arg(tokensPerSecond, 0, 'f', 1);
        out << QStringLiteral("per-page latency: p50 %1 ms, p90 %2 ms, p99 %3 ms; first token p50 %4 ms\n")
                   .arg(percentile(latencies, 50), 0, 'f', 0).arg(percentile(latencies, 90), 0, 'f', 0)
                   .arg(percentile(latencies, 99), 0, 'f', 0).arg(percentile(firstTokens, 50), 0, 'f', 0);
        out.flush();
    }
    if (failures > 0)
        cli.err() << "error: " << failures << " of " << count << " pages failed; the first: " << firstError << Qt::endl;
    return failures > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
