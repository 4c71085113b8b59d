// parseModelHtml: model HTML tables (spans, row groups, broken markup, data-bbox) and QwenVL-HTML
// documents. Expected grids were worked out by hand with the HTML table model.
#include "testregistry.h"

#include "extract/htmltable.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTest>

#include <set>

using folio::extract::HtmlCell;
using folio::extract::HtmlTable;
using folio::extract::parseDataBbox;
using folio::extract::parseModelHtml;
using folio::extract::PixelBox;

namespace {

// "row col rowSpan colSpan [H] text" with line breaks shown as '|'.
QString describe(const HtmlCell& c)
{
    QString s = QStringLiteral("%1 %2 %3 %4 ").arg(c.row).arg(c.col).arg(c.rowSpan).arg(c.colSpan);
    if (c.header)
        s += QStringLiteral("H ");
    s += QString(c.text).replace(u'\n', u'|');
    return s;
}

QStringList describe(const HtmlTable& t)
{
    QStringList out;
    for (const HtmlCell& c : t.cells)
        out << describe(c);
    return out;
}

} // namespace

class TstHtmlTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void grid_data();
    void grid();
    void boxes();
    void multipleTables();
    void qwenDocument();
    void plainDocument();
    void dataBbox_data();
    void dataBbox();
    void noMarkup();
    void fuzzGridInvariants();
};

