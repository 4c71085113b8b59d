#include "ui/jobs/extractionjob.h"

#include "extract/blankpage.h"
#include "extract/pageextraction.h"
#include "extract/pagewordstext.h"
#include "extract/repetitionguard.h"
#include "ingest/documentopener.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/jobs/invoicerevalidation.h"
#include "ui/jobs/einvoiceimport.h"
#include "ui/jobs/pagewords.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace folio::jobs {

namespace {

    QJsonArray schemaJson(const std::vector<extract::CustomField>& schema)
    {
        QJsonArray a;
        for (const extract::CustomField& f : schema)
            a.append(QJsonObject{{QStringLiteral("name"), f.name}, {QStringLiteral("description"), f.description}, {QStringLiteral("type"), f.type}});
        return a;
    }

    QStringList summarize(const extract::PageExtraction& e)
    {
        QStringList notes = e.parsed.warnings;
        for (const extract::InvoiceCheck& c : e.validation.checks)
            if (c.status == extract::CheckStatus::Failed)
                notes << QStringLiteral("check failed: %1").arg(c.message);
        const extract::TextLayerCheckStats& t = e.textLayer;
        if (t.checked > 0)
            notes << QStringLiteral("text layer: %1 of %2 values confirmed, %3 moved to where they are printed, %4 differ, %5 not on the page")
                         .arg(t.agreed).arg(t.checked).arg(t.moved).arg(t.mismatched).arg(t.notOnPage);
        return notes;
    }

} // namespace

namespace {

    // The pages an interrupted run of `task` left unfinished, when there was one (a page
    // cancelled, or one the engine never answered): pages whose latest run of the task is
    // 'cancelled', 'failed' or missing. nullopt: nothing to resume.
    std::optional<std::vector<int>> unfinishedPages(storage::Library& library, qint64 documentId, const QString& task,
                                                    const std::vector<int>& pages)
    {
        const auto runs = library.results().runs(documentId);
        if (!runs)
            return std::nullopt;
        std::map<int, QString> latest;
        std::set<int> unanswered; // the engine gave no answer at all (e.g. the server went away)
        for (const storage::RunRecord& r : *runs)
            if (r.task == task && !r.modelId.startsWith(QLatin1String("e-invoice"))) {
                latest[r.pageIndex] = r.status;
                if (r.status == u"failed" && r.rawOutput.isEmpty())
                    unanswered.insert(r.pageIndex);
                else
                    unanswered.erase(r.pageIndex);
            }
        const bool interrupted = std::any_of(pages.begin(), pages.end(), [&](int p) { return latest[p] == u"cancelled" || unanswered.count(p); });
        if (!interrupted)
            return std::nullopt;
        std::vector<int> left;
        for (int p : pages) {
            const QString& status = latest[p];
            if (status.isEmpty() || status == u"cancelled" || status == u"failed")
                left.push_back(p);
        }
        return left;
    }

} // namespace
void countResults(const extract::PageResult& r, PageOutcome& o)
{
    o.cells = o.flagged = 0;
    o.fields = int(r.fields.size());
    o.lines = int(r.lines.size());
    o.tables = int(r.tables.size());
    for (const extract::Field& f : r.fields)
        o.flagged += f.flags ? 1 : 0;
    for (const extract::TextLine& l : r.lines)
        o.flagged += l.flags ? 1 : 0;
    for (const extract::Table& t : r.tables) {
        o.cells += int(t.cells.size());
        for (const extract::Cell& c : t.cells)
            o.flagged += c.flags ? 1 : 0;
    }
}

