// The `folio` command line end to end: the real executable against a temporary --db.
#include "app/folioprocess.h"
#include "testregistry.h"

#include <QFile>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runFolio(const QStringList& args)
{
    const folio::test::FolioRun r = folio::test::runFolio(args);
    return Run{r.exitCode, QString::fromUtf8(r.out), r.err};
}

QString samples() { return folio::test::sourceDir() + QStringLiteral("/resources/samples"); }

QJsonArray jsonArray(const QString& text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    return doc.array();
}

} // namespace

class TstCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    QStringList withDb(QStringList args) const { return QStringList{QStringLiteral("--db"), m_db} + args; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("sub/library.sqlite")); // parent folder does not exist yet
        const Run r = runFolio(withDb({QStringLiteral("ingest"), samples()}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(QStringLiteral("added")));
        QVERIFY(r.out.contains(QStringLiteral(" 0 failed")));
    }

    void helpAndUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << "ingest";
        QTest::newRow("ingest help") << QStringList{QStringLiteral("ingest"), QStringLiteral("--help")} << 0 << "--password";
        QTest::newRow("search help") << QStringList{QStringLiteral("search"), QStringLiteral("--help")} << 0 << "--limit";
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2 << "unknown command";
        QTest::newRow("ingest without paths") << QStringList{QStringLiteral("ingest")} << 2 << "at least one";
        QTest::newRow("unknown option") << QStringList{QStringLiteral("list"), QStringLiteral("--bogus")} << 2 << "bogus";
        QTest::newRow("bad limit") << QStringList{QStringLiteral("search"), QStringLiteral("--limit"), QStringLiteral("x"), QStringLiteral("a")} << 2 << "limit";
    }
    void helpAndUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const Run r = runFolio(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2((r.out + r.err).contains(expected), qPrintable(r.out + r.err));
    }

    void reingestIsDeduplicated()
    {
        const Run r = runFolio(withDb({QStringLiteral("ingest"), samples() + QStringLiteral("/invoice-de-nordlicht.pdf")}));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("present")));
    }

    void badInputsFailButOthersAreStored()
    {
        QTemporaryDir dir;
        QFile bad(dir.filePath(QStringLiteral("broken.pdf")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("%PDF-1.7\nthis is not really a pdf\n");
        bad.close();
        QFile empty(dir.filePath(QStringLiteral("empty.pdf")));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        QImage image(50, 40, QImage::Format_RGB888);
        image.fill(Qt::white);
        QVERIFY(image.save(dir.filePath(QStringLiteral("fine.png"))));

        const Run before = runFolio(withDb({QStringLiteral("list"), QStringLiteral("--json")}));
        const Run r = runFolio(withDb({QStringLiteral("ingest"), QStringLiteral("--json"), dir.path()}));
        QCOMPARE(r.exitCode, 1);
        const QJsonArray results = jsonArray(r.out);
        QCOMPARE(results.size(), 3);
        int failed = 0;
        for (const auto& v : results) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("status")).toString() == u"failed") {
                ++failed;
                QVERIFY(o.value(QStringLiteral("error")).toString().contains(o.value(QStringLiteral("path")).toString()));
            }
        }
        QCOMPARE(failed, 2);
        const Run after = runFolio(withDb({QStringLiteral("list"), QStringLiteral("--json")}));
        QCOMPARE(jsonArray(after.out).size(), jsonArray(before.out).size() + 1);
    }

    void listJson()
    {
        const Run r = runFolio(withDb({QStringLiteral("list"), QStringLiteral("--json")}));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray docs = jsonArray(r.out);
        QVERIFY(docs.size() >= 7);
        bool sawChinese = false, sawTiff = false;
        for (const auto& v : docs) {
            const QJsonObject o = v.toObject();
            for (const char* key : {"id", "path", "sha256", "pages", "text_layer"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            QCOMPARE(o.value(QStringLiteral("sha256")).toString().size(), 64);
            if (o.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("invoice-cn-mingyuan.pdf"))) {
                sawChinese = true;
                QCOMPARE(o.value(QStringLiteral("text_layer")).toBool(), true);
            }
            if (o.value(QStringLiteral("path")).toString().endsWith(QStringLiteral(".tiff"))) {
                sawTiff = true;
                QCOMPARE(o.value(QStringLiteral("pages")).toInt(), 2);
                QCOMPARE(o.value(QStringLiteral("text_layer")).toBool(), false);
            }
        }
        QVERIFY(sawChinese && sawTiff);
    }

    void searchJson_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("page");
        QTest::newRow("latin word") << "Laserdrucker" << "invoice-de-nordlicht.pdf" << 1;
        QTest::newRow("chinese 2 chars") << "发票" << "invoice-cn-mingyuan.pdf" << 1;
        QTest::newRow("second page of a table") << "continued" << "invoice-fr-atelier-lumiere.pdf" << 2;
    }
    void searchJson()
    {
        QFETCH(QString, query);
        QFETCH(QString, file);
        QFETCH(int, page);
        const Run r = runFolio(withDb({QStringLiteral("search"), QStringLiteral("--json"), query}));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray hits = jsonArray(r.out);
        QVERIFY2(!hits.isEmpty(), qPrintable(r.out + r.err));
        bool found = false;
        for (const auto& v : hits) {
            const QJsonObject hit = v.toObject();
            for (const char* key : {"document", "path", "page", "snippet", "box"})
                QVERIFY2(hit.contains(QLatin1String(key)), key);
            const QJsonArray box = hit.value(QStringLiteral("box")).toArray();
            QCOMPARE(box.size(), 4);
            QVERIFY(box[0].toDouble() >= 0 && box[2].toDouble() <= 1 && box[0].toDouble() < box[2].toDouble());
            QVERIFY(box[1].toDouble() >= 0 && box[3].toDouble() <= 1 && box[1].toDouble() < box[3].toDouble());
            QVERIFY(hit.value(QStringLiteral("snippet")).toString().contains(query, Qt::CaseInsensitive));
            if (hit.value(QStringLiteral("path")).toString().endsWith(file) && hit.value(QStringLiteral("page")).toInt() == page)
                found = true;
        }
        QVERIFY2(found, qPrintable(r.out));
    }

    // The cases on a real sample: an amount printed "$3,395.23" found as typed three
    // ways, a quoted phrase found as a phrase and not reversed; each hit says how it matched.
    void searchFindsAmountsAndPhrases_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("match"); // empty: no hit in the sample expected
        QTest::newRow("amount plain") << "3395.23" << "amount";
        QTest::newRow("amount with comma") << "3,395.23" << "amount";
        QTest::newRow("amount German") << "3.395,23" << "amount";
        QTest::newRow("phrase") << "\"Harbor Lane\"" << "phrase";
        QTest::newRow("phrase reversed") << "\"Lane Harbor\"" << "";
    }
    void searchFindsAmountsAndPhrases()
    {
        QFETCH(QString, query);
        QFETCH(QString, match);
        const Run r = runFolio(withDb({QStringLiteral("search"), QStringLiteral("--json"), QStringLiteral("--"), query}));
        QCOMPARE(r.exitCode, 0);
        bool found = false;
        for (const auto& v : jsonArray(r.out)) {
            const QJsonObject hit = v.toObject();
            if (hit.value(QStringLiteral("path")).toString().endsWith(QLatin1String("invoice-us-cascade.pdf"))) {
                found = true;
                QCOMPARE(hit.value(QStringLiteral("match")).toString(), match);
                QCOMPARE(hit.value(QStringLiteral("kind")).toString(), QStringLiteral("text_layer"));
            }
        }
        QVERIFY2(found == !match.isEmpty(), qPrintable(r.out));
        // The plain output names the kind of hit too.
        if (!match.isEmpty())
            QVERIFY(runFolio(withDb({QStringLiteral("search"), QStringLiteral("--"), query})).out.contains(QStringLiteral("[text layer · ")));
    }

    void searchTakesSyntaxLiterally_data()
    {
        QTest::addColumn<QString>("query");
        for (const char* q : {"\"unbalanced", "AND", "a OR", "NOT x", "*", "(x", "col:umn", "-minus", "^start", "NEAR(a b)"})
            QTest::newRow(q) << QString::fromLatin1(q);
    }
    void searchTakesSyntaxLiterally()
    {
        QFETCH(QString, query);
        const Run r = runFolio(withDb({QStringLiteral("search"), QStringLiteral("--"), query}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.err.contains(QStringLiteral("syntax")));
    }

    void infoShowsPages()
    {
        const Run r = runFolio(withDb({QStringLiteral("info"), samples() + QStringLiteral("/price-list-kessler.pdf")}));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("page 2:")));
        const Run missing = runFolio(withDb({QStringLiteral("info"), QStringLiteral("999999")}));
        QCOMPARE(missing.exitCode, 1);
    }

    void readmeQuickStartWorksWithoutAModel()
    {
        // The README's first command, as written, minus `.ci/setup` (CI built this executable),
        // on a fresh library: no model, no recording. It must ingest (the scans get OCR), show
        // the e-invoice read from its XML, and find a word printed only on a scan.
        QFile readme(folio::test::sourceDir() + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QRegularExpressionMatch block = QRegularExpression(QStringLiteral("```sh\n(.*?)\n```"),
                                                                 QRegularExpression::DotMatchesEverythingOption)
                                                  .match(QString::fromUtf8(readme.readAll()));
        QVERIFY(block.hasMatch());
        QStringList steps = block.captured(1).split(QStringLiteral(" && "));
        QCOMPARE(steps.takeFirst(), QStringLiteral(".ci/setup"));
        QCOMPARE(steps.size(), 3);
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("library.sqlite"));
        QStringList outputs;
        for (const QString& step : std::as_const(steps)) {
            QStringList args = QProcess::splitCommand(step);
            QCOMPARE(args.takeFirst(), QStringLiteral("./build/app/folio"));
            QCOMPARE(args.mid(0, 2), (QStringList{QStringLiteral("--db"), QStringLiteral("demo/library.sqlite")}));
            args[1] = db;
            const folio::test::FolioRun r = folio::test::runFolio(args, folio::test::sourceDir());
            QVERIFY2(r.exitCode == 0, qPrintable(step + QLatin1Char('\n') + r.err));
            outputs << QString::fromUtf8(r.out);
        }
        // ingest: the three scan pages got OCR words.
        QVERIFY2(outputs[0].contains(QRegularExpression(QStringLiteral("scan-2pages\\.tiff .*OCR .*words on 2 pages"))), qPrintable(outputs[0]));
        QVERIFY2(outputs[0].contains(QRegularExpression(QStringLiteral("scan\\.png .*OCR .*words on 1 page"))), qPrintable(outputs[0]));
        // show: every field of the invoice, exact, from the embedded XML (engine e-invoice).
        QCOMPARE(outputs[1].count(QRegularExpression(QStringLiteral("conf 1\\.00  e-invoice"))), 18);
        QVERIFY(outputs[1].contains(QRegularExpression(QStringLiteral("runs: #\\d+ p\\.1 invoice ok \\(e-invoice\\)"))));
        const QJsonObject shown = QJsonDocument::fromJson(
            folio::test::runFolio({QStringLiteral("--db"), db, QStringLiteral("show"), QStringLiteral("--json"),
                                   samples() + QStringLiteral("/einvoice/invoice-de-nordlicht_facturx.pdf")}).out).object();
        QFile truthFile(samples() + QStringLiteral("/invoice-de-nordlicht.truth.json"));
        QVERIFY(truthFile.open(QIODevice::ReadOnly));
        const QJsonArray truth = QJsonDocument::fromJson(truthFile.readAll()).object().value(QStringLiteral("fields")).toArray();
        QCOMPARE(shown.value(QStringLiteral("fields")).toArray().size(), truth.size());
        for (const auto& t : truth) {
            const QString name = t.toObject().value(QStringLiteral("name")).toString();
            bool matched = false;
            for (const auto& f : shown.value(QStringLiteral("fields")).toArray()) {
                const QJsonObject field = f.toObject();
                if (field.value(QStringLiteral("name")).toString() != name)
                    continue;
                QCOMPARE(field.value(QStringLiteral("normalized")).toString(), t.toObject().value(QStringLiteral("normalized")).toString());
                QCOMPARE(field.value(QStringLiteral("model_id")).toString(), QStringLiteral("e-invoice"));
                matched = true;
            }
            QVERIFY2(matched, qPrintable(name));
        }
        // search: the word is on the TIFF's back side only, found in its OCR words.
        QVERIFY2(outputs[2].contains(QStringLiteral("p.2  ")) && outputs[2].contains(QStringLiteral("invoice-de-nordlicht-scan-2pages.tiff")), qPrintable(outputs[2]));
        QVERIFY2(outputs[2].contains(QStringLiteral("1 hit")), qPrintable(outputs[2]));
        const QJsonArray hits = jsonArray(QString::fromUtf8(
            folio::test::runFolio({QStringLiteral("--db"), db, QStringLiteral("search"), QStringLiteral("--json"), QProcess::splitCommand(steps[2]).last()}).out));
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("ocr"));
        QCOMPARE(hits[0].toObject().value(QStringLiteral("page")).toInt(), 2);
    }

    void benchIngestMeasures()
    {
        const Run r = runFolio({QStringLiteral("bench"), QStringLiteral("ingest"), QStringLiteral("--repeat"), QStringLiteral("1"),
                             samples() + QStringLiteral("/invoice-us-cascade.pdf")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("pages/s")));
        QVERIFY2(r.out.contains(QStringLiteral("ratio Folio / pdftoppm")), qPrintable(r.out)); // poppler-utils is installed by .ci/setup
    }
};

FOLIO_TEST_CLASS(TstCli)
#include "tst_cli.moc"
