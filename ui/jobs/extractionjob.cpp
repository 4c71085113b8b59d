#include "ui/jobs/extractionjob.h"

#include "extract/blankpage.h"
#include "extract/einvoice.h"
#include "extract/einvoicecomparison.h"
#include "extract/einvoicelocator.h"
#include "extract/pageextraction.h"
#include "extract/pagewordstext.h"
#include "extract/repetitionguard.h"
#include "ingest/documentopener.h"
#include "storage/library.h"
#include "storage/resultstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>

namespace folio::jobs {

namespace {

    std::vector<ingest::Word> toWords(const storage::PageWords& page)
    {
        std::vector<ingest::Word> words;
        words.reserve(page.words.size());
        for (const storage::WordRecord& w : page.words)
            words.push_back(ingest::Word{w.text, w.box, w.lineIndex});
        return words;
    }

    // The page's text-layer words; none when the page cannot be read (the cross-check then
    // simply has nothing to compare with, as on a scan).
    std::vector<ingest::Word> pageWords(storage::Library& library, qint64 documentId, int page)
    {
        const auto stored = library.words(documentId, page);
        return stored ? toWords(*stored) : std::vector<ingest::Word>{};
    }

    QJsonArray schemaJson(const std::vector<extract::CustomField>& schema)
    {
        QJsonArray a;
        for (const extract::CustomField& f : schema)
            a.append(QJsonObject{{QStringLiteral("name"), f.name}, {QStringLiteral("description"), f.description}, {QStringLiteral("type"), f.type}});
        return a;
    }

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

    // Imports an embedded e-invoice as the page-1 invoice result (exact, no model), after
    // comparing it with what the model read; the model's run stays in the history.
    void importEInvoice(storage::Library& library, qint64 documentId, const QString& path, int pageCount,
                        const std::vector<extract::Field>& modelFields, std::vector<PageOutcome>& outcomes,
                        const ExtractionProgress& progress)
    {
        const auto read = extract::readEmbeddedEInvoice(path);
        if (!read) {
            PageOutcome o;
            o.status = QStringLiteral("failed");
            o.error = QString::fromStdString(read.error());
            outcomes.push_back(o);
            return;
        }
        if (!read->has_value())
            return;
        extract::EInvoice invoice = **read;
        extract::PageWords words;
        for (int p = 0; p < pageCount; ++p)
            words.push_back(pageWords(library, documentId, p));
        extract::locateOnPage(invoice, words);

        extract::PageResult result;
        result.page = 0;
        for (extract::Field f : invoice.fields) {
            if (f.box.valid() && f.box.page != 0)
                f.box = extract::Box{}; // the run belongs to page 1; the value stays, its box does not
            result.fields.push_back(f);
        }
        extract::Table items = invoice.lineItems;
        for (extract::Cell& c : items.cells)
            if (c.box.valid() && c.box.page != 0)
                c.box = extract::Box{};
        items.box = extract::Box{};
        for (const extract::Cell& c : items.cells)
            items.box = items.box.united(c.box);
        if (!items.cells.empty())
            result.tables.push_back(items);

        PageOutcome o;
        o.page = 0;
        o.status = QStringLiteral("ok");
        o.notes << QStringLiteral("embedded %1 e-invoice \"%2\" imported as exact values").arg(invoice.syntax, invoice.attachmentName);
        QJsonArray comparison;
        if (!modelFields.empty()) {
            const extract::EInvoiceComparison cmp = extract::compareWithModel(invoice, modelFields);
            for (const extract::FieldComparison& item : cmp.fields)
                comparison.append(QJsonObject{{QStringLiteral("field"), item.name},
                                              {QStringLiteral("agreement"), extract::agreementName(item.agreement)}});
            const int agree = cmp.count(extract::Agreement::Agree), disagree = cmp.count(extract::Agreement::Disagree);
            o.notes << QStringLiteral("model vs e-invoice: %1 fields agree, %2 disagree").arg(agree).arg(disagree);
        }

        storage::RunRecord run;
        run.documentId = documentId;
        run.pageIndex = 0;
        run.task = QStringLiteral("invoice");
        run.modelId = QStringLiteral("e-invoice (%1, %2)").arg(invoice.syntax, invoice.attachmentName);
        run.promptVersion = invoice.profile;
        run.params = QJsonObject{{QStringLiteral("attachment"), invoice.attachmentName}, {QStringLiteral("comparison"), comparison}};
        run.status = QStringLiteral("ok");
        run.startedAt = run.finishedAt = QDateTime::currentDateTimeUtc();
        const auto stored = library.results().storePageResult(run, result);
        if (!stored) {
            o.status = QStringLiteral("failed");
            o.error = QString::fromStdString(stored.error());
        } else {
            o.runId = *stored;
        }
        countResults(result, o);
        outcomes.push_back(o);
        if (progress)
            progress(ExtractionEvent{ExtractionEvent::Kind::Note, 0, 0, 0, 0, o.notes.join(QStringLiteral("; ")), &outcomes.back()});
    }

} // namespace

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

