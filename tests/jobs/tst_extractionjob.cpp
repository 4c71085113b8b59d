// The extraction job driven directly by a scripted engine that can answer, loop, truncate,
// fail and resample, through a real library in a temporary folder: retries and their
// temperature schedule, one count per page in the cross-page invoice checks, blank pages,
// validation that could not run, cancellation with the partial output stored, resume.
#include "testregistry.h"

#include "extract/engine.h"
#include "extract/modelframe.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobs/extractionjob.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace folio;

namespace {

// One scripted answer per (page, attempt). Text is streamed four characters a token.
struct Step {
    enum class Kind { Answer, Loop, Truncate, Fail, CancelMidway } kind = Kind::Answer;
    QString text;
};

class ScriptedEngine final : public extract::Engine {
public:
    std::map<int, std::vector<Step>> script; // page → attempts
    std::atomic<bool>* cancelFlag = nullptr; // CancelMidway sets it, as a user would
    struct Call {
        int page;
        std::optional<double> temperature;
    };
    std::vector<Call> calls;

    QString modelId() const override { return QStringLiteral("scripted"); }
    Result<extract::EngineOutput> run(const extract::EngineRequest& request, const extract::TokenProgress& progress,
                                      const std::atomic<bool>* cancel) override
    {
        calls.push_back({request.pageIndex, request.temperature});
        int attempt = 0;
        for (const Call& c : calls)
            attempt += c.page == request.pageIndex;
        const std::vector<Step>& steps = script[request.pageIndex];
        if (steps.empty() || attempt > int(steps.size()))
            return makeError("no scripted answer");
        const Step& step = steps[size_t(attempt - 1)];
        if (step.kind == Step::Kind::Fail)
            return makeError(step.text.toStdString());
        QString full = step.text;
        if (step.kind == Step::Kind::Loop)
            for (int i = 0; i < 200; ++i)
                full += QStringLiteral("{\"value\": \"again\"},");
        extract::EngineOutput out;
        const auto frame = extract::modelInputSize(request.image.size(), request.minPixels, request.maxPixels);
        out.resizedWidth = frame->width();
        out.resizedHeight = frame->height();
        out.stopReason = step.kind == Step::Kind::Truncate ? QStringLiteral("max_tokens") : QStringLiteral("eos");
        for (int pos = 0, tokens = 1; pos < full.size(); pos += 4, ++tokens) {
            if (step.kind == Step::Kind::CancelMidway && pos >= full.size() / 2 && cancelFlag)
                cancelFlag->store(true);
            if (cancel && cancel->load())
                return makeError("cancelled");
            out.text = full.left(pos + 4);
            out.generatedTokens = tokens;
            if (progress && !progress(tokens, out.text)) {
                out.stopReason = QStringLiteral("stopped");
                break;
            }
        }
        return out;
    }
};

QString samples() { return folio::test::sourceDir() + QStringLiteral("/resources/samples/"); }

// A two-page invoice in our own words: two items on page 1, the totals on page 2.
const QString page1 = QStringLiteral(R"({"invoice_number": {"value": "T-1"}, "currency": {"value": "EUR"},
 "line_items": [{"description": {"value": "A"}, "quantity": {"value": "1"}, "unit_price": {"value": "100.00"}, "tax_rate": {"value": "20%"}, "amount": {"value": "100.00"}},
                {"description": {"value": "B"}, "quantity": {"value": "1"}, "unit_price": {"value": "50.00"}, "tax_rate": {"value": "20%"}, "amount": {"value": "50.00"}}]})");
const QString page2 = QStringLiteral(R"({"net_total": {"value": "150.00"}, "tax_total": {"value": "30.00"}, "grand_total": {"value": "180.00"}})");

} // namespace

