// Extraction end to end through the real `folio` executable: ingest → replayed model output
// (tests/data/model-outputs, written in Qwen2.5-VL's conventions; see its README) → parsers,
// box mapping, normalisation, validation, text-layer cross-check → storage → show/export,
// compared with the samples' truth files. And the local engine on the tiny fixture model.
#include "app/folioprocess.h"
#include "testregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <array>

namespace {

using Run = folio::test::FolioRun;
using folio::test::runFolio;
QString samples() { return folio::test::samplesDir(); }
QString recordings() { return folio::test::recordingsDir(); }

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A box as [x0, y0, x1, y1] (truth files) or {"x0":…, "y0":…, "x1":…, "y1":…} (folio show --json).
std::array<double, 4> corners(const QJsonValue& v)
{
    if (v.isArray())
        return {v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble()};
    const QJsonObject o = v.toObject();
    return {o.value(QStringLiteral("x0")).toDouble(), o.value(QStringLiteral("y0")).toDouble(), o.value(QStringLiteral("x1")).toDouble(),
            o.value(QStringLiteral("y1")).toDouble()};
}

double iou(const QJsonValue& va, const QJsonValue& vb)
{
    const auto a = corners(va), b = corners(vb);
    const double w = std::min(a[2], b[2]) - std::max(a[0], b[0]);
    const double h = std::min(a[3], b[3]) - std::max(a[1], b[1]);
    if (w <= 0 || h <= 0)
        return 0;
    const double inter = w * h;
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

} // namespace

class TstExtract : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList db() const { return {QStringLiteral("--db"), m_dir.filePath(QStringLiteral("library.sqlite"))}; }

    QJsonObject show(const QString& doc)
    {
        const Run r = runFolio(db() + QStringList{QStringLiteral("show"), QStringLiteral("--json"), doc});
        [&] { QCOMPARE(r.exitCode, 0); }();
        return QJsonDocument::fromJson(r.out).object();
    }