std::vector<PageOutcome> runExtraction(storage::Library& library, qint64 documentId, extract::Engine& engine,
                                       const ExtractionOptions& options, const ExtractionProgress& progress,
                                       const std::atomic<bool>* cancel)
{
    std::vector<PageOutcome> outcomes;
    const auto fail = [&](int page, const QString& error) {
        PageOutcome o;
        o.page = page;
        o.status = QStringLiteral("failed");
        o.error = error;
        outcomes.push_back(o);
        return outcomes;
    };
    const auto note = [&](const QString& text) {
        if (progress)
            progress(ExtractionEvent{ExtractionEvent::Kind::Note, 0, 0, 0, 0, text, nullptr});
    };
    const auto cancelled = [&] { return cancel && cancel->load(); };
    const auto detail = library.document(documentId);
    if (!detail)
        return fail(0, QString::fromStdString(detail.error()));
    const QString path = detail->doc.path;
    auto opened = ingest::openDocument(path);
    if (!opened)
        return fail(0, QString::fromStdString(opened.error()));
    const ingest::SourceDocument& doc = **opened;
    const auto prompt = extract::taskPrompt(options.task, options.schema);
    if (!prompt)
        return fail(0, QString::fromStdString(prompt.error()));

    std::vector<int> pages = options.pages;
    if (pages.empty())
        for (int p = 0; p < doc.pageCount(); ++p)
            pages.push_back(p);
    for (int p : pages)
        if (p < 0 || p >= doc.pageCount())
            return fail(p, QStringLiteral("%1: there is no page %2 (the document has %3)").arg(path).arg(p + 1).arg(doc.pageCount()));
    if (options.resume)
        if (const auto left = unfinishedPages(library, documentId, options.task, pages)) {
            QStringList kept;
            for (int p : pages)
                if (std::find(left->begin(), left->end(), p) == left->end())
                    kept << QString::number(p + 1);
            if (!kept.isEmpty())
                note(QStringLiteral("resuming the interrupted %1 extraction: page %2 already done").arg(options.task, kept.join(QStringLiteral(", "))));
            pages = *left;
        }

    if (const auto status = library.setDocumentStatus(documentId, QStringLiteral("extracting")); !status)
        return fail(0, QString::fromStdString(status.error()));
    // The invoice is validated once over all its stored pages at the end (a multi-page invoice
    // is one invoice), not page by page.
    const bool invoice = options.task == u"invoice";
    std::vector<extract::Field> modelInvoiceFields;
    const QJsonObject baseParams{{QStringLiteral("dpi"), options.dpi},
                                 {QStringLiteral("min_pixels"), options.minPixels},
                                 {QStringLiteral("max_pixels"), options.maxPixels},
                                 {QStringLiteral("max_new_tokens"), options.maxNewTokens > 0 ? options.maxNewTokens : prompt->maxNewTokens},
                                 {QStringLiteral("schema"), schemaJson(options.schema)},
                                 {QStringLiteral("draft"), options.draft ? QStringLiteral("auto") : QStringLiteral("off")}};

    // Engines that take several pages at once (a server) get the next pages rendered and sent
    // ahead of the one being stored; results are still stored in page order as they arrive.
    struct PreparedPage {
        Result<ingest::PageInfo> info;
        Result<QImage> image;
        std::vector<ingest::Word> words;
        bool blank = false;
        std::shared_ptr<std::future<Result<extract::EngineOutput>>> firstAnswer; // in flight, or null
    };
    const auto makeRequest = [&](int page, const QImage& image, const std::vector<ingest::Word>& words) {
        extract::EngineRequest request;
        request.image = image;
        request.pageIndex = page;
        request.systemPrompt = prompt->systemPrompt;
        request.prompt = prompt->userPrompt;
        request.maxNewTokens = options.maxNewTokens > 0 ? options.maxNewTokens : prompt->maxNewTokens;
        request.minPixels = options.minPixels;
        request.maxPixels = options.maxPixels;
        request.draft = options.draft;
        request.draftHint = extract::pageWordsText(words); // the model mostly copies what is printed
        return request;
    };
    const size_t inFlight = size_t(std::max(1, engine.concurrency()));
    std::map<size_t, PreparedPage> prepared;
    const auto prepare = [&](size_t k) {
        const int page = pages[k];
        PreparedPage p{doc.pageInfo(page), doc.render(page, options.dpi, cancel), pageWords(library, documentId, page), false, nullptr};
        p.blank = p.image && options.skipBlankPages && p.words.empty() && extract::isBlankPage(*p.image);
        if (inFlight > 1 && p.info && p.image && !p.blank) {
            // Off this thread: only the loop guard runs there; token progress is per page here.
            auto request = std::make_shared<extract::EngineRequest>(makeRequest(page, *p.image, p.words));
            p.firstAnswer = std::make_shared<std::future<Result<extract::EngineOutput>>>(std::async(std::launch::async, [&engine, request, cancel] {
                return engine.run(*request, [](int tokens, const QString& text) { return tokens % 16 != 0 || !extract::RepetitionGuard::endsInLoop(text); }, cancel);
            }));
        }
        prepared.emplace(k, std::move(p));
    };

    for (size_t i = 0; i < pages.size() && !cancelled(); ++i) {
        const int page = pages[i];
        for (size_t k = i; k < std::min(pages.size(), i + inFlight); ++k)
            if (!prepared.count(k) && !cancelled())
                prepare(k);
        if (!prepared.count(i))
            break; // cancelled before this page was rendered
        PreparedPage current = std::move(prepared.at(i));
        prepared.erase(i);
        ExtractionEvent started{ExtractionEvent::Kind::PageStarted, page, int(i) + 1, int(pages.size()), 0, {}, nullptr};
        if (progress)
            progress(started);
        QElapsedTimer timer;
        timer.start();
        PageOutcome outcome;
        outcome.page = page;

        storage::RunRecord run;
        run.documentId = documentId;
        run.pageIndex = page;
        run.task = options.task;
        run.modelId = engine.modelId();
        run.promptVersion = prompt->version;
        run.params = baseParams;
        run.startedAt = QDateTime::currentDateTimeUtc();

        // A run that produced no results is still stored (with its raw output); if even that
        // fails, the outcome says so instead of losing the reason.
        const auto keepRun = [&](const storage::RunRecord& r) {
            const auto id = library.results().storeRun(r);
            if (id)
                outcome.runId = outcome.stored ? outcome.runId : *id;
            else
                outcome.error += QStringLiteral(" (the run could not be stored: %1)").arg(QString::fromStdString(id.error()));
        };
        const auto finish = [&](const QString& status, const QString& error) {
            run.status = status;
            run.error = error;
            run.finishedAt = QDateTime::currentDateTimeUtc();
            if (outcome.stored && status != u"cancelled") {
                // An earlier attempt's results stay the page's; this attempt is on record.
                outcome.notes << QStringLiteral("attempt %1: %2; the results of the earlier attempt stay").arg(run.attempt).arg(error.isEmpty() ? status : error);
                return;
            }
            outcome.status = status;
            outcome.error = error;
        };

        const auto& info = current.info;
        const auto& image = current.image;
        const std::vector<ingest::Word>& words = current.words;
        if (!info || !image) {
            finish(cancelled() ? QStringLiteral("cancelled") : QStringLiteral("failed"),
                   cancelled() ? QString() : QString::fromStdString(!info ? info.error() : image.error()));
            keepRun(run);
            outcomes.push_back(outcome);
            continue;
        }
        if (current.blank) {
            finish(QStringLiteral("blank"), {});
            keepRun(run);
            outcome.seconds = timer.nsecsElapsed() / 1e9;
            outcomes.push_back(outcome);
            if (progress)
                progress(ExtractionEvent{ExtractionEvent::Kind::PageFinished, page, int(i) + 1, int(pages.size()), 0, {}, &outcomes.back()});
            continue;
        }

        extract::EngineRequest request = makeRequest(page, *image, words);

        const int maxAttempts = engine.canResample() ? 1 + std::max(0, options.maxRetries) : 1;
        for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
            outcome.attempts = attempt;
            run.attempt = attempt;
            run.startedAt = QDateTime::currentDateTimeUtc();
            run.rawOutput.clear();
            run.notes.clear();
            if (attempt > 1)
                request.temperature = retryTemperature(attempt);
            run.params = baseParams;
            if (request.temperature)
                run.params.insert(QStringLiteral("temperature"), *request.temperature);

            bool looped = false;
            QString partial; // what the model wrote before a cancel
            const auto onTokens = [&](int tokens, const QString& text) {
                partial = text;
                if (progress)
                    progress(ExtractionEvent{ExtractionEvent::Kind::Token, page, int(i) + 1, int(pages.size()), tokens, text, nullptr});
                // Checking every token would cost O(n) each; every 16 is plenty to stop a loop early.
                if (tokens % 16 == 0)
                    looped = extract::RepetitionGuard::endsInLoop(text);
                return !looped;
            };
            const auto output = attempt == 1 && current.firstAnswer ? current.firstAnswer->get() : engine.run(request, onTokens, cancel);
            if (cancelled()) {
                run.rawOutput = output ? output->text : partial;
                finish(QStringLiteral("cancelled"), {});
                keepRun(run);
                break;
            }
            if (!output) {
                finish(QStringLiteral("failed"), QStringLiteral("%1, page %2: %3").arg(path).arg(page + 1).arg(QString::fromStdString(output.error())));
                keepRun(run);
                break;
            }
            run.rawOutput = output->text;
            if (!output->request.isEmpty())
                run.params.insert(QStringLiteral("engine"), output->request);
            if (output->tokens.known())
                output->tokens.writeTo(run.params); // kept with the run, so a re-parse scores the same
            run.resizedWidth = output->resizedWidth;
            run.resizedHeight = output->resizedHeight;
            run.timings = output->timings;
            // A loop that began after the last check (or a recorded one) is caught here.
            looped = looped || extract::RepetitionGuard::endsInLoop(output->text);
            const QString text = looped ? extract::RepetitionGuard::withoutLoop(output->text) : output->text;
            const extract::ModelFrame frame{output->resizedWidth, output->resizedHeight, info->rotation};
            extract::PageExtraction extraction = extract::extractPage(options.task, text, frame, page, words, output->tokens, options.schema, !invoice);

            if (!extraction.parsed.ok) {
                finish(looped ? QStringLiteral("repetition") : QStringLiteral("failed"),
                       QStringLiteral("%1, page %2: the answer could not be read: %3").arg(path).arg(page + 1).arg(extraction.parsed.error));
                keepRun(run);
                if (attempt < maxAttempts)
                    continue;
                break;
            }
            const bool truncated = extraction.parsed.result.truncated || output->stopReason == u"max_tokens";
            outcome.notes = summarize(extraction);
            outcome.error.clear();
            finish(looped ? QStringLiteral("repetition") : truncated ? QStringLiteral("truncated") : QStringLiteral("ok"), {});
            outcome.status = run.status;
            if (looped)
                outcome.notes << QStringLiteral("the answer repeated itself; generation was stopped and the repeated tail dropped");
            run.notes = extraction.parsed.warnings;
            // Storing supersedes the page's earlier attempt: only the latest readable answer
            // counts, the others stay on record as runs.
            const auto id = library.results().storePageResult(run, extraction.parsed.result);
            if (!id) {
                outcome.status = QStringLiteral("failed");
                outcome.error = QString::fromStdString(id.error());
                break;
            }
            outcome.runId = *id;
            outcome.stored = true;
            countResults(extraction.parsed.result, outcome);
            if (!looped || attempt == maxAttempts) {
                if (invoice)
                    modelInvoiceFields.insert(modelInvoiceFields.end(), extraction.parsed.result.fields.begin(), extraction.parsed.result.fields.end());
                break;
            }
        }
        outcome.seconds = timer.nsecsElapsed() / 1e9;
        outcomes.push_back(outcome);
        if (progress)
            progress(ExtractionEvent{ExtractionEvent::Kind::PageFinished, page, int(i) + 1, int(pages.size()), 0, {}, &outcomes.back()});
    }

    if (!cancelled() && invoice && options.readEInvoice && doc.kind() == ingest::DocumentKind::Pdf)
        for (const PageOutcome& o : importEmbeddedEInvoice(library, documentId, path, doc.pageCount(), modelInvoiceFields)) {
            outcomes.push_back(o);
            if (progress)
                progress(ExtractionEvent{ExtractionEvent::Kind::Note, o.page, 0, 0, 0, o.notes.join(QStringLiteral("; ")), &outcomes.back()});
        }

    const bool anyStored = std::any_of(outcomes.begin(), outcomes.end(), [](const PageOutcome& o) { return o.stored; });
    if (invoice && anyStored) {
        const auto checked = revalidateInvoice(library, documentId);
        if (!checked) {
            PageOutcome o;
            o.status = QStringLiteral("failed");
            o.error = QString::fromStdString(checked.error());
            outcomes.push_back(o);
        } else {
            QStringList notes;
            for (const extract::InvoiceCheck& c : checked->validation.checks)
                if (c.status == extract::CheckStatus::Failed)
                    notes << QStringLiteral("check failed: %1").arg(c.message);
            notes << checked->unvalidated;
            for (PageOutcome& o : outcomes)
                if (o.stored) {
                    o.notes << notes;
                    o.flagged = checked->flaggedOnPage(o.page);
                }
        }
    }
    // Results to review, or the document as it was (a run that stored nothing changes nothing).
    if (const auto status = library.setDocumentStatus(documentId, anyStored ? QStringLiteral("needs_review") : detail->doc.status); !status) {
        PageOutcome o;
        o.status = QStringLiteral("failed");
        o.error = QString::fromStdString(status.error());
        outcomes.push_back(o);
    }
    return outcomes;
}

