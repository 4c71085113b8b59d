// `folio bench draft`: what speculative decoding would gain on the recorded answers, offline.
// Each recorded answer (tests/data/model-outputs/<sample>/<task>/<page>.txt) is replayed as if
// the model had written it, with the drafts the engine would make from the sample's own words
// layer (its OCR words for a scan, as import would store them), its task prompt and the answer
// so far, and the step costs measured by
// `folio bench generate --verify-tokens ... --costs-out FILE`. Labelled as replay: no model runs.
#include "app/commandline.h"
#include "app/commands.h"

#include "extract/modelframe.h"
#include "extract/pagewordstext.h"
#include "extract/taskprompt.h"
#include "ingest/documentopener.h"
#include "ingest/ocrlayer.h"

#include "inference/chattemplate.h"
#include "inference/drafter.h"
#include "inference/draftlength.h"
#include "inference/draftreplay.h"
#include "inference/pagewordsdraft.h"
#include "inference/tokenizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace folio::app {

namespace {

    constexpr int64_t kImEnd = 151645; // the answer ends with <|im_end|>, which the model writes too

    struct CostTable {
        QString format; // "bf16", "int4", ...
        std::vector<double> relative;
    };

    Result<CostTable> readCosts(const QString& path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError("cannot read the step costs " + path.toStdString());
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject costs = o.value(QStringLiteral("relative_cost")).toObject();
        std::vector<std::pair<std::size_t, double>> measured;
        for (auto it = costs.begin(); it != costs.end(); ++it)
            measured.emplace_back(it.key().toULongLong(), it.value().toDouble());
        try {
            return CostTable{o.value(QStringLiteral("format")).toString(QStringLiteral("?")),
                             inference::DraftLengthPolicy::interpolateCosts(measured)};
        } catch (const std::exception& e) {
            return makeError(path.toStdString() + ": " + e.what() + " (write it with bench generate --costs-out)");
        }
    }

    // The sample document a recording folder was made from: resources/samples/<name>.<ext>.
    QString sampleFile(const QDir& samples, const QString& name)
    {
        for (const char* ext : {"pdf", "png", "tiff", "jpg"}) {
            const QString path = samples.filePath(name + QLatin1Char('.') + QLatin1String(ext));
            if (QFileInfo::exists(path))
                return path;
        }
        return {};
    }

    std::vector<int64_t> encode(const inference::Tokenizer& tokenizer, const std::string& text)
    {
        const std::vector<int32_t> ids = tokenizer.encode(text);
        return std::vector<int64_t>(ids.begin(), ids.end());
    }

    QString replayLine(const QString& label, const QString& format, const inference::DraftReplay& r)
    {
        return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8x\n")
            .arg(label, -42)
            .arg(format, -12)
            .arg(r.tokens, 6)
            .arg(r.steps, 6)
            .arg(r.tokensPerStep(), 8, 'f', 2)
            .arg(QStringLiteral("%1/%2").arg(r.accepted).arg(r.drafted), 12)
            .arg(r.meanChosenLength(), 5, 'f', 1)
            .arg(r.speedup(), 7, 'f', 2);
    }

} // namespace