    if (const auto status = library.setDocumentStatus(documentId, QStringLiteral("extracting")); !status)
        return fail(0, QString::fromStdString(status.error()));
    // A multi-page invoice is one invoice: its sums are checked over all pages before storing.
    const bool deferInvoice = options.task == u"invoice" && pages.size() > 1;
    struct Pending {
        storage::RunRecord run;
        extract::PageResult result;
        size_t outcome;
    };
    std::vector<Pending> pending;
    std::vector<extract::Field> modelInvoiceFields;
    const QJsonObject baseParams{{QStringLiteral("dpi"), options.dpi},
                                 {QStringLiteral("min_pixels"), options.minPixels},
                                 {QStringLiteral("max_pixels"), options.maxPixels},
                                 {QStringLiteral("max_new_tokens"), options.maxNewTokens > 0 ? options.maxNewTokens : prompt->maxNewTokens},
                                 {QStringLiteral("schema"), schemaJson(options.schema)},
                                 {QStringLiteral("draft"), options.draft ? QStringLiteral("auto") : QStringLiteral("off")}};

    for (size_t i = 0; i < pages.size(); ++i) {
        const int page = pages[i];
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
                outcome.runId = *id;
            else
                outcome.error += QStringLiteral(" (the run could not be stored: %1)").arg(QString::fromStdString(id.error()));
        };
        const auto finish = [&](const QString& status, const QString& error) {
            outcome.status = status;
            outcome.error = error;
            run.status = status;
            run.error = error;
            run.finishedAt = QDateTime::currentDateTimeUtc();
        };

        if (cancel && cancel->load()) {
            finish(QStringLiteral("cancelled"), {});
            outcomes.push_back(outcome);
            break;
        }
        const auto info = doc.pageInfo(page);
        const auto image = doc.render(page, options.dpi, cancel);
        const std::vector<ingest::Word> words = pageWords(library, documentId, page);
        if (!info || !image) {
            const bool cancelled = cancel && cancel->load();
            finish(cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed"),
                   cancelled ? QString() : QString::fromStdString(!info ? info.error() : image.error()));
            if (!cancelled)
                keepRun(run);
            outcomes.push_back(outcome);
            if (cancelled)
                break;
            continue;
        }
        if (options.skipBlankPages && words.empty() && extract::isBlankPage(*image)) {
            finish(QStringLiteral("blank"), {});
            const auto id = library.results().storeRun(run);
            outcome.runId = id ? *id : 0;
            outcome.seconds = timer.nsecsElapsed() / 1e9;
            outcomes.push_back(outcome);
            if (progress)
                progress(ExtractionEvent{ExtractionEvent::Kind::PageFinished, page, int(i) + 1, int(pages.size()), 0, {}, &outcomes.back()});
            continue;
        }

        extract::EngineRequest request;
        request.image = *image;
        request.pageIndex = page;
        request.systemPrompt = prompt->systemPrompt;
        request.prompt = prompt->userPrompt;
        request.maxNewTokens = options.maxNewTokens > 0 ? options.maxNewTokens : prompt->maxNewTokens;
        request.minPixels = options.minPixels;
        request.maxPixels = options.maxPixels;
        request.draft = options.draft;
        request.draftHint = extract::pageWordsText(words); // the model mostly copies what is printed