void TstHtmlTable::grid_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QStringList>("cells");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");

    QTest::newRow("thead tbody th") << QStringLiteral(
        "<table><thead><tr><th>Pos</th><th>Description</th><th>Amount</th></tr></thead>"
        "<tbody><tr><td>1</td><td>Widget</td><td>10,00</td></tr><tr><td>2</td><td>Gadget</td><td>5,50</td></tr>"
        "</tbody></table>")
                                    << QStringList{"0 0 1 1 H Pos", "0 1 1 1 H Description", "0 2 1 1 H Amount",
                                           "1 0 1 1 1", "1 1 1 1 Widget", "1 2 1 1 10,00", "2 0 1 1 2",
                                           "2 1 1 1 Gadget", "2 2 1 1 5,50"}
                                    << 3 << 3;
    // A spans rows 0-1; D spans columns 1-2; F's rowspan=5 is clipped at the last row.
    QTest::newRow("rowspan colspan") << QStringLiteral(
        "<table><tr><td rowspan=\"2\">A</td><td>B</td><td>C</td></tr><tr><td colspan=\"2\">D</td></tr>"
        "<tr><td>E</td><td rowspan=\"5\">F</td><td>G</td></tr></table>")
                                     << QStringList{"0 0 2 1 A", "0 1 1 1 B", "0 2 1 1 C", "1 1 1 2 D", "2 0 1 1 E",
                                            "2 1 1 1 F", "2 2 1 1 G"}
                                     << 3 << 3;
    // b occupies column 1 of rows 0-2, so d/e and f/g flow around it.
    QTest::newRow("rowspan in the middle") << QStringLiteral(
        "<table><tr><td>a</td><td rowspan=3>b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr>"
        "<tr><td>f</td><td>g</td></tr></table>")
                                           << QStringList{"0 0 1 1 a", "0 1 3 1 b", "0 2 1 1 c", "1 0 1 1 d",
                                                  "1 2 1 1 e", "2 0 1 1 f", "2 2 1 1 g"}
                                           << 3 << 3;
    // A 2x2 block at the top left pushes the second row's cells to column 2.
    QTest::newRow("2x2 block") << QStringLiteral(
        "<table><tr><td rowspan=2 colspan=2>X</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td><td>4</td>"
        "<td>5</td></tr></table>")
                               << QStringList{"0 0 2 2 X", "0 2 1 1 1", "1 2 1 1 2", "2 0 1 1 3", "2 1 1 1 4",
                                      "2 2 1 1 5"}
                               << 3 << 3;
    // rowspan=0 runs to the end of its row group, not into the next one.
    QTest::newRow("rowspan zero") << QStringLiteral(
        "<table><tbody><tr><td rowspan=0>Z</td><td>a</td></tr><tr><td>b</td></tr><tr><td>c</td></tr></tbody>"
        "<tbody><tr><td>n</td><td>m</td></tr></tbody></table>")
                                  << QStringList{"0 0 3 1 Z", "0 1 1 1 a", "1 1 1 1 b", "2 1 1 1 c", "3 0 1 1 n",
                                         "3 1 1 1 m"}
                                  << 4 << 2;
    QTest::newRow("rowspan stops at thead end") << QStringLiteral(
        "<table><thead><tr><th rowspan=3>H</th><th>x</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr>"
        "</tbody></table>")
                                                << QStringList{"0 0 1 1 H H", "0 1 1 1 H x", "1 0 1 1 1", "1 1 1 1 2"}
                                                << 2 << 2;
    // A <tfoot> written before the body is displayed after it.
    QTest::newRow("tfoot last") << QStringLiteral(
        "<table><thead><tr><th>Item</th></tr></thead><tfoot><tr><td>Total</td></tr></tfoot>"
        "<tbody><tr><td>Widget</td></tr></tbody></table>")
                                << QStringList{"0 0 1 1 H Item", "1 0 1 1 Widget", "2 0 1 1 Total"} << 3 << 1;
    QTest::newRow("unclosed tags") << QStringLiteral("<table><tr><td>1<td>2<tr><td>3<td>4</table>")
                                   << QStringList{"0 0 1 1 1", "0 1 1 1 2", "1 0 1 1 3", "1 1 1 1 4"} << 2 << 2;
    QTest::newRow("cut off at token limit") << QStringLiteral("<table><tr><td>Net</td><td>10.00</td></tr><tr><td>VAT")
                                            << QStringList{"0 0 1 1 Net", "0 1 1 1 10.00", "1 0 1 1 VAT"} << 2 << 2;
    QTest::newRow("whitespace and br") << QStringLiteral(
        "<table><tr><td>  ACME   GmbH<br>Hauptstraße 5<br/>\n  10115 Berlin </td><td>\n\t<p>one</p><p>two</p></td>"
        "</tr></table>")
                                       << QStringList{"0 0 1 1 ACME GmbH|Hauptstraße 5|10115 Berlin", "0 1 1 1 one|two"}
                                       << 1 << 2;
    QTest::newRow("stray markup and prose") << QStringLiteral(
        "Here is the table:\n```html\n<table border=\"1\"><tr><td><b>Total</b></td><td><span class=\"x\">1.234,56"
        "&nbsp;€</span></td></tr></table>\n```\nLet me know if you need more.")
                                            << QStringList{"0 0 1 1 Total", QString::fromUtf8("0 1 1 1 1.234,56 €")}
                                            << 1 << 2;
    QTest::newRow("nested table stays out of cell text") << QStringLiteral(
        "<table><tr><td>outer<table><tr><td>inner</td></tr></table></td><td>b</td></tr></table>")
                                                         << QStringList{"0 0 1 1 outer", "0 1 1 1 b"} << 1 << 2;
    QTest::newRow("huge colspan clamped") << QStringLiteral("<table><tr><td colspan=99999>x</td></tr></table>")
                                          << QStringList{"0 0 1 1000 x"} << 1 << 1000;
    QTest::newRow("bad span values") << QStringLiteral(
        "<table><tr><td colspan=\"abc\" rowspan=\"-3\">x</td><td colspan=0>y</td></tr></table>")
                                     << QStringList{"0 0 1 1 x", "0 1 1 1 y"} << 1 << 2;
    // c would span columns 1-2, but column 2 of row 1 belongs to b: c is cut to one column.
    QTest::newRow("colspan meets rowspan") << QStringLiteral(
        "<table><tr><td>a</td><td>x</td><td rowspan=2>b</td></tr><tr><td>d</td><td colspan=2>c</td><td>e</td></tr>"
        "</table>")
                                           << QStringList{"0 0 1 1 a", "0 1 1 1 x", "0 2 2 1 b", "1 0 1 1 d",
                                                  "1 1 1 1 c", "1 3 1 1 e"}
                                           << 2 << 4;
    QTest::newRow("empty row counts") << QStringLiteral("<table><tr><td>a</td></tr><tr></tr><tr><td>c</td></tr></table>")
                                      << QStringList{"0 0 1 1 a", "2 0 1 1 c"} << 3 << 1;
}

void TstHtmlTable::grid()
{
    QFETCH(QString, html);
    QFETCH(QStringList, cells);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const auto doc = parseModelHtml(html);
    QVERIFY(!doc.tables.empty());
    const HtmlTable& t = doc.tables.front();
    QCOMPARE(describe(t), cells);
    QCOMPARE(t.rows, rows);
    QCOMPARE(t.cols, cols);
}

void TstHtmlTable::boxes()
{
    const auto doc = parseModelHtml(QStringLiteral(
        "```html\n<table data-bbox=\"56 700 1180 980\"><tr><td data-bbox=\"56 700 600 740\">Widget</td>"
        "<td data-bbox=\"1180 700 600 740\">10.00</td><td data-bbox=\"12 x 4\">bad</td><td>none</td></tr></table>\n```"));
    QCOMPARE(doc.tables.size(), size_t(1));
    const HtmlTable& t = doc.tables.front();
    QCOMPARE(t.box, std::optional<PixelBox>(PixelBox{56, 700, 1180, 980}));
    QCOMPARE(t.cells.size(), size_t(4));
    QCOMPARE(t.cells[0].box, std::optional<PixelBox>(PixelBox{56, 700, 600, 740}));
    // Raw: swapped corners are left for mapModelBox.
    QCOMPARE(t.cells[1].box, std::optional<PixelBox>(PixelBox{1180, 700, 600, 740}));
    QVERIFY(!t.cells[2].box.has_value());
    QVERIFY(!t.cells[3].box.has_value());
    QCOMPARE(doc.warnings.size(), 1);
    QVERIFY(doc.warnings.first().contains(QLatin1String("12 x 4")));
    QVERIFY(doc.warnings.first().contains(QLatin1String("row 1, column 3")));
}

