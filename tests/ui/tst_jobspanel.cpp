// The jobs panel on a real extraction job (ui/extractionlauncher.h) run by a scripted engine
// on the thread pool: the engine streams tokens on a made-up clock (250 ms a token) and stops
// in the middle of page 2 until the test lets it go, so the panel is looked at while the job
// runs: page and token counts, tokens/s and the ETA from the measured speed, pages done /
// failed / skipped; then the page note (truncated) that opens its page when clicked.
// With FOLIO_SCREENSHOT_DIR set, the window with the job in progress is saved there.
#include "testregistry.h"

#include "extract/engine.h"
#include "extract/modelframe.h"
#include "storage/library.h"
#include "ui/extractionlauncher.h"
#include "ui/jobrow.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobs/importjob.h"
#include "ui/jobs/progressestimator.h"
#include "ui/jobspanel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <condition_variable>
#include <mutex>

using namespace folio;

namespace {

constexpr qint64 kMsPerToken = 250;
constexpr int kTokensBeforeGate = 8;
// Totals that do not add up (100 + 20 is not 150): the invoice's check fails.
const QString kAnswer = QStringLiteral(R"({"invoice_number": {"value": "RE-2026-00417"}, "currency": {"value": "EUR"},
 "net_total": {"value": "100.00"}, "tax_total": {"value": "20.00"}, "grand_total": {"value": "150.00"}})");

// Shared by the test and the engine on the worker.
struct Script {
    std::atomic<qint64> nowMs{0};
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false; // page 2 may go on
};

// Streams kAnswer four characters a token; page 2 waits after kTokensBeforeGate tokens and
// then ends at the token cap (truncated).
class GatedEngine final : public extract::Engine {
public:
    explicit GatedEngine(Script* script) : m_script(script) {}
    QString modelId() const override { return QStringLiteral("scripted"); }
    bool canResample() const override { return false; }
    Result<extract::EngineOutput> run(const extract::EngineRequest& request, const extract::TokenProgress& progress,
                                      const std::atomic<bool>* cancel) override
    {
        extract::EngineOutput out;
        const auto frame = extract::modelInputSize(request.image.size(), request.minPixels, request.maxPixels);
        out.resizedWidth = frame->width();
        out.resizedHeight = frame->height();
        out.stopReason = request.pageIndex == 1 ? QStringLiteral("max_tokens") : QStringLiteral("eos");
        for (int pos = 0, tokens = 1; pos < kAnswer.size(); pos += 4, ++tokens) {
            if (request.pageIndex == 1 && tokens == kTokensBeforeGate + 1) {
                std::unique_lock lock(m_script->mutex);
                m_script->cv.wait(lock, [&] { return m_script->open || (cancel && cancel->load()); });
            }
            if (cancel && cancel->load())
                return makeError("cancelled");
            m_script->nowMs += kMsPerToken;
            out.text = kAnswer.left(pos + 4);
            out.generatedTokens = tokens;
            if (progress)
                progress(tokens, out.text);
        }
        return out;
    }

private:
    Script* m_script;
};

int tokensOf(const QString& text)
{
    return int((text.size() + 3) / 4);
}

} // namespace

class TstJobsPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_doc = 0;

    void release(Script& script)
    {
        {
            const std::lock_guard lock(script.mutex);
            script.open = true;
        }
        script.cv.notify_all();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("jobs.sqlite"));
        auto library = storage::Library::open(m_db);
        QVERIFY(library);
        const jobs::ImportOutcome two = jobs::importDocument(
            **library, test::sourceDir() + QStringLiteral("/resources/samples/invoice-de-nordlicht-scan-2pages.tiff"));
        QVERIFY2(two.status == jobs::ImportOutcome::Status::Added, qPrintable(two.error));
        m_doc = two.documentId;
    }

    void showsTokenProgressAndEtaWhileRunning()
    {
        ui::MainWindow window(m_db);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openDocument(m_doc, 0));
        ui::JobsPanel* panel = window.jobsPanel();

        Script script;
        ui::ExtractionHooks hooks;
        hooks.engine = [&script]() -> Result<std::unique_ptr<extract::Engine>> { return std::unique_ptr<extract::Engine>(new GatedEngine(&script)); };
        hooks.clock = [&script] { return script.nowMs.load(); };
        ui::ExtractionLaunch job = ui::startExtraction(m_db, m_doc, QStringLiteral("invoice"), ui::Settings{}, hooks);
        QFutureWatcher<jobs::PageOutcome> watcher;
        watcher.setFuture(job.future);
        panel->addExtractionJob(QStringLiteral("Extract scan (invoice)"), &watcher, job.cancel, job.progress, m_doc,
                                QStringLiteral("scan.tiff"));
        QCOMPARE(panel->rows().size(), 1);
        ui::JobRow* row = panel->rows().first();

        // Page 1 took all its tokens at 250 ms each; page 2 has 8 tokens in 2 s so far.
        QTRY_VERIFY2(row->detail().contains(QStringLiteral("%1 tokens").arg(kTokensBeforeGate)), qPrintable(row->detail()));
        const QString detail = row->detail();
        QVERIFY2(detail.contains(QStringLiteral("page 2 of 2")), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("4.0 tokens/s")), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("1 done, 0 failed, 0 skipped")), qPrintable(detail));
        // One page took tokensOf(kAnswer) × 250 ms; the next is expected to take as long, and
        // 2 s of it are spent.
        const double pageSeconds = tokensOf(kAnswer) * kMsPerToken / 1000.0;
        const QString eta = QStringLiteral("about %1 left").arg(jobs::formatDuration(pageSeconds - kTokensBeforeGate * kMsPerToken / 1000.0));
        QVERIFY2(detail.contains(eta), qPrintable(detail + QStringLiteral(" / expected ") + eta));
        // The label a person reads says the same.
        auto* label = row->findChild<QLabel*>(QStringLiteral("jobDetail"));
        QVERIFY(label && label->isVisible());
        QCOMPARE(label->text(), detail);

        if (const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(window.grab().save(dir + QStringLiteral("/job-in-progress.png")));

        QSignalSpy activated(panel, &ui::JobsPanel::pageActivated);
        release(script);
        QTRY_VERIFY(watcher.isFinished());
        QTRY_COMPARE(panel->runningJobs(), 0);

        // Page 2 ended at the token cap: a note that opens page 2 of the document; the
        // invoice's failed total check is noted once, on its first page.
        auto* notes = panel->findChild<QListWidget*>(QStringLiteral("jobNotes"));
        QVERIFY(notes);
        QTRY_COMPARE(notes->count(), 2);
        QVERIFY2(notes->item(0)->text().startsWith(QStringLiteral("scan.tiff p.2: truncated")), qPrintable(notes->item(0)->text()));
        QVERIFY2(notes->item(1)->text().startsWith(QStringLiteral("scan.tiff p.1: check failed")), qPrintable(notes->item(1)->text()));
        QTest::mouseClick(notes->viewport(), Qt::LeftButton, {}, notes->visualItemRect(notes->item(0)).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toLongLong(), m_doc);
        QCOMPARE(activated.first().at(1).toInt(), 1);
        QCOMPARE(window.currentPage(), 1); // the window turned to it
    }

    void speedIsUnknownBeforeAnyToken()
    {
        // Nothing measured yet: the row says so instead of inventing a number.
        ui::JobsPanel panel;
        QFutureInterface<jobs::PageOutcome> never;
        never.reportStarted();
        QFutureWatcher<jobs::PageOutcome> watcher;
        watcher.setFuture(never.future());
        const auto progress = jobs::JobProgress::make([] { return qint64(0); });
        panel.addExtractionJob(QStringLiteral("Extract"), &watcher, nullptr, progress, 1, QStringLiteral("a.pdf"));
        Q_EMIT progress->pageStarted(0, 0, 1, 3, 512);
        QTRY_VERIFY(panel.rows().first()->detail().contains(QStringLiteral("page 1 of 3")));
        const QString detail = panel.rows().first()->detail();
        QVERIFY2(detail.contains(QStringLiteral("time left: measuring")), qPrintable(detail));
        QVERIFY2(!detail.contains(QStringLiteral("tokens/s")), qPrintable(detail));
        // With a token speed but no finished page, the token cap bounds the time left.
        Q_EMIT progress->tokens(2000, 0, 8);
        QTRY_VERIFY(panel.rows().first()->detail().contains(QStringLiteral("4.0 tokens/s")));
        // (512 − 8) / 4 + 2 pages × 512 / 4 = 126 + 256 s.
        QVERIFY2(panel.rows().first()->detail().contains(QStringLiteral("at most 6 min 22 s left")), qPrintable(panel.rows().first()->detail()));
        never.reportFinished();
        QTRY_COMPARE(panel.runningJobs(), 0);
    }

    void importEtaFromMeasuredSpeed()
    {
        // A job that reports only a count (an import): timed by the panel's clock.
        ui::JobsPanel panel;
        qint64 now = 0;
        panel.setClock([&now] { return now; });
        QFutureInterface<jobs::ImportOutcome> import;
        import.reportStarted();
        QFutureWatcher<jobs::ImportOutcome> watcher;
        watcher.setFuture(import.future());
        panel.addJob(QStringLiteral("Import 4 items"), &watcher, nullptr);
        ui::JobRow* row = panel.rows().first();
        import.setProgressRange(0, 4);
        QTRY_VERIFY(row->detail().contains(QStringLiteral("0 of 4 files")));
        QVERIFY2(row->detail().contains(QStringLiteral("time left: measuring")), qPrintable(row->detail()));
        now = 10000;
        import.setProgressValue(2);
        QTRY_VERIFY(row->detail().contains(QStringLiteral("2 of 4 files")));
        QVERIFY2(row->detail().contains(QStringLiteral("about 10 s left")), qPrintable(row->detail()));
        import.reportFinished();
        QTRY_COMPARE(panel.runningJobs(), 0);
    }
};

FOLIO_TEST_CLASS(TstJobsPanel)
#include "tst_jobspanel.moc"