        const int maxAttempts = engine.canResample() ? 1 + std::max(0, options.maxRetries) : 1;
        for (int attempt = 1; attempt <= maxAttempts; ++attempt) {
            outcome.attempts = attempt;
            run.attempt = attempt;
            run.startedAt = QDateTime::currentDateTimeUtc();
            if (attempt > 1)
                request.temperature = 0.3 * (attempt - 1); // leave the greedy path that looped or broke
            run.params = baseParams;
            if (request.temperature)
                run.params.insert(QStringLiteral("temperature"), *request.temperature);

            bool looped = false;
            const auto onTokens = [&](int tokens, const QString& text) {
                if (progress)
                    progress(ExtractionEvent{ExtractionEvent::Kind::Token, page, int(i) + 1, int(pages.size()), tokens, text, nullptr});
                // Checking every token would cost O(n) each; every 16 is plenty to stop a loop early.
                if (tokens % 16 == 0)
                    looped = extract::RepetitionGuard::endsInLoop(text);
                return !looped;
            };
            const auto output = engine.run(request, onTokens, cancel);
            if (cancel && cancel->load()) {
                finish(QStringLiteral("cancelled"), {});
                break;
            }
            if (!output) {
                finish(QStringLiteral("failed"), QStringLiteral("%1, page %2: %3").arg(path).arg(page + 1).arg(QString::fromStdString(output.error())));
                keepRun(run);
                break;
            }
            run.rawOutput = output->text;
            run.resizedWidth = output->resizedWidth;
            run.resizedHeight = output->resizedHeight;
            run.timings = output->timings;
            // A loop that began after the last check (or a recorded one) is caught here.
            looped = looped || extract::RepetitionGuard::endsInLoop(output->text);
            const QString text = looped ? extract::RepetitionGuard::withoutLoop(output->text) : output->text;
            const extract::ModelFrame frame{output->resizedWidth, output->resizedHeight, info->rotation};
            extract::PageExtraction extraction = extract::extractPage(options.task, text, frame, page, words, options.schema, !deferInvoice);
            outcome.notes = summarize(extraction);

            if (!extraction.parsed.ok) {
                finish(looped ? QStringLiteral("repetition") : QStringLiteral("failed"),
                       QStringLiteral("%1, page %2: the answer could not be read: %3").arg(path).arg(page + 1).arg(extraction.parsed.error));
                const auto id = library.results().storeRun(run);
                outcome.runId = id ? *id : 0;
                if (attempt < maxAttempts)
                    continue;
                break;
            }
            const bool truncated = extraction.parsed.result.truncated || output->stopReason == u"max_tokens";
            finish(looped ? QStringLiteral("repetition") : truncated ? QStringLiteral("truncated") : QStringLiteral("ok"), {});
            if (looped)
                outcome.notes << QStringLiteral("the answer repeated itself; generation was stopped and the repeated tail dropped");
            countResults(extraction.parsed.result, outcome);
            if (deferInvoice) {
                // Stored after the whole invoice is validated across its pages (below).
                pending.push_back(Pending{run, extraction.parsed.result, outcomes.size()});
                if (!looped || attempt == maxAttempts)
                    break;
                continue;
            }
            const auto id = library.results().storePageResult(run, extraction.parsed.result);
            if (!id) {
                finish(QStringLiteral("failed"), QString::fromStdString(id.error()));
                break;
            }
            outcome.runId = *id;
            if (options.task == u"invoice")
                modelInvoiceFields.insert(modelInvoiceFields.end(), extraction.parsed.result.fields.begin(), extraction.parsed.result.fields.end());
            if (!looped || attempt == maxAttempts)
                break;
        }
        outcome.seconds = timer.nsecsElapsed() / 1e9;
        outcomes.push_back(outcome);
        if (progress)
            progress(ExtractionEvent{ExtractionEvent::Kind::PageFinished, page, int(i) + 1, int(pages.size()), 0, {}, &outcomes.back()});
        if (outcome.status == u"cancelled")
            break;
    }

    if (!pending.empty()) {
        std::vector<extract::PageResult*> results;
        for (Pending& p : pending)
            results.push_back(&p.result);
        const extract::InvoiceValidation validation = extract::validateAcrossPages(results);
        QStringList failedChecks;
        for (const extract::InvoiceCheck& c : validation.checks)
            if (c.status == extract::CheckStatus::Failed)
                failedChecks << QStringLiteral("check failed: %1").arg(c.message);
        for (Pending& p : pending) {
            PageOutcome& o = outcomes[p.outcome];
            const auto id = library.results().storePageResult(p.run, p.result);
            if (!id) {
                o.status = QStringLiteral("failed");
                o.error = QString::fromStdString(id.error());
                continue;
            }
            o.runId = *id;
            countResults(p.result, o);
            o.notes << failedChecks;
        }
    }

    const bool cancelled = cancel && cancel->load();
    if (!cancelled && options.task == u"invoice" && options.readEInvoice && doc.kind() == ingest::DocumentKind::Pdf)
        importEInvoice(library, documentId, path, doc.pageCount(), modelInvoiceFields, outcomes, progress);

    const bool anyStored = std::any_of(outcomes.begin(), outcomes.end(), [](const PageOutcome& o) {
        return o.runId > 0 && o.status != u"failed" && o.status != u"blank";
    });
    if (const auto status = library.setDocumentStatus(documentId, anyStored ? QStringLiteral("needs_review") : detail->doc.status); !status) {
        PageOutcome o;
        o.status = QStringLiteral("failed");
        o.error = QString::fromStdString(status.error());
        outcomes.push_back(o);
    }
    return outcomes;
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
    for (const storage::RunRecord& run : *runs) {
        if (run.supersededBy != 0 || run.rawOutput.isEmpty() || run.modelId.startsWith(QLatin1String("e-invoice")))
            continue;
        const auto page = library.words(documentId, run.pageIndex);
        if (!page) {
            ++*failures;
            report << QString::fromStdString(page.error());
            continue;
        }
        const std::vector<ingest::Word> words = toWords(*page);
        std::vector<extract::CustomField> schema;
        for (const auto& v : run.params.value(QStringLiteral("schema")).toArray()) {
            const QJsonObject o = v.toObject();
            schema.push_back(extract::CustomField{o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("description")).toString(),
                                                  o.value(QStringLiteral("type")).toString()});
        }
        const QString text = extract::RepetitionGuard::withoutLoop(run.rawOutput);
        const extract::ModelFrame frame{run.resizedWidth, run.resizedHeight, page->rotation};
        const extract::PageExtraction e = extract::extractPage(run.task, text, frame, run.pageIndex, words, schema);
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
    }
    return report;
}

} // namespace folio::jobs