void TstHtmlTable::multipleTables()
{
    const auto doc = parseModelHtml(QStringLiteral(
        "<table><tr><td>a</td></tr></table><p>between</p><table><tr><td>b</td><td>c</td></tr></table>"));
    QCOMPARE(doc.tables.size(), size_t(2));
    QCOMPARE(describe(doc.tables[0]), QStringList{"0 0 1 1 a"});
    QCOMPARE(describe(doc.tables[1]), (QStringList{"0 0 1 1 b", "0 1 1 1 c"}));
    QCOMPARE(doc.blocks.size(), size_t(3));
    QCOMPARE(doc.blocks[0].table, 0);
    QCOMPARE(doc.blocks[1].text, QStringLiteral("between"));
    QCOMPARE(doc.blocks[2].table, 1);
}

// The shape of the document-parsing cookbook's output (frame 1540×1008).
void TstHtmlTable::qwenDocument()
{
    const QString text = QString::fromUtf8(
        "```html\n<html><body>\n"
        "<h2 data-bbox=\"310 94 658 132\">Rechnung Nr. 2026-0042</h2>\n"
        "<p data-bbox=\"88 160 720 228\">ACME GmbH<br>Hauptstraße 5, 10115 Berlin</p>\n"
        "<div class=\"image\" data-bbox=\"1100 60 1420 200\"><img data-bbox=\"1110 70 1410 190\"/></div>\n"
        "<table data-bbox=\"88 300 1450 700\"><tr><td data-bbox=\"88 300 700 340\">Beratung</td>"
        "<td data-bbox=\"700 300 1450 340\">1.200,00</td></tr></table>\n"
        "<p data-bbox=\"88 720 900 760\">Zahlbar innerhalb von 14 Tagen.</p>\n"
        "</body></html>\n```");
    const auto doc = parseModelHtml(text);
    QVERIFY(doc.warnings.isEmpty());
    QCOMPARE(doc.blocks.size(), size_t(5));
    QCOMPARE(doc.blocks[0].tag, QStringLiteral("h2"));
    QCOMPARE(doc.blocks[0].text, QStringLiteral("Rechnung Nr. 2026-0042"));
    QCOMPARE(doc.blocks[0].box, std::optional<PixelBox>(PixelBox{310, 94, 658, 132}));
    QCOMPARE(doc.blocks[1].tag, QStringLiteral("p"));
    QCOMPARE(doc.blocks[1].text, QString::fromUtf8("ACME GmbH\nHauptstraße 5, 10115 Berlin"));
    QCOMPARE(doc.blocks[2].tag, QStringLiteral("div"));
    QCOMPARE(doc.blocks[2].className, QStringLiteral("image"));
    QCOMPARE(doc.blocks[2].box, std::optional<PixelBox>(PixelBox{1100, 60, 1420, 200}));
    QCOMPARE(doc.blocks[3].tag, QStringLiteral("table"));
    QCOMPARE(doc.blocks[3].table, 0);
    QCOMPARE(doc.blocks[3].box, std::optional<PixelBox>(PixelBox{88, 300, 1450, 700}));
    QCOMPARE(doc.blocks[4].text, QStringLiteral("Zahlbar innerhalb von 14 Tagen."));
    QCOMPARE(doc.tables.size(), size_t(1));
    QCOMPARE(describe(doc.tables[0]), (QStringList{"0 0 1 1 Beratung", "0 1 1 1 1.200,00"}));
    QCOMPARE(doc.tables[0].cells[1].box, std::optional<PixelBox>(PixelBox{700, 300, 1450, 340}));
}

// "图片解析成html" gives ordinary HTML without boxes: text blocks still come out.
void TstHtmlTable::plainDocument()
{
    const auto doc = parseModelHtml(QString::fromUtf8(
        "<h1>发票</h1><p>购买方：某某公司</p><ul><li>第一项</li><li>第二项</li></ul><div><span>loose</span></div>"));
    QCOMPARE(doc.blocks.size(), size_t(4));
    QCOMPARE(doc.blocks[0].tag, QStringLiteral("h1"));
    QCOMPARE(doc.blocks[0].text, QString::fromUtf8("发票"));
    QCOMPARE(doc.blocks[1].text, QString::fromUtf8("购买方：某某公司"));
    QCOMPARE(doc.blocks[2].tag, QStringLiteral("li"));
    QCOMPARE(doc.blocks[3].text, QString::fromUtf8("第二项"));
    for (const auto& b : doc.blocks)
        QVERIFY(!b.box.has_value());
}

