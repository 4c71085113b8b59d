// Exports: CSV quoting and formula guarding, table grids with spans, invoice and line-item
// CSVs, the JSON document with provenance, the XLSX workbook (read back with `unzip`), and
// file errors that name the path.
#include "testregistry.h"

#include "resultsamples.h"
#include "storage/csvexport.h"
#include "storage/exportdocument.h"
#include "storage/jsonexport.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "storage/xlsxexport.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using namespace folio::storage;
using folio::test::box;
using folio::test::sampleDocument;
using folio::test::sampleInvoice;
using folio::test::sampleRun;

namespace {

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<cannot read ") + path.toUtf8() + ">";
}

// One member of a zip file, through the `unzip` tool; `list` gives the member list instead.
QByteArray unzip(const QString& zip, const QString& member, bool list = false)
{
    QProcess process;
    process.start(QStringLiteral("unzip"),
        list ? QStringList { QStringLiteral("-l"), zip } : QStringList { QStringLiteral("-p"), zip, member });
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QByteArray("<unzip failed: ") + process.errorString().toUtf8() + process.readAllStandardError() + ">";
    return process.readAllStandardOutput();
}

// A second table, not of invoices: a price list whose first column header spans two rows.
extract::PageResult priceList(int page)
{
    extract::PageResult r;
    r.page = page;
    extract::Table table;
    table.box = box(page, 0.05, 0.1, 0.95, 0.5);
    const auto cell
        = [&](int row, int col, int rowSpan, int colSpan, const QString& text, const QString& normalized, bool header) {
              extract::Cell c;
              c.row = row;
              c.col = col;
              c.rowSpan = rowSpan;
              c.colSpan = colSpan;
              c.text = text;
              c.normalized = normalized;
              c.header = header;
              return c;
          };
    table.cells = {
        cell(0, 0, 1, 1, QStringLiteral("Artikel"), {}, true),
        cell(0, 1, 1, 2, QStringLiteral("Preis"), {}, true),
        cell(1, 0, 2, 1, QStringLiteral("Dübel, 8 mm"), {}, false),
        cell(1, 1, 1, 1, QStringLiteral("4,20"), QStringLiteral("4.20"), false),
        cell(1, 2, 1, 1, QStringLiteral("ab 01.05.2026"), QStringLiteral("2026-05-01"), false),
        cell(2, 1, 1, 1, QStringLiteral("=3,99"), {}, false),
    };
    r.tables = { table };
    return r;
}

} // namespace

class TstExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto library = Library::open(m_dir.filePath(QStringLiteral("export.sqlite")));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        auto invoice = m_library->addDocument(sampleDocument(QStringLiteral("/docs/invoice.pdf"), 2));
        auto other = m_library->addDocument(sampleDocument(QStringLiteral("/docs/Preisliste [2026].pdf"), 1));
        QVERIFY(invoice && other);
        m_invoice = *invoice;
        m_other = *other;
        auto run = m_library->results().storePageResult(
            sampleRun(m_invoice, 0, QStringLiteral("invoice")), sampleInvoice(0));
        QVERIFY2(run, run ? "" : run.error().c_str());
        m_run = *run;
        auto table = m_library->results().storePageResult(sampleRun(m_other, 0, QStringLiteral("table")), priceList(0));
        QVERIFY2(table, table ? "" : table.error().c_str());
        for (qint64 id : { m_invoice, m_other }) {
            auto doc = loadExportDocument(*m_library, id);
            QVERIFY2(doc, doc ? "" : doc.error().c_str());
            m_docs.push_back(std::move(*doc));
        }
    }

    void csvField_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");

        QTest::newRow("plain") << "Schrauben M4"
                               << "Schrauben M4";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("comma") << "Musterweg 1, Berlin"
                               << "\"Musterweg 1, Berlin\"";
        QTest::newRow("quote") << "6\" Rohr"
                               << "\"6\"\" Rohr\"";
        QTest::newRow("newline") << "Zeile 1\nZeile 2"
                                 << "\"Zeile 1\nZeile 2\"";
        QTest::newRow("carriage return inside") << "a\rb"
                                                << "\"a\rb\"";
        QTest::newRow("unicode") << "Straße 発票"
                                 << "Straße 発票";
        QTest::newRow("formula =") << "=SUM(A1:A9)"
                                   << "'=SUM(A1:A9)";
        QTest::newRow("formula + phone") << "+49 30 123456"
                                         << "'+49 30 123456";
        QTest::newRow("formula @") << "@cmd"
                                   << "'@cmd";
        QTest::newRow("formula -") << "-2+3"
                                   << "'-2+3";
        QTest::newRow("formula tab") << "\t=1"
                                     << "'\t=1";
        QTest::newRow("formula CR") << "\r=1"
                                    << "\"'\r=1\"";
        QTest::newRow("formula with comma") << "=HYPERLINK(\"x\",\"y\")"
                                            << "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"";
        QTest::newRow("negative number") << "-12.50"
                                         << "-12.50";
        QTest::newRow("negative integer") << "-7"
                                          << "-7";
        QTest::newRow("negative with comma") << "-1,234.56"
                                             << "\"-1,234.56\"";
        QTest::newRow("minus word") << "-x"
                                    << "'-x";
        QTest::newRow("equals later") << "a=b"
                                      << "a=b";
        QTest::newRow("space then formula") << " =1"
                                            << " =1";
    }

    void csvField()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(storage::csvField(value), expected);
    }

    void csvTextEndsRecordsWithCrlfAndMayStartWithBom()
    {
        const std::vector<QStringList> records { { "a", "b,c" }, { "", "ü" } };
        QCOMPARE(csvText(records, CsvOptions {}), QByteArray("a,\"b,c\"\r\n,\xC3\xBC\r\n"));
        QCOMPARE(csvText(records, CsvOptions { true }),
            QByteArray("\xEF\xBB\xBF"
                       "a,\"b,c\"\r\n,\xC3\xBC\r\n"));
    }

    void tableCsvLeavesSpannedSlotsEmpty()
    {
        const QString path = m_dir.filePath(QStringLiteral("prices.csv"));
        const extract::Table& table = m_docs[1].results.tables.front().table;
        QVERIFY(exportTableCsv(table, path, CsvOptions {}));
        QCOMPARE(readFile(path),
            QByteArray("Artikel,Preis,\r\n"
                       "\"D\xC3\xBC"
                       "bel, 8 mm\",\"4,20\",ab 01.05.2026\r\n"
                       ",\"'=3,99\",\r\n"));
    }

    void invoiceCsv()
    {
        const QString invoices = m_dir.filePath(QStringLiteral("invoices.csv"));
        const QString items = m_dir.filePath(QStringLiteral("items.csv"));
        QVERIFY(exportInvoicesCsv(m_docs, invoices, items, CsvOptions { true }));
        const QByteArray header = "document_id,file_name,invoice_number,issue_date,due_date,currency,seller_name,"
                                  "seller_address,seller_vat_id,buyer_name,buyer_address,buyer_vat_id,purchase_order,"
                                  "payment_terms,iban,bic,net_total,tax_total,grand_total,amount_due,review_status,last_edited_by,"
                                  "last_edited_at\r\n";
        const QByteArray first = QByteArray::number(m_invoice) + ",invoice.pdf,RE-2024-0815,2026-04-03"
            + QByteArray(15, ',') + "1234.50,,pending,,\r\n";
        const QByteArray second = QByteArray::number(m_other) + ",Preisliste [2026].pdf" + QByteArray(21, ',') + "\r\n";
        QCOMPARE(readFile(invoices), "\xEF\xBB\xBF" + header + first + second);

        const QByteArray itemHeader
            = "document_id,file_name,page,item,description,quantity,unit,unit_price,tax_rate,amount,review_status\r\n";
        const QByteArray id = QByteArray::number(m_invoice);
        QCOMPARE(readFile(items),
            "\xEF\xBB\xBF" + itemHeader + id + ",invoice.pdf,1,1,Schrauben M4,12,,,,1234.50,pending\r\n" + id
                + ",invoice.pdf,1,2,Versand frei Haus,,,,,0.00,pending\r\n");
    }

    void csvErrorNamesThePath()
    {
        // A path below a regular file cannot be created, whoever runs the test.
        const QString blocker = m_dir.filePath(QStringLiteral("blocker"));
        QVERIFY(QFile(blocker).open(QIODevice::WriteOnly));
        const QString path = blocker + QStringLiteral("/out.csv");
        auto r = exportTableCsv(m_docs[1].results.tables.front().table, path, CsvOptions {});
        QVERIFY(!r);
        QVERIFY2(r.error().find(path.toStdString()) != std::string::npos, r.error().c_str());
        auto j = exportDocumentJson(m_docs[0], path, JsonOptions {});
        QVERIFY(!j);
        QVERIFY2(j.error().find(path.toStdString()) != std::string::npos, j.error().c_str());
    }

    void jsonHasFullProvenance()
    {
        const QString path = m_dir.filePath(QStringLiteral("invoice.json"));
        QVERIFY(exportDocumentJson(m_docs[0], path, JsonOptions {}));
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(readFile(path), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = parsed.object();
        QCOMPARE(root.value("format").toString(), QStringLiteral("folio-document"));
        QCOMPARE(root.value("version").toInt(), 1);

        const QJsonObject doc = root.value("document").toObject();
        QCOMPARE(doc.value("id").toInteger(), m_invoice);
        QCOMPARE(doc.value("path").toString(), QStringLiteral("/docs/invoice.pdf"));
        QCOMPARE(doc.value("sha256").toString(), QString::fromLatin1(sampleDocument("/docs/invoice.pdf", 1).sha256Hex));
        const QJsonArray pages = doc.value("pages").toArray();
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages[1].toObject().value("page").toInt(), 2);
        QCOMPARE(pages[1].toObject().value("width_pt").toDouble(), 595.0);
        QCOMPARE(pages[1].toObject().value("height_pt").toDouble(), 842.0);

        const QJsonArray fields = root.value("fields").toArray();
        QCOMPARE(fields.size(), 3);
        const QJsonObject date = fields[1].toObject();
        QCOMPARE(date.value("name").toString(), QStringLiteral("issue_date"));
        QCOMPARE(date.value("value").toString(), QStringLiteral("03.04.2026"));
        QCOMPARE(date.value("normalized").toString(), QStringLiteral("2026-04-03"));
        QCOMPARE(date.value("page").toInt(), 1);
        QCOMPARE(date.value("box").toObject().value("x0").toDouble(), 0.7);
        QCOMPARE(date.value("box").toObject().value("y1").toDouble(), 0.08);
        QCOMPARE(date.value("box_pt").toObject().value("x0").toDouble(), 0.7 * 595);
        QCOMPARE(date.value("box_pt").toObject().value("y1").toDouble(), 0.08 * 842);
        QCOMPARE(date.value("confidence").toDouble(), 0.9);
        QCOMPARE(date.value("flags").toArray(), (QJsonArray { "ambiguous_date", "not_on_page" }));
        QCOMPARE(date.value("source").toString(), QStringLiteral("model"));
        QCOMPARE(date.value("review_status").toString(), QStringLiteral("pending"));
        QCOMPARE(date.value("run_id").toInteger(), m_run);
        QCOMPARE(date.value("model_id").toString(), QStringLiteral("Qwen2.5-VL-3B-Instruct"));
        QCOMPARE(date.value("prompt_version").toString(), QStringLiteral("invoice-v1"));
        const QJsonObject total = fields[2].toObject();
        QVERIFY(total.value("box").isNull());
        QVERIFY(total.value("box_pt").isNull());
        QCOMPARE(total.value("source").toString(), QStringLiteral("e-invoice"));

        const QJsonArray tables = root.value("tables").toArray();
        QCOMPARE(tables.size(), 1);
        const QJsonObject table = tables[0].toObject();
        QCOMPARE(table.value("name").toString(), QStringLiteral("line_items"));
        QCOMPARE(table.value("rows").toInt(), 3);
        QCOMPARE(table.value("cols").toInt(), 3);
        QCOMPARE(table.value("run_id").toInteger(), m_run);
        const QJsonArray cells = table.value("cells").toArray();
        QCOMPARE(cells.size(), 8);
        const QJsonObject spanning = cells[6].toObject();
        QCOMPARE(spanning.value("text").toString(), QStringLiteral("Versand frei Haus"));
        QCOMPARE(spanning.value("colspan").toInt(), 2);
        QCOMPARE(spanning.value("row").toInt(), 2);
        QCOMPARE(spanning.value("flags").toArray(), QJsonArray { "truncated" });
        QCOMPARE(spanning.value("box_pt").toObject().value("x1").toDouble(), 0.48 * 595);

        const QJsonArray lines = root.value("lines").toArray();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[1].toObject().value("flags").toArray(), QJsonArray { "low_confidence" });

        const QJsonArray runs = root.value("runs").toArray();
        QCOMPARE(runs.size(), 1);
        const QJsonObject run = runs[0].toObject();
        QCOMPARE(run.value("task").toString(), QStringLiteral("invoice"));
        QCOMPARE(run.value("page").toInt(), 1);
        QCOMPARE(run.value("params").toObject().value("max_new_tokens").toInt(), 2048);
        QCOMPARE(run.value("started_at").toString(), QStringLiteral("2026-03-04T10:11:12.345Z"));
        QVERIFY(!run.contains("raw_output"));

        const QJsonObject withRaw = documentJson(m_docs[0], JsonOptions { true });
        QCOMPARE(withRaw.value("runs").toArray()[0].toObject().value("raw_output").toString(),
            sampleRun(m_invoice, 0, QStringLiteral("invoice")).rawOutput);
    }

    void jsonShowsUserFieldsWithoutRun()
    {
        extract::Field field;
        field.name = QStringLiteral("note");
        field.value = QStringLiteral("geprüft");
        auto added = m_library->review().addField(m_other, 0, field);
        QVERIFY(added);
        auto doc = loadExportDocument(*m_library, m_other);
        QVERIFY(doc);
        const QJsonObject json = documentJson(*doc, JsonOptions {});
        const QJsonObject note = json.value("fields").toArray()[0].toObject();
        QCOMPARE(note.value("value").toString(), QStringLiteral("geprüft"));
        QCOMPARE(note.value("source").toString(), QStringLiteral("user"));
        QVERIFY(note.value("run_id").isNull());
        QVERIFY(note.value("model_id").isNull());
        QVERIFY(m_library->review().deleteField(added->fieldId));
    }

    void sheetName_data()
    {
        QTest::addColumn<QString>("wanted");
        QTest::addColumn<QStringList>("taken");
        QTest::addColumn<QString>("expected");

        QTest::newRow("free") << "Invoices" << QStringList {} << "Invoices";
        QTest::newRow("taken") << "Invoices" << QStringList { "Invoices" } << "Invoices (2)";
        QTest::newRow("taken ignoring case")
            << "invoices" << QStringList { "INVOICES", "invoices (2)" } << "invoices (3)";
        QTest::newRow("forbidden characters") << "a[b]c:d*e?f/g\\h" << QStringList {} << "a_b_c_d_e_f_g_h";
        QTest::newRow("too long") << "Preisliste Frühjahr 2026 p1 table 1" << QStringList {}
                                  << "Preisliste Frühjahr 2026 p1 tab";
        QTest::newRow("too long and taken")
            << "Preisliste Frühjahr 2026 p1 table 1" << QStringList { "Preisliste Frühjahr 2026 p1 tab" }
            << "Preisliste Frühjahr 2026 p1 (2)";
        QTest::newRow("apostrophes") << "'quoted'" << QStringList {} << "quoted";
        QTest::newRow("nothing left") << "''" << QStringList {} << "Sheet";
    }

    void sheetName()
    {
        QFETCH(QString, wanted);
        QFETCH(QStringList, taken);
        QFETCH(QString, expected);
        const QString name = storage::sheetName(wanted, taken);
        QCOMPARE(name, expected);
        QVERIFY(name.size() <= 31);
    }

    void xlsxWorkbook()
    {
        const QString path = m_dir.filePath(QStringLiteral("export.xlsx"));
        auto written = exportWorkbook(m_docs, path);
        QVERIFY2(written, written ? "" : written.error().c_str());
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));

        const QByteArray members = unzip(path, {}, true);
        QVERIFY2(members.contains("xl/worksheets/sheet1.xml"), members.constData());
        QVERIFY(members.contains("xl/worksheets/sheet2.xml"));
        QVERIFY(members.contains("xl/worksheets/sheet3.xml"));
        QVERIFY(members.contains("xl/worksheets/sheet4.xml"));
        QVERIFY(!members.contains("xl/worksheets/sheet5.xml"));

        const QByteArray workbook = unzip(path, QStringLiteral("xl/workbook.xml"));
        QVERIFY2(workbook.contains("name=\"Invoices\""), workbook.constData());
        QVERIFY(workbook.contains("name=\"Line items\""));
        QVERIFY(workbook.contains("name=\"Fields\""));
        // "Preisliste [2026]" loses its brackets; the table has no name, so it is "table 1".
        QVERIFY2(workbook.contains("name=\"Preisliste _2026_ p1 table 1\""), workbook.constData());

        const QByteArray strings = unzip(path, QStringLiteral("xl/sharedStrings.xml"));
        QVERIFY(strings.contains("<t>RE-2024-0815</t>"));
        QVERIFY(strings.contains("<t>grand_total</t>"));
        QVERIFY(strings.contains("<t>D\xC3\xBC"
                                 "bel, 8 mm</t>"));

        const QByteArray invoices = unzip(path, QStringLiteral("xl/worksheets/sheet1.xml"));
        QVERIFY2(invoices.contains("state=\"frozen\""), invoices.constData());
        QVERIFY(invoices.contains("ySplit=\"1\""));
        QVERIFY(invoices.contains("<cols>"));
        // grand_total (column S) of the first document is the number 1234.5, not text.
        QVERIFY2(invoices.contains("<c r=\"S2\" s=\"") || invoices.contains("<c r=\"S2\"><v>1234.5</v>"),
            invoices.constData());
        QVERIFY(invoices.contains("<v>1234.5</v>"));
        // issue_date (column D) is a date: Excel's serial day number with a date format.
        const qint64 serial = QDate(1899, 12, 30).daysTo(QDate(2026, 4, 3));
        QVERIFY2(invoices.contains("<c r=\"D2\" s=\""), invoices.constData());
        QVERIFY(invoices.contains("<v>" + QByteArray::number(serial) + "</v>"));

        const QByteArray items = unzip(path, QStringLiteral("xl/worksheets/sheet2.xml"));
        QVERIFY(items.contains("<c r=\"F2\"><v>12</v>"));
        QVERIFY(items.contains("<c r=\"J2\"><v>1234.5</v>"));

        const QByteArray prices = unzip(path, QStringLiteral("xl/worksheets/sheet3.xml"));
        QVERIFY2(prices.contains("<mergeCell ref=\"B1:C1\"/>"), prices.constData());
        QVERIFY(prices.contains("<mergeCell ref=\"A2:A3\"/>"));
        QVERIFY(prices.contains("<c r=\"B2\"><v>4.2</v>"));
        QVERIFY(prices.contains("<v>" + QByteArray::number(QDate(1899, 12, 30).daysTo(QDate(2026, 5, 1))) + "</v>"));
        QVERIFY(prices.contains("state=\"frozen\""));
        // A formula-looking cell is a string in XLSX, never a formula.
        QVERIFY(!prices.contains("<f>"));
        QVERIFY(strings.contains("<t>=3,99</t>"));

        const QByteArray styles = unzip(path, QStringLiteral("xl/styles.xml"));
        QVERIFY(styles.contains("<b/>"));
        QVERIFY(styles.contains("formatCode=\"yyyy-mm-dd\""));
    }

    void xlsxErrorNamesThePath()
    {
        const QString path = m_dir.filePath(QStringLiteral("no-such-folder/export.xlsx"));
        auto r = exportWorkbook(m_docs, path);
        QVERIFY(!r);
        QVERIFY2(r.error().find(path.toStdString()) != std::string::npos, r.error().c_str());
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
    qint64 m_invoice = 0;
    qint64 m_other = 0;
    qint64 m_run = 0;
    std::vector<ExportDocument> m_docs;
};

FOLIO_TEST_CLASS(TstExport)
#include "tst_export.moc"