    Run extract(const QString& sample, const QString& task, const QString& recording)
    {
        return runFolio(db() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), task,
                                           QStringLiteral("--engine"), QStringLiteral("replay"), QStringLiteral("--replay-dir"),
                                           recordings() + recording, samples() + sample});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void invoicesMatchTheTruth_data()
    {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QString>("truth");
        QTest::addColumn<QString>("recording");
        QTest::addColumn<bool>("textLayer");
        QTest::newRow("german pdf, fenced, trailing commas, swapped and overshooting boxes")
            << "invoice-de-nordlicht.pdf" << "invoice-de-nordlicht" << "invoice-de-nordlicht/invoice" << true;
        QTest::newRow("us pdf, prose around the answer") << "invoice-us-cascade.pdf" << "invoice-us-cascade" << "invoice-us-cascade/invoice" << true;
        QTest::newRow("german scan, bare json") << "invoice-de-nordlicht-scan.png" << "invoice-de-nordlicht-scan" << "invoice-de-nordlicht-scan/invoice" << false;
        QTest::newRow("two pages, first answer truncated") << "invoice-fr-atelier-lumiere.pdf" << "invoice-fr-atelier-lumiere" << "invoice-fr-atelier-lumiere/invoice" << true;
    }
    void invoicesMatchTheTruth()
    {
        QFETCH(QString, sample);
        QFETCH(QString, truth);
        QFETCH(QString, recording);
        QFETCH(bool, textLayer);
        const Run r = extract(sample, QStringLiteral("invoice"), recording);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + QString::fromUtf8(r.out)));
        QVERIFY(r.err.contains(QStringLiteral("REPLAY"))); // never mistaken for a model run

        const QJsonObject shown = show(samples() + sample);
        const QJsonObject expected = readJson(samples() + truth + QStringLiteral(".truth.json"));
        QHash<QString, QJsonObject> fields;
        for (const auto& v : shown.value(QStringLiteral("fields")).toArray())
            fields.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());

        int compared = 0, boxesAgree = 0;
        for (const auto& v : expected.value(QStringLiteral("fields")).toArray()) {
            const QJsonObject t = v.toObject();
            const QString name = t.value(QStringLiteral("name")).toString();
            QVERIFY2(fields.contains(name), qPrintable(name));
            const QJsonObject f = fields.value(name);
            QCOMPARE(f.value(QStringLiteral("normalized")).toString(), t.value(QStringLiteral("normalized")).toString());
            QCOMPARE(f.value(QStringLiteral("page")).toInt(), t.value(QStringLiteral("page")).toInt());
            ++compared;
            if (iou(f.value(QStringLiteral("box")), t.value(QStringLiteral("box"))) > 0.5)
                ++boxesAgree;
            if (textLayer) {
                // Confirmed by the PDF's own words: no hallucination flags, high confidence.
                const QStringList flags = f.value(QStringLiteral("flags")).toVariant().toStringList();
                QVERIFY2(!flags.contains(QStringLiteral("not_on_page")) && !flags.contains(QStringLiteral("text_mismatch")), qPrintable(name));
                QVERIFY(f.value(QStringLiteral("confidence")).toDouble() >= 0.95);
            }
        }
        QVERIFY(compared >= 14);
        QVERIFY2(boxesAgree >= compared - 1, qPrintable(QStringLiteral("%1 of %2 boxes agree").arg(boxesAgree).arg(compared)));

        // Line items: every recorded row is there with the truth's text, in order.
        QJsonObject items;
        for (const auto& v : shown.value(QStringLiteral("tables")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == u"line_items" && items.isEmpty())
                items = v.toObject();
        QVERIFY(!items.isEmpty());
        QJsonArray truthRows;
        for (const auto& v : expected.value(QStringLiteral("tables")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == u"line_items")
                truthRows = v.toObject().value(QStringLiteral("rows")).toArray();
        QString firstDescription;
        for (const auto& c : items.value(QStringLiteral("cells")).toArray())
            if (c.toObject().value(QStringLiteral("row")).toInt() == 1 && c.toObject().value(QStringLiteral("col")).toInt() == 0)
                firstDescription = c.toObject().value(QStringLiteral("text")).toString();
        QCOMPARE(firstDescription, truthRows[0].toArray()[0].toObject().value(QStringLiteral("text")).toString());
    }

    void truncatedAndLoopingRunsAreMarked()
    {
        // Its own extraction, so the test does not depend on the others having run first.
        QCOMPARE(extract(QStringLiteral("invoice-fr-atelier-lumiere.pdf"), QStringLiteral("invoice"),
                         QStringLiteral("invoice-fr-atelier-lumiere/invoice")).exitCode, 0);
        const QJsonObject invoice = show(samples() + QStringLiteral("invoice-fr-atelier-lumiere.pdf"));
        QStringList statuses;
        for (const auto& r : invoice.value(QStringLiteral("runs")).toArray())
            statuses << r.toObject().value(QStringLiteral("status")).toString();
        QVERIFY2(statuses.contains(QStringLiteral("truncated")), qPrintable(statuses.join(u',')));

        const Run r = extract(QStringLiteral("price-list-kessler.pdf"), QStringLiteral("table"), QStringLiteral("price-list-kessler/table"));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray pages = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(pages[1].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("repetition"));

        // The loop's repeated rows are dropped: page 2 has exactly the truth's rows.
        const QJsonObject truth = readJson(samples() + QStringLiteral("price-list-kessler.truth.json"));
        int truthPage2 = 0;
        for (const auto& row : truth.value(QStringLiteral("tables")).toArray()[0].toObject().value(QStringLiteral("rows")).toArray())
            truthPage2 += row.toArray()[0].toObject().value(QStringLiteral("page")).toInt() == 2;
        const QJsonObject shown = show(samples() + QStringLiteral("price-list-kessler.pdf"));
        for (const auto& t : shown.value(QStringLiteral("tables")).toArray()) {
            if (t.toObject().value(QStringLiteral("page")).toInt() != 2)
                continue;
            int maxRow = 0;
            for (const auto& c : t.toObject().value(QStringLiteral("cells")).toArray())
                maxRow = std::max(maxRow, c.toObject().value(QStringLiteral("row")).toInt());
            QCOMPARE(maxRow, truthPage2); // header row 0, then one row per item
        }
    }

    void ocrLinesOfAChineseInvoice()
    {
        const Run r = extract(QStringLiteral("invoice-cn-mingyuan.pdf"), QStringLiteral("ocr"), QStringLiteral("invoice-cn-mingyuan/ocr"));
        QCOMPARE(r.exitCode, 0);
        const QJsonObject shown = show(samples() + QStringLiteral("invoice-cn-mingyuan.pdf"));
        const QJsonArray lines = shown.value(QStringLiteral("lines")).toArray();
        QVERIFY(lines.size() >= 8);
        bool sawNumber = false;
        for (const auto& l : lines)
            sawNumber = sawNumber || l.toObject().value(QStringLiteral("text")).toString() == u"26312000000041735216";
        QVERIFY(sawNumber);
        // Extracted text is searchable like the text layer.
        const Run hit = runFolio(db() + QStringList{QStringLiteral("search"), QStringLiteral("--json"), QStringLiteral("26312000000041735216")});
        bool ocrHit = false;
        for (const auto& h : QJsonDocument::fromJson(hit.out).array())
            ocrHit = ocrHit || h.toObject().value(QStringLiteral("kind")).toString() == u"ocr_line";
        QVERIFY(ocrHit);
    }

    void eInvoiceIsImportedAndCompared()
    {
        const Run r = extract(QStringLiteral("einvoice/invoice-de-nordlicht_facturx.pdf"), QStringLiteral("invoice"), QStringLiteral("invoice-de-nordlicht/invoice"));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray pages = QJsonDocument::fromJson(r.out).array();
        QString notes;
        for (const auto& p : pages)
            notes += p.toObject().value(QStringLiteral("notes")).toVariant().toStringList().join(u';');
        QVERIFY2(notes.contains(QStringLiteral("18 fields agree, 0 disagree")), qPrintable(notes));
        const QJsonObject shown = show(samples() + QStringLiteral("einvoice/invoice-de-nordlicht_facturx.pdf"));
        int fromXml = 0;
        for (const auto& f : shown.value(QStringLiteral("fields")).toArray())
            fromXml += f.toObject().value(QStringLiteral("source")).toString() == u"e-invoice";
        QCOMPARE(fromXml, 18);
    }

    void reparseAndExport()
    {
        const QString doc = samples() + QStringLiteral("invoice-de-nordlicht.pdf");
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("reparse"), doc}).exitCode, 0);
        const QString csv = m_dir.filePath(QStringLiteral("invoices.csv"));
        const QString json = m_dir.filePath(QStringLiteral("doc.json"));
        const QString xlsx = m_dir.filePath(QStringLiteral("book.xlsx"));
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("export"), doc, QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"), csv}).exitCode, 0);
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("export"), doc, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--out"), json}).exitCode, 0);
        QCOMPARE(runFolio(db() + QStringList{QStringLiteral("export"), doc, QStringLiteral("--format"), QStringLiteral("xlsx"), QStringLiteral("--out"), xlsx}).exitCode, 0);
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(c.readAll());
        QVERIFY(text.contains(QStringLiteral("RE-2026-00417")) && text.contains(QStringLiteral("1467.64")));
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("invoices-line-items.csv"))));
        QVERIFY(readJson(json).value(QStringLiteral("fields")).toArray().size() == 18);
        QFile x(xlsx);
        QVERIFY(x.open(QIODevice::ReadOnly) && x.read(2) == "PK");
    }

    void localEngineRunsTheFixtureModel()
    {
        // The tiny random model's text is meaningless; the run must still be stored, with its
        // raw output and a clear status, and the command must say the page failed.
        const QString model = folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
        const Run r = runFolio(db() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr"),
                                                  QStringLiteral("--model"), model, QStringLiteral("--dtype"), QStringLiteral("f32"),
                                                  QStringLiteral("--max-new-tokens"), QStringLiteral("48"), QStringLiteral("--retries"), QStringLiteral("1"),
                                                  samples() + QStringLiteral("invoice-us-cascade.pdf")});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(r.err));
        const QJsonArray pages = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(pages.size(), 1);
        const QJsonObject page = pages[0].toObject();
        const QString status = page.value(QStringLiteral("status")).toString();
        QVERIFY2(QStringList({QStringLiteral("ok"), QStringLiteral("failed"), QStringLiteral("truncated"), QStringLiteral("repetition")}).contains(status), qPrintable(status));
        QVERIFY(page.value(QStringLiteral("attempts")).toInt() >= 1);

        const Run shown = runFolio(db() + QStringList{QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--raw"), samples() + QStringLiteral("invoice-us-cascade.pdf")});
        bool stored = false;
        for (const auto& run : QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("runs")).toArray()) {
            const QJsonObject o = run.toObject();
            if (o.value(QStringLiteral("task")).toString() == u"ocr" && o.value(QStringLiteral("model_id")).toString().contains(QStringLiteral("qwen25vl-tiny"))) {
                stored = true;
                QVERIFY(!o.value(QStringLiteral("status")).toString().isEmpty());
                QVERIFY(!o.value(QStringLiteral("raw_output")).toString().isEmpty());
            }
        }
        QVERIFY(stored);
    }
};

FOLIO_TEST_CLASS(TstExtract)
#include "tst_extract.moc"
