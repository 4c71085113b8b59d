// Re-reading one box: the crop the engine gets, the answer parsed to a value, the call
// stored as a run. The engine is the replay engine (recorded answers in a temporary folder,
// labelled replay) or, to see the image it was given, a recording test double.
#include "testregistry.h"

#include "extract/replayengine.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/jobs/boxreread.h"
#include "ui/jobs/documentimporter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

namespace {

// Answers like the replay engine but keeps the request, to check the crop.
class RecordingEngine final : public extract::Engine {
public:
    QString modelId() const override { return QStringLiteral("test-recorder"); }
    Result<extract::EngineOutput> run(const extract::EngineRequest& request, const extract::TokenProgress&,
                                      const std::atomic<bool>*) override
    {
        last = request;
        extract::EngineOutput out;
        out.text = QStringLiteral("{\"value\": \"2026-03-18\"}");
        return out;
    }
    extract::EngineRequest last;
};

} // namespace

class TstBoxReread : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<storage::Library> m_library;
    qint64 m_doc = 0;

    bool record(const QString& answer)
    {
        QFile f(m_dir.filePath(QStringLiteral("replay/1.txt")));
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(answer.toUtf8()) >= 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("replay")));
        auto library = storage::Library::open(m_dir.filePath(QStringLiteral("library.sqlite")));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        const jobs::ImportOutcome doc = jobs::importDocument(
            *m_library, test::sourceDir() + QStringLiteral("/resources/samples/invoice-fr-atelier-lumiere.pdf"));
        QVERIFY2(doc.status == jobs::ImportOutcome::Status::Added, qPrintable(doc.error));
        m_doc = doc.documentId;
    }

    void parsesTheAnswer_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << QStringLiteral("  1 255,45\n") << QStringLiteral("1 255,45");
        QTest::newRow("fenced") << QStringLiteral("```\n18 rue des Tanneurs\n```") << QStringLiteral("18 rue des Tanneurs");
        QTest::newRow("json value") << QStringLiteral("```json\n{\"value\": \"INV-2026-0412\"}\n```") << QStringLiteral("INV-2026-0412");
        QTest::newRow("json named") << QStringLiteral("{\"grand_total\": \"15 569,17\"}") << QStringLiteral("15 569,17");
        QTest::newRow("quoted") << QStringLiteral("\"Lyon\"") << QStringLiteral("Lyon");
    }
    void parsesTheAnswer()
    {
        QFETCH(QString, answer);
        QFETCH(QString, value);
        const auto parsed = jobs::parseRereadAnswer(answer);
        QVERIFY2(parsed, parsed ? "" : parsed.error().c_str());
        QCOMPARE(*parsed, value);
    }

    void nothingReadIsAnError()
    {
        QVERIFY(!jobs::parseRereadAnswer(QStringLiteral("```\n\n```")));
        QVERIFY(!jobs::parseRereadAnswer(QStringLiteral("  ")));
    }

    void replayedAnswerIsStoredAsARun()
    {
        QVERIFY(record(QStringLiteral("```\n18 rue des Tanneurs\n```")));
        extract::ReplayEngine engine(m_dir.filePath(QStringLiteral("replay")));
        jobs::BoxRereadRequest request{m_doc, 0, QRectF(QPointF(0.18, 0.07), QPointF(0.34, 0.085)),
                                       QStringLiteral("seller_street")};
        const auto reread = jobs::rereadBox(*m_library, engine, request, nullptr);
        QVERIFY2(reread, reread ? "" : reread.error().c_str());
        QCOMPARE(reread->value, QStringLiteral("18 rue des Tanneurs"));
        const auto run = m_library->results().run(reread->runId);
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("ok"));
        QCOMPARE(run->task, QStringLiteral("custom"));
        QVERIFY(run->modelId.startsWith(QStringLiteral("replay")));
        QCOMPARE(run->rawOutput, QStringLiteral("```\n18 rue des Tanneurs\n```"));
        QCOMPARE(run->params.value(QStringLiteral("reread_field")).toString(), QStringLiteral("seller_street"));
    }

    void emptyAnswerIsAFailedRun()
    {
        QVERIFY(record(QStringLiteral("```\n```")));
        extract::ReplayEngine engine(m_dir.filePath(QStringLiteral("replay")));
        const size_t before = m_library->results().runs(m_doc)->size();
        const auto reread = jobs::rereadBox(*m_library, engine, {m_doc, 0, QRectF(0.5, 0.5, 0.1, 0.02), QStringLiteral("x")}, nullptr);
        QVERIFY(!reread);
        QVERIFY2(QString::fromStdString(reread.error()).contains(QStringLiteral("page 1")), reread.error().c_str());
        const auto runs = m_library->results().runs(m_doc);
        QCOMPARE(runs->size(), before + 1);
        QCOMPARE(runs->back().status, QStringLiteral("failed"));
    }

    void engineSeesOnlyTheBox()
    {
        RecordingEngine engine;
        const QRectF box(QPointF(0.70, 0.11), QPointF(0.90, 0.13));
        const auto reread = jobs::rereadBox(*m_library, engine, {m_doc, 0, box, QStringLiteral("issue_date"), 100}, nullptr);
        QVERIFY2(reread, reread ? "" : reread.error().c_str());
        QCOMPARE(reread->value, QStringLiteral("2026-03-18"));
        // A4 at 100 dpi is about 827 × 1169 px; the crop is the box plus 1 % of the page each side.
        const QSize crop = engine.last.image.size();
        QVERIFY2(std::abs(crop.width() - 0.22 * 827) <= 3, qPrintable(QString::number(crop.width())));
        QVERIFY2(std::abs(crop.height() - 0.04 * 1169) <= 3, qPrintable(QString::number(crop.height())));
        QVERIFY(engine.last.prompt.contains(QStringLiteral("issue_date")));
        QVERIFY(!engine.last.draft);
    }

    void boxOffThePageIsRefused()
    {
        RecordingEngine engine;
        const auto reread = jobs::rereadBox(*m_library, engine, {m_doc, 0, QRectF(1.2, 1.2, 0.1, 0.1), QStringLiteral("x")}, nullptr);
        QVERIFY(!reread);
        QVERIFY(engine.last.image.isNull()); // the engine was never asked
    }
};

FOLIO_TEST_CLASS(TstBoxReread)
#include "tst_boxreread.moc"