void TstHtmlTable::dataBbox_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QList<double>>("expected");
    using L = QList<double>;
    QTest::newRow("spaces") << QStringLiteral("310 94 658 132") << true << L{310, 94, 658, 132};
    QTest::newRow("extra spaces") << QStringLiteral("  310  94 658\t132 ") << true << L{310, 94, 658, 132};
    QTest::newRow("commas") << QStringLiteral("310,94,658,132") << true << L{310, 94, 658, 132};
    QTest::newRow("brackets") << QStringLiteral("[310, 94, 658, 132]") << true << L{310, 94, 658, 132};
    QTest::newRow("fractions") << QStringLiteral("1.5 2 3.25 4") << true << L{1.5, 2, 3.25, 4};
    QTest::newRow("negative") << QStringLiteral("-3 2 10 4") << true << L{-3, 2, 10, 4};
    QTest::newRow("three numbers") << QStringLiteral("1 2 3") << false << L{};
    QTest::newRow("five numbers") << QStringLiteral("1 2 3 4 5") << false << L{};
    QTest::newRow("words") << QStringLiteral("x1 y1 x2 y2") << false << L{};
    QTest::newRow("empty") << QString() << false << L{};
}

void TstHtmlTable::dataBbox()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(QList<double>, expected);
    const auto box = parseDataBbox(value);
    QCOMPARE(box.has_value(), ok);
    if (ok)
        QCOMPARE(*box, (PixelBox{expected[0], expected[1], expected[2], expected[3]}));
}

void TstHtmlTable::noMarkup()
{
    const auto doc = parseModelHtml(QStringLiteral("I could not find a table in this image."));
    QVERIFY(doc.tables.empty());
    QVERIFY(doc.blocks.empty());
    // Nesting beyond the walker's bound is reported, not followed.
    const auto deep = parseModelHtml(QStringLiteral("<div>").repeated(1000) + QStringLiteral("<p>x</p>"));
    QVERIFY(deep.blocks.empty());
    QCOMPARE(deep.warnings.size(), 1);
    QVERIFY(deep.warnings.first().contains(QLatin1String("nested deeper")));
}

// Random tables with random spans: cells never overlap and stay inside the reported grid.
void TstHtmlTable::fuzzGridInvariants()
{
    QRandomGenerator rng(1532); // fixed seed: failures are reproducible
    const QStringList groups{"", "<thead>", "<tbody>", "<tfoot>"};
    for (int it = 0; it < 500; ++it) {
        QString html = QStringLiteral("<table>");
        const int nRows = 1 + rng.bounded(8);
        for (int r = 0; r < nRows; ++r) {
            if (rng.bounded(4) == 0)
                html += groups[rng.bounded(int(groups.size()))];
            html += QStringLiteral("<tr>");
            const int nCells = rng.bounded(6);
            for (int c = 0; c < nCells; ++c) {
                html += rng.bounded(3) == 0 ? QStringLiteral("<th") : QStringLiteral("<td");
                if (rng.bounded(3) == 0)
                    html += QStringLiteral(" rowspan=%1").arg(rng.bounded(5));
                if (rng.bounded(3) == 0)
                    html += QStringLiteral(" colspan=%1").arg(rng.bounded(4));
                html += QStringLiteral(">c%1").arg(c);
                if (rng.bounded(2) == 0)
                    html += QStringLiteral("</td>");
            }
            if (rng.bounded(2) == 0)
                html += QStringLiteral("</tr>");
        }
        const auto doc = parseModelHtml(html);
        QCOMPARE(doc.tables.size(), size_t(1));
        const HtmlTable& t = doc.tables.front();
        std::set<std::pair<int, int>> used;
        for (const HtmlCell& c : t.cells) {
            QVERIFY(c.rowSpan >= 1 && c.colSpan >= 1);
            QVERIFY2(c.row + c.rowSpan <= t.rows, qPrintable(html));
            QVERIFY2(c.col + c.colSpan <= t.cols, qPrintable(html));
            for (int r = c.row; r < c.row + c.rowSpan; ++r) {
                for (int k = c.col; k < c.col + c.colSpan; ++k)
                    QVERIFY2(used.insert({r, k}).second, qPrintable(html));
            }
        }
    }
}

FOLIO_TEST_CLASS(TstHtmlTable)
#include "tst_htmltable.moc"
