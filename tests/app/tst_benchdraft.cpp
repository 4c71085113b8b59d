// `folio bench draft` end to end on one recorded answer: the replay drafts from the page's
// words, sizes drafts by the cost tables it is given, prints per answer and per task for each
// format, and rejects a cost table it cannot use.
#include "folioprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace folio::test;

namespace {

struct TaskLine {
    double tokensPerStep = 0;
    double draftLength = 0;
    double speedup = 0;
};

// The "task invoice <format> ..." line of the per-task summary; all zero when missing.
TaskLine taskLine(const QByteArray& out, const QString& format)
{
    for (const QString& line : QString::fromUtf8(out).split(QLatin1Char('\n'))) {
        const QStringList f = line.simplified().split(QLatin1Char(' '));
        if (f.size() == 9 && f[0] == u"task" && f[1] == u"invoice" && f[2] == format)
            return {f[5].toDouble(), f[7].toDouble(), f[8].chopped(1).toDouble()};
    }
    return {};
}

} // namespace

class TstBenchDraft : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // One recorded invoice answer (a PDF with a text layer), in a recordings folder of its own.
        const QString answerDir = m_dir.filePath(QStringLiteral("recordings/invoice-de-nordlicht/invoice"));
        QVERIFY(QDir().mkpath(answerDir));
        QVERIFY(QFile::copy(recordingsDir() + QStringLiteral("invoice-de-nordlicht/invoice/1.txt"), answerDir + QStringLiteral("/1.txt")));
        writeCosts(QStringLiteral("cheap.json"), QStringLiteral("cheap"), {{"1", 1.0}, {"2", 1.01}, {"4", 1.03}, {"8", 1.07}, {"16", 1.15}});
        writeCosts(QStringLiteral("dear.json"), QStringLiteral("dear"), {{"1", 1.0}, {"2", 1.6}, {"4", 2.8}, {"8", 5.2}, {"16", 10.0}});
        writeCosts(QStringLiteral("nobase.json"), QStringLiteral("bad"), {{"2", 1.1}, {"4", 1.2}});
    }

    void costsPerFormat()
    {
        const FolioRun run = bench({QStringLiteral("--costs"), m_dir.filePath(QStringLiteral("cheap.json")), QStringLiteral("--costs"),
                                    m_dir.filePath(QStringLiteral("dear.json"))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("invoice-de-nordlicht/invoice p1"));
        const TaskLine cheap = taskLine(run.out, QStringLiteral("cheap"));
        const TaskLine dear = taskLine(run.out, QStringLiteral("dear"));
        QVERIFY2(cheap.tokensPerStep > 2.0, run.out.constData()); // most of the answer is copied or repeated
        // Dearer wide steps: shorter drafts, fewer tokens per step, less speed-up.
        QVERIFY2(dear.draftLength < cheap.draftLength, run.out.constData());
        QVERIFY(dear.tokensPerStep < cheap.tokensPerStep);
        QVERIFY(dear.speedup < cheap.speedup);
        QVERIFY(cheap.speedup > 1.0);
    }

    // The page's words are worth tokens: without them (prompt and answer only) fewer per step.
    void pageWordsHelp()
    {
        const QStringList costs{QStringLiteral("--costs"), m_dir.filePath(QStringLiteral("cheap.json"))};
        const FolioRun withPage = bench(costs);
        const FolioRun without = bench(costs + QStringList{QStringLiteral("--draft"), QStringLiteral("answer")});
        QVERIFY2(withPage.exitCode == 0 && without.exitCode == 0, qPrintable(withPage.err + without.err));
        QVERIFY2(taskLine(withPage.out, QStringLiteral("cheap")).tokensPerStep > taskLine(without.out, QStringLiteral("cheap")).tokensPerStep,
                 (withPage.out + without.out).constData());
    }

    void unusableCosts()
    {
        const FolioRun run = bench({QStringLiteral("--costs"), m_dir.filePath(QStringLiteral("nobase.json"))});
        QCOMPARE(run.exitCode == 0, false);
        QVERIFY2(run.err.contains(QStringLiteral("nobase.json")) && run.err.contains(QStringLiteral("one-token")), qPrintable(run.err));
        const FolioRun missing = bench({QStringLiteral("--costs"), m_dir.filePath(QStringLiteral("absent.json"))});
        QCOMPARE(missing.exitCode == 0, false);
        QVERIFY2(missing.err.contains(QStringLiteral("absent.json")), qPrintable(missing.err));
    }

private:
    FolioRun bench(const QStringList& extra)
    {
        return runFolio(QStringList{QStringLiteral("bench"), QStringLiteral("draft"), QStringLiteral("--tokenizer"),
                                    sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny/tokenizer.json"), QStringLiteral("--recordings"),
                                    m_dir.filePath(QStringLiteral("recordings")), QStringLiteral("--samples"), samplesDir(),
                                    QStringLiteral("--ocr"), QStringLiteral("never")}
                        + extra);
    }

    void writeCosts(const QString& name, const QString& format, const QVariantMap& relative)
    {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(QJsonObject{{QStringLiteral("format"), format},
                                          {QStringLiteral("relative_cost"), QJsonObject::fromVariantMap(relative)}})
                    .toJson());
    }

    QTemporaryDir m_dir;
};

FOLIO_TEST_CLASS(TstBenchDraft)
#include "tst_benchdraft.moc"