std::vector<extract::CustomField> runSchema(const storage::RunRecord& run)
{
    std::vector<extract::CustomField> schema;
    for (const auto& v : run.params.value(QStringLiteral("schema")).toArray()) {
        const QJsonObject o = v.toObject();
        schema.push_back(extract::CustomField{o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("description")).toString(),
                                              o.value(QStringLiteral("type")).toString()});
    }
    return schema;
}

double retryTemperature(int attempt)
{
    return attempt <= 1 ? 0.0 : 0.3 * (attempt - 1);
}

QStringList reparseDocument(storage::Library& library, qint64 documentId, int* failures)
{
    QStringList report;
    *failures = 0;
    const auto runs = library.results().runs(documentId);
    if (!runs) {
        ++*failures;
        return {QString::fromStdString(runs.error())};
    }
    bool reparsedInvoice = false;
    for (const storage::RunRecord& run : *runs) {
        if (run.supersededBy != 0 || run.rawOutput.isEmpty() || run.status == u"cancelled" || run.modelId.startsWith(kEInvoiceModelId))
            continue;
        const auto page = library.words(documentId, run.pageIndex);
        if (!page) {
            ++*failures;
            report << QString::fromStdString(page.error());
            continue;
        }
        const std::vector<ingest::Word> words = toWords(*page);
        const std::vector<extract::CustomField> schema = runSchema(run);
        const QString text = extract::RepetitionGuard::withoutLoop(run.rawOutput);
        const extract::ModelFrame frame{run.resizedWidth, run.resizedHeight, page->rotation};
        const extract::PageExtraction e = extract::extractPage(run.task, text, frame, run.pageIndex, words, extract::AnswerTokens::readFrom(run.params), schema, run.task != u"invoice");
        if (!e.parsed.ok) {
            ++*failures;
            report << QStringLiteral("run #%1 (page %2, %3): still unreadable: %4").arg(run.id).arg(run.pageIndex + 1).arg(run.task, e.parsed.error);
            continue;
        }
        const auto replaced = library.results().replaceRunResults(run.id, e.parsed.result);
        if (!replaced) {
            ++*failures;
            report << QString::fromStdString(replaced.error());
            continue;
        }
        report << QStringLiteral("run #%1 (page %2, %3): %4 fields, %5 lines, %6 tables")
                      .arg(run.id).arg(run.pageIndex + 1).arg(run.task)
                      .arg(e.parsed.result.fields.size()).arg(e.parsed.result.lines.size()).arg(e.parsed.result.tables.size());
        reparsedInvoice = reparsedInvoice || run.task == u"invoice";
    }
    if (reparsedInvoice) {
        const auto checked = revalidateInvoice(library, documentId);
        if (!checked) {
            ++*failures;
            report << QString::fromStdString(checked.error());
        } else {
            for (const extract::InvoiceCheck& c : checked->validation.checks)
                if (c.status == extract::CheckStatus::Failed)
                    report << QStringLiteral("    check failed: %1").arg(c.message);
            for (const QString& reason : checked->unvalidated)
                report << QStringLiteral("    %1").arg(reason);
        }
    }
    return report;
}

} // namespace folio::jobs
