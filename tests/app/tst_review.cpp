// `folio review` round trips through the real executable and library (values re-normalised,
// exports holding exactly what was reviewed, reparse keeping it, undo), and a real SIGINT or
// SIGTERM sent to a running `folio extract` on the fixture model leaving a truthful library.
#include "app/folioprocess.h"
#include "testregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

using Run = folio::test::FolioRun;
using folio::test::runFolio;
QString samples() { return folio::test::samplesDir(); }
QString recordings() { return folio::test::recordingsDir(); }

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject fieldNamed(const QJsonObject& doc, const QString& name)
{
    for (const auto& v : doc.value(QStringLiteral("fields")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}

} // namespace

class TstReview : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_serial = 0;
    QString m_db;
    QStringList db() const { return {QStringLiteral("--db"), m_db}; }

    QJsonObject show(const QString& doc)
    {
        const Run r = runFolio(db() + QStringList{QStringLiteral("show"), QStringLiteral("--json"), doc});
        return QJsonDocument::fromJson(r.out).object();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("review-%1.sqlite").arg(++m_serial));
    }

    void editsReachEveryExportAndSurviveReparse()
    {
        const QString doc = samples() + QStringLiteral("invoice-de-nordlicht.pdf");
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("extract"), QStringLiteral("--engine"), QStringLiteral("replay"), QStringLiteral("--replay-dir"),
                                             recordings() + QStringLiteral("invoice-de-nordlicht/invoice"), doc}).exitCode, 0);
        const Run set = runFolio(db() + QStringList{QStringLiteral("review"), doc, QStringLiteral("--author"), QStringLiteral("maria"),
                                                    QStringLiteral("--set"), QStringLiteral("currency=CHF"), QStringLiteral("--set"),
                                                    QStringLiteral("issue_date=16.03.2026"), QStringLiteral("--set"), QStringLiteral("due_date=soon"),
                                                    QStringLiteral("--accept"), QStringLiteral("invoice_number")});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QVERIFY2(set.out.contains("2026-03-16"), set.out.constData());

        QJsonObject shown = show(doc);
        QCOMPARE(fieldNamed(shown, QStringLiteral("currency")).value(QStringLiteral("normalized")).toString(), QStringLiteral("CHF"));
        QCOMPARE(fieldNamed(shown, QStringLiteral("issue_date")).value(QStringLiteral("normalized")).toString(), QStringLiteral("2026-03-16"));
        const QJsonObject due = fieldNamed(shown, QStringLiteral("due_date"));
        QCOMPARE(due.value(QStringLiteral("value")).toString(), QStringLiteral("soon")); // kept as typed
        QVERIFY(due.value(QStringLiteral("flags")).toVariant().toStringList().contains(QStringLiteral("unparsed")));

        // Reparse keeps every reviewed value.
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("reparse"), doc}).exitCode, 0);
        shown = show(doc);
        QCOMPARE(fieldNamed(shown, QStringLiteral("currency")).value(QStringLiteral("value")).toString(), QStringLiteral("CHF"));
        QCOMPARE(fieldNamed(shown, QStringLiteral("invoice_number")).value(QStringLiteral("review_status")).toString(), QStringLiteral("accepted"));

        const QString csv = m_dir.filePath(QStringLiteral("inv.csv")), json = m_dir.filePath(QStringLiteral("inv.json")),
                      xlsx = m_dir.filePath(QStringLiteral("inv.xlsx"));
        for (const auto& [format, path] : {std::pair{QStringLiteral("csv"), csv}, {QStringLiteral("json"), json}, {QStringLiteral("xlsx"), xlsx}})
            QCOMPARE(runFolio(db() + QStringList{QStringLiteral("export"), doc, QStringLiteral("--format"), format, QStringLiteral("--out"), path}).exitCode, 0);
        const QString invoices = QString::fromUtf8(readFile(csv));
        QVERIFY2(invoices.contains(QStringLiteral(",2026-03-16,soon,CHF,")), qPrintable(invoices));
        QVERIFY(invoices.contains(QStringLiteral("maria")));
        const QString fields = QString::fromUtf8(readFile(m_dir.filePath(QStringLiteral("inv-fields.csv"))));
        // After the reparse the model still reads 15.03.2026: the reviewed value stays, as a conflict.
        QVERIFY2(fields.contains(QStringLiteral("issue_date,16.03.2026,2026-03-16,conflict,edited conflict,15.03.2026,maria,")), qPrintable(fields));
        QVERIFY(fields.contains(QStringLiteral("invoice_number,RE-2026-00417,RE-2026-00417,accepted,")));

        const QJsonObject exported = QJsonDocument::fromJson(readFile(json)).object();
        const QJsonObject date = fieldNamed(exported, QStringLiteral("issue_date"));
        QCOMPARE(date.value(QStringLiteral("normalized")).toString(), QStringLiteral("2026-03-16"));
        QCOMPARE(date.value(QStringLiteral("model_value")).toString(), QStringLiteral("15.03.2026"));
        QCOMPARE(date.value(QStringLiteral("review")).toString(), QStringLiteral("conflict"));
        QCOMPARE(date.value(QStringLiteral("last_edited_by")).toString(), QStringLiteral("maria"));

        QProcess unzip;
        unzip.start(QStringLiteral("unzip"), {QStringLiteral("-p"), xlsx, QStringLiteral("xl/sharedStrings.xml")});
        QVERIFY(unzip.waitForFinished(30000));
        const QByteArray strings = unzip.readAllStandardOutput();
        QVERIFY2(strings.contains("<t>CHF</t>"), strings.left(400).constData());
        // EUR is only there as the model's original reading, on the Fields sheet.
        QCOMPARE(strings.count("<t>EUR</t>"), qsizetype(1));
        QVERIFY(strings.contains("<t>maria</t>"));

        // Undo steps back one edit at a time: the accept, then due_date.
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("review"), doc, QStringLiteral("--undo")}).exitCode, 0);
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("review"), doc, QStringLiteral("--undo")}).exitCode, 0);
        shown = show(doc);
        QCOMPARE(fieldNamed(shown, QStringLiteral("invoice_number")).value(QStringLiteral("review_status")).toString(), QStringLiteral("pending"));
        const QJsonObject dueBack = fieldNamed(shown, QStringLiteral("due_date"));
        QCOMPARE(dueBack.value(QStringLiteral("normalized")).toString(), QStringLiteral("2026-04-14"));
        QVERIFY(!dueBack.value(QStringLiteral("flags")).toVariant().toStringList().contains(QStringLiteral("edited")));
        QCOMPARE(fieldNamed(shown, QStringLiteral("currency")).value(QStringLiteral("value")).toString(), QStringLiteral("CHF"));

        // A cell by TABLE:ROW:COL; a wrong name lists what there is.
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("review"), doc, QStringLiteral("--flag"), QStringLiteral("line_items:1:0")}).exitCode, 0);
        const Run wrong = runFolio(db() + QStringList{QStringLiteral("review"), doc, QStringLiteral("--accept"), QStringLiteral("totl")});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(QStringLiteral("grand_total (p.1)")), qPrintable(wrong.err));
    }

    void signalDuringExtractLeavesATruthfulLibrary_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
    }
    void signalDuringExtractLeavesATruthfulLibrary()
    {
        QFETCH(int, signal);
        const QString doc = samples() + QStringLiteral("price-list-kessler.pdf");
        const QString model = folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
        const QStringList common = db() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr"),
                                                      QStringLiteral("--model"), model, QStringLiteral("--dtype"), QStringLiteral("f32"),
                                                      // Unquantized, the random fixture model writes page 2 up to the
                                                      // token limit, so the signal lands mid-page; int8 (the default)
                                                      // cuts it as a repetition within 64 tokens.
                                                      QStringLiteral("--quant"), QStringLiteral("none"),
                                                      QStringLiteral("--retries"), QStringLiteral("0")};
        QProcess p;
        p.start(QStringLiteral(FOLIO_EXE), common + QStringList{QStringLiteral("--max-new-tokens"), QStringLiteral("4000"), doc});
        QVERIFY(p.waitForStarted());
        // Interrupt page 2 once it is generating: page 1 is then finished and stored.
        QString err;
        while (!err.contains(QStringLiteral("(2/2)")) || !err.mid(err.indexOf(QStringLiteral("(2/2)"))).contains(QStringLiteral("tokens"))) {
            QVERIFY2(p.state() == QProcess::Running, qPrintable(err));
            p.waitForReadyRead(1000);
            err += QString::fromUtf8(p.readAllStandardError());
        }
        QCOMPARE(::kill(pid_t(p.processId()), signal), 0);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // it stopped itself, not the signal
        QCOMPARE(p.exitCode(), 128 + signal);

        const QJsonObject shown = show(doc);
        QVERIFY(shown.value(QStringLiteral("document")).toObject().value(QStringLiteral("status")).toString() != u"extracting");
        QJsonArray runs = QJsonDocument::fromJson(runFolio(db() + QStringList{QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--raw"), doc}).out)
                              .object().value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 2);
        const QJsonObject interrupted = runs[1].toObject();
        QCOMPARE(interrupted.value(QStringLiteral("page")).toInt(), 2);
        QCOMPARE(interrupted.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QVERIFY(!interrupted.value(QStringLiteral("raw_output")).toString().isEmpty()); // the partial output
        const QString page1 = runs[0].toObject().value(QStringLiteral("status")).toString();

        // The next run does what is left: page 2, and page 1 again only if it had failed.
        const Run again = runFolio(common + QStringList{QStringLiteral("--max-new-tokens"), QStringLiteral("16"), doc});
        QList<int> pages;
        for (const auto& o : QJsonDocument::fromJson(again.out).array())
            pages << o.toObject().value(QStringLiteral("page")).toInt();
        const QList<int> expected = page1 == u"failed" ? QList<int>{1, 2} : QList<int>{2};
        QCOMPARE(pages, expected);
        if (page1 != u"failed")
            QVERIFY2(again.err.contains(QStringLiteral("page 1 already done")), qPrintable(again.err));
    }
};

FOLIO_TEST_CLASS(TstReview)
#include "tst_review.moc"