class TstExtractionJob : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto library = storage::Library::open(m_dir.filePath(QStringLiteral("jobs-%1.sqlite").arg(++m_serial)));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
    }
    void cleanup() { m_library.reset(); }

    void retriedPageCountsOnceInTheInvoiceChecks()
    {
        const qint64 doc = import(samples() + QStringLiteral("invoice-fr-atelier-lumiere.pdf"));
        ScriptedEngine engine;
        engine.script[0] = {{Step::Kind::Loop, page1.left(page1.size() - 2) + QStringLiteral(",")}, {Step::Kind::Answer, page1}};
        engine.script[1] = {{Step::Kind::Answer, page2}};
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, options(), {}, nullptr);
        QCOMPARE(outcomes.size(), std::size_t(2));
        QCOMPARE(outcomes[0].attempts, 2);
        QCOMPARE(outcomes[0].status, QStringLiteral("ok"));
        // Greedy first, then 0.3 higher.
        QCOMPARE(engine.calls.size(), std::size_t(3));
        QVERIFY(!engine.calls[0].temperature);
        QCOMPARE(*engine.calls[1].temperature, 0.3);

        // Both attempts are on record; only the second one's items count: 100 + 50 = 150.
        const auto runs = m_library->results().runs(doc);
        QVERIFY(runs);
        int page1Runs = 0;
        for (const storage::RunRecord& r : *runs)
            page1Runs += r.pageIndex == 0;
        QCOMPARE(page1Runs, 2);
        const auto results = m_library->results().results(doc);
        QVERIFY(results);
        for (const storage::StoredField& f : results->fields) {
            QVERIFY2(!f.field.flags.testFlag(extract::Flag::SumMismatch), qPrintable(f.field.name));
            QVERIFY2(!f.field.flags.testFlag(extract::Flag::Unvalidated), qPrintable(f.field.name));
        }
        QCOMPARE(m_library->document(doc)->doc.status, QStringLiteral("needs_review"));
    }

    void temperatureRisesPerRetryUntilTheAnswerReads()
    {
        const qint64 doc = import(samples() + QStringLiteral("invoice-us-cascade.pdf"));
        ScriptedEngine engine;
        engine.script[0] = {{Step::Kind::Answer, QStringLiteral("no json here")}, {Step::Kind::Fail, QStringLiteral("out of memory")}};
        jobs::ExtractionOptions o = options();
        o.maxRetries = 2;
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, o, {}, nullptr);
        QCOMPARE(outcomes.front().status, QStringLiteral("failed"));
        QVERIFY2(outcomes.front().error.contains(QStringLiteral("out of memory")), qPrintable(outcomes.front().error));
        QVERIFY(!outcomes.front().stored);
        QCOMPARE(engine.calls.size(), std::size_t(2)); // an engine error is not retried
        QCOMPARE(jobs::retryTemperature(1), 0.0);
        QCOMPARE(jobs::retryTemperature(3), 0.6);
        // Nothing stored: the document keeps its status.
        QCOMPARE(m_library->document(doc)->doc.status, QStringLiteral("ingested"));
    }

    void truncatedPageMakesTheInvoiceUnvalidated()
    {
        const qint64 doc = import(samples() + QStringLiteral("invoice-fr-atelier-lumiere.pdf"));
        ScriptedEngine engine;
        engine.script[0] = {{Step::Kind::Truncate, page1.left(page1.indexOf(QStringLiteral("{\"description\": {\"value\": \"B\"}")))}};
        engine.script[1] = {{Step::Kind::Answer, page2}};
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, options(), {}, nullptr);
        QCOMPARE(outcomes[0].status, QStringLiteral("truncated"));
        QVERIFY2(outcomes[1].notes.join(u'\n').contains(QStringLiteral("page 1 was cut off")), qPrintable(outcomes[1].notes.join(u'\n')));
        bool flagged = false;
        for (const storage::StoredField& f : fields(doc))
            flagged = flagged || (f.field.name == u"net_total" && f.field.flags.testFlag(extract::Flag::Unvalidated));
        QVERIFY(flagged);
    }

    void blankPagesAreSkippedNotAsked()
    {
        QImage white(600, 800, QImage::Format_RGB32);
        white.fill(Qt::white);
        const QString path = m_dir.filePath(QStringLiteral("blank-%1.png").arg(m_serial));
        QVERIFY(white.save(path));
        const qint64 doc = import(path);
        ScriptedEngine engine;
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, options(QStringLiteral("ocr")), {}, nullptr);
        QCOMPARE(outcomes.front().status, QStringLiteral("blank"));
        QVERIFY(engine.calls.empty());
        QCOMPARE(m_library->results().runs(doc)->front().status, QStringLiteral("blank"));
    }

    void cancelStoresThePartialRunAndResumes()
    {
        const qint64 doc = import(samples() + QStringLiteral("invoice-fr-atelier-lumiere.pdf"));
        std::atomic<bool> cancel{false};
        ScriptedEngine engine;
        engine.cancelFlag = &cancel;
        engine.script[0] = {{Step::Kind::Answer, page1}};
        engine.script[1] = {{Step::Kind::CancelMidway, page2}};
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, options(), {}, &cancel);
        QCOMPARE(outcomes.size(), std::size_t(2));
        QCOMPARE(outcomes[1].status, QStringLiteral("cancelled"));
        const auto runs = m_library->results().runs(doc);
        QCOMPARE(runs->back().status, QStringLiteral("cancelled"));
        QVERIFY(!runs->back().rawOutput.isEmpty());
        QVERIFY(page2.startsWith(runs->back().rawOutput));
        QVERIFY(runs->back().rawOutput.size() < page2.size());
        // Page 1 is stored; the invoice says page 2 was not read.
        QCOMPARE(m_library->document(doc)->doc.status, QStringLiteral("needs_review"));
        bool unvalidated = false;
        for (const storage::StoredField& f : fields(doc))
            unvalidated = unvalidated || f.field.flags.testFlag(extract::Flag::Unvalidated);
        QVERIFY(unvalidated);

        // The next run does page 2 only, and the invoice is complete.
        ScriptedEngine again;
        again.script[1] = {{Step::Kind::Answer, page2}};
        std::vector<QString> notes;
        const auto resumed = jobs::runExtraction(*m_library, doc, again, options(), [&](const jobs::ExtractionEvent& e) {
            if (e.kind == jobs::ExtractionEvent::Kind::Note)
                notes.push_back(e.text);
        }, nullptr);
        QCOMPARE(again.calls.size(), std::size_t(1));
        QCOMPARE(again.calls.front().page, 1);
        QCOMPARE(resumed.front().status, QStringLiteral("ok"));
        QVERIFY(!notes.empty() && notes.front().contains(QStringLiteral("page 1 already done")));
        for (const storage::StoredField& f : fields(doc)) {
            QVERIFY2(!f.field.flags.testFlag(extract::Flag::Unvalidated), qPrintable(f.field.name));
            QVERIFY2(!f.field.flags.testFlag(extract::Flag::SumMismatch), qPrintable(f.field.name));
        }
    }

    void cancelBeforeAnythingLeavesTheStatus()
    {
        const qint64 doc = import(samples() + QStringLiteral("invoice-us-cascade.pdf"));
        std::atomic<bool> cancel{false};
        ScriptedEngine engine;
        engine.cancelFlag = &cancel;
        engine.script[0] = {{Step::Kind::CancelMidway, QStringLiteral("{\"invoice_number\": {\"value\": \"X\"}}")}};
        const auto outcomes = jobs::runExtraction(*m_library, doc, engine, options(), {}, &cancel);
        QCOMPARE(outcomes.front().status, QStringLiteral("cancelled"));
        QCOMPARE(m_library->document(doc)->doc.status, QStringLiteral("ingested"));
        QVERIFY(fields(doc).empty());
    }

private:
    static jobs::ExtractionOptions options(const QString& task = QStringLiteral("invoice"))
    {
        jobs::ExtractionOptions o;
        o.task = task;
        o.dpi = 50; // small pages: the engine only needs their size
        o.readEInvoice = false;
        return o;
    }

    std::vector<storage::StoredField> fields(qint64 doc)
    {
        auto results = m_library->results().results(doc);
        return results ? results->fields : std::vector<storage::StoredField>{};
    }

    qint64 import(const QString& path)
    {
        const jobs::ImportOutcome o = jobs::importDocument(*m_library, path);
        [&] { QVERIFY2(o.status == jobs::ImportOutcome::Status::Added, qPrintable(o.error)); }();
        return o.documentId;
    }

    QTemporaryDir m_dir;
    int m_serial = 0;
    std::unique_ptr<storage::Library> m_library;
};

FOLIO_TEST_CLASS(TstExtractionJob)
#include "tst_extractionjob.moc"