int runBenchDraftCommand(const QStringList& args)
{
    CommandLine cli(QStringLiteral("bench draft"),
                    QStringLiteral("Replay the recorded answers with the engine's drafts (page words, prompt, answer so "
                                   "far): tokens per verification step and the implied decode speed-up."),
                    QString());
    QCommandLineParser& p = cli.parser();
    p.addOption({QStringLiteral("tokenizer"), QStringLiteral("The Qwen2.5-VL tokenizer.json (required)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("recordings"), QStringLiteral("Recorded answers (default tests/data/model-outputs)."),
                 QStringLiteral("dir"), QStringLiteral("tests/data/model-outputs")});
    p.addOption({QStringLiteral("samples"), QStringLiteral("The recorded samples (default resources/samples)."),
                 QStringLiteral("dir"), QStringLiteral("resources/samples")});
    p.addOption({QStringLiteral("costs"),
                 QStringLiteral("Step costs from bench generate --verify-tokens ... --costs-out FILE; repeat for "
                                "several formats (default: the engine's built-in table)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("draft"), QStringLiteral("auto (page words, prompt, answer) or answer (answer and prompt only)."),
                 QStringLiteral("sources"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("ocr"),
                 QStringLiteral("Words of pages without a text layer: auto (Tesseract OCR, as import does) or never."),
                 QStringLiteral("mode"), QStringLiteral("auto")});
    if (!cli.parse(args))
        return cli.exitCode();
    const auto ocrMode = ingest::parseOcrMode(p.value(QStringLiteral("ocr")));
    if (!ocrMode || *ocrMode == ingest::OcrMode::Always)
        return cli.usageError(QStringLiteral("--ocr must be auto or never"));
    if (!p.isSet(QStringLiteral("tokenizer")))
        return cli.usageError(QStringLiteral("--tokenizer is required (e.g. ../shared/fixtures/qwen25vl-tiny/tokenizer.json)"));
    const QString sources = p.value(QStringLiteral("draft"));
    if (sources != u"auto" && sources != u"answer")
        return cli.usageError(QStringLiteral("--draft must be auto or answer"));
    auto tokenizer = inference::Tokenizer::load(p.value(QStringLiteral("tokenizer")).toStdString());
    if (!tokenizer) {
        cli.err() << "error: " << QString::fromStdString(tokenizer.error()) << Qt::endl;
        return ExitSomeFailed;
    }
    std::vector<CostTable> tables;
    for (const QString& path : p.values(QStringLiteral("costs"))) {
        auto table = readCosts(path);
        if (!table) {
            cli.err() << "error: " << QString::fromStdString(table.error()) << Qt::endl;
            return ExitSomeFailed;
        }
        tables.push_back(*table);
    }
    if (tables.empty())
        tables.push_back({QStringLiteral("built-in"), inference::defaultDraftStepCost()});

    const QDir recordings(p.value(QStringLiteral("recordings")));
    const QDir samples(p.value(QStringLiteral("samples")));
    if (!recordings.exists())
        return cli.usageError(QStringLiteral("no recordings folder %1").arg(recordings.path()));
    cli.out() << "Replay of recorded answers (no model runs): drafts from "
              << (sources == u"auto" ? "the page's words, the prompt and the answer so far" : "the prompt and the answer so far")
              << Qt::endl;
    cli.out() << "(k: the draft length the policy chose, mean over the steps; speed-up: decode time without drafts over "
                 "decode time with them, from the step costs)\n";
    cli.out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                     .arg(QStringLiteral("answer"), -42)
                     .arg(QStringLiteral("costs"), -12)
                     .arg(QStringLiteral("tokens"), 6)
                     .arg(QStringLiteral("steps"), 6)
                     .arg(QStringLiteral("tok/step"), 8)
                     .arg(QStringLiteral("accepted"), 12)
                     .arg(QStringLiteral("k"), 5)
                     .arg(QStringLiteral("speed-up"), 8);
    // Per task (invoice, table, ocr), per cost table: the answers' sums.
    std::map<QString, std::vector<inference::DraftReplay>> perTask;
    std::unique_ptr<ingest::OcrEngine> ocrEngine; // opened for the first page that needs it
    int failed = 0;
    for (const QString& sample : recordings.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = sampleFile(samples, sample);
        if (path.isEmpty()) {
            cli.err() << "error: no sample document for " << sample << " in " << samples.path() << Qt::endl;
            ++failed;
            continue;
        }
        auto doc = ingest::openDocument(path);
        if (!doc) {
            cli.err() << "error: " << QString::fromStdString(doc.error()) << Qt::endl;
            ++failed;
            continue;
        }
        const QDir sampleDir(recordings.filePath(sample));
        for (const QString& task : sampleDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            auto prompt = extract::taskPrompt(task);
            if (!prompt) {
                cli.err() << "error: " << sample << "/" << task << ": " << QString::fromStdString(prompt.error()) << Qt::endl;
                ++failed;
                continue;
            }
            const QDir taskDir(sampleDir.filePath(task));
            for (const QString& answerFile : taskDir.entryList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name)) {
                const int page = QFileInfo(answerFile).baseName().toInt() - 1;
                const QString label = QStringLiteral("%1/%2 p%3").arg(sample, task).arg(page + 1);
                QFile file(taskDir.filePath(answerFile));
                const auto image = page >= 0 && page < (*doc)->pageCount() ? (*doc)->render(page, 150.0)
                                                                            : Result<QImage>(makeError("no such page"));
                const auto frame = image ? extract::modelInputSize(image->size(), 3136, 1280 * 28 * 28)
                                         : Result<QSize>(makeError(image.error()));
                auto words = (*doc)->words(page);
                // A scan's words layer is its OCR words, as import would store them.
                bool ocred = false;
                if (words && words->empty() && sources == u"auto" && ingest::wantsOcr(*ocrMode, false)) {
                    if (!ocrEngine) {
                        auto engine = ingest::OcrEngine::open(ingest::OcrEngine::defaultLanguages());
                        if (!engine) {
                            cli.err() << "error: " << QString::fromStdString(engine.error()) << " (or pass --ocr never)" << Qt::endl;
                            return ExitSomeFailed;
                        }
                        ocrEngine = std::move(*engine);
                    }
                    auto ocr = ingest::ocrPage(**doc, page, *ocrEngine);
                    words = ocr ? Result<std::vector<ingest::Word>>(std::move(ocr->words))
                                : Result<std::vector<ingest::Word>>(makeError(ocr.error()));
                    ocred = true;
                }
                if (!file.open(QIODevice::ReadOnly) || !frame || !words) {
                    cli.err() << "error: " << label << ": "
                              << QString::fromStdString(!frame ? frame.error() : !words ? words.error() : "unreadable answer")
                              << Qt::endl;
                    ++failed;
                    continue;
                }
                // The prompt as the engine builds it: template, one image's pads, the task text.
                std::vector<inference::ChatMessage> messages;
                if (!prompt->systemPrompt.isEmpty())
                    messages.push_back({"system", {{inference::ContentItem::Kind::Text, prompt->systemPrompt.toStdString()}}});
                messages.push_back({"user",
                                    {{inference::ContentItem::Kind::Image, {}},
                                     {inference::ContentItem::Kind::Text, prompt->userPrompt.toStdString()}}});
                const int64_t imageTokens = int64_t(frame->width() / 28) * (frame->height() / 28);
                auto promptText = inference::expandVisionPads(inference::renderChat(messages, true), {imageTokens}, {});
                const std::vector<int64_t> promptIds = encode(**tokenizer, *promptText);
                std::vector<int64_t> answer = encode(**tokenizer, file.readAll().toStdString());
                answer.push_back(kImEnd);
                const auto pageSegments = sources == u"auto"
                    ? inference::PageWordsDraft::tokenize(**tokenizer, extract::pageWordsText(*words).toStdString())
                    : std::vector<std::vector<int64_t>>{};
                std::vector<inference::DraftReplay>& taskSums = perTask[task];
                taskSums.resize(tables.size());
                for (std::size_t t = 0; t < tables.size(); ++t) {
                    auto drafter = inference::Drafter::standard(pageSegments, inference::DraftLengthPolicy(tables[t].relative));
                    const inference::DraftReplay r = inference::replayDrafts(promptIds, answer, *drafter, tables[t].relative);
                    taskSums[t].add(r);
                    cli.out() << replayLine(label + (words->empty() ? QStringLiteral(" (no words)") : ocred ? QStringLiteral(" (OCR)") : QString()),
                                            tables[t].format, r);
                }
            }
        }
    }
    cli.out() << "per task, all its answers:\n";
    for (const auto& [task, sums] : perTask)
        for (std::size_t t = 0; t < sums.size(); ++t)
            cli.out() << replayLine(QStringLiteral("task %1").arg(task), tables[t].format, sums[t]);
    cli.out().flush();
    return failed > 0 ? ExitSomeFailed : ExitOk;
}

} // namespace folio::app
