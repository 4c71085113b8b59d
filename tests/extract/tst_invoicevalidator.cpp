// validateInvoice: EN 16931-style arithmetic on fields and the line_items table. The invoices
// below were added up by hand; the comments give the arithmetic.
#include "testregistry.h"

#include "extract/invoicevalidator.h"

#include <QObject>
#include <QTest>

using folio::extract::Cell;
using folio::extract::CheckStatus;
using folio::extract::Field;
using folio::extract::Flag;
using folio::extract::Flags;
using folio::extract::flagsFromStrings;
using folio::extract::Table;
using folio::extract::validateInvoice;

namespace {

const QStringList kColumns{"description", "quantity", "unit", "unit_price", "tax_rate", "amount"};

// Lines as "quantity|unit_price|tax_rate|amount" (raw text as printed).
Table lineTable(const QStringList& lines)
{
    Table t;
    t.name = QStringLiteral("line_items");
    for (int c = 0; c < kColumns.size(); ++c)
        t.cells.push_back(Cell{0, c, 1, 1, kColumns[c], {}, {}, 1.0, {}, true, {}});
    for (int r = 0; r < lines.size(); ++r) {
        const QStringList v = lines[r].split(u'|');
        const QStringList row{QStringLiteral("Item %1").arg(r + 1), v[0], QStringLiteral("pc"), v[1], v[2], v[3]};
        for (int c = 0; c < row.size(); ++c)
            t.cells.push_back(Cell{r + 1, c, 1, 1, row[c], {}, {}, 1.0, {}, false, {}});
    }
    return t;
}

// Fields as "name=raw" or "name=raw=normalized".
std::vector<Field> fieldList(const QStringList& specs)
{
    std::vector<Field> out;
    for (const QString& s : specs) {
        const QStringList p = s.split(u'=');
        Field f;
        f.name = p[0];
        f.value = p[1];
        if (p.size() > 2)
            f.normalized = p[2];
        f.source = QStringLiteral("model");
        out.push_back(f);
    }
    return out;
}

} // namespace

class TstInvoiceValidator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checks_data();
    void checks();
};

void TstInvoiceValidator::checks_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<bool>("withTable");
    QTest::addColumn<QStringList>("statuses"); // "id=pass|fail|skip"
    QTest::addColumn<QStringList>("flagged");  // "net_total=sum_mismatch", "2:amount=line_mismatch"

    // 2 × 50.00 = 100.00 and 1 × 19.99 at 19 %: base 119.99 → 22.7981 → 22.80;
    // 3 × 2.50 = 7.50 at 7 % → 0.525 → 0.53 (half away from zero). Net 127.49, tax 23.33,
    // grand 150.82.
    const QStringList germanLines{"2|50,00|19 %|100,00", "1|19,99|19%|19,99", "3|2,50|7 %|7,50"};
    QTest::newRow("consistent German invoice")
        << germanLines
        << QStringList{"net_total=127,49", "tax_total=23,33", "grand_total=€ 150,82", "amount_due=150,82 EUR"} << true
        << QStringList{"line:1=pass", "line:2=pass", "line:3=pass", "lines_sum=pass", "totals=pass", "tax=pass",
               "amount_due=pass"}
        << QStringList{};
    QTest::newRow("net total does not match lines")
        << germanLines << QStringList{"net_total=127,00", "tax_total=23,33", "grand_total=150,33"} << true
        << QStringList{"lines_sum=fail", "totals=pass", "tax=pass", "amount_due=skip"}
        << QStringList{"net_total=sum_mismatch", "1:amount=sum_mismatch", "2:amount=sum_mismatch",
               "3:amount=sum_mismatch"};
    QTest::newRow("grand total wrong")
        << germanLines << QStringList{"net_total=127,49", "tax_total=23,33", "grand_total=150,00"} << true
        << QStringList{"lines_sum=pass", "totals=fail", "tax=pass"}
        << QStringList{"net_total=total_mismatch", "tax_total=total_mismatch", "grand_total=total_mismatch"};
    // Line 2 says 20,99 for 1 × 19,99; the totals follow the printed amounts: net 128.49,
    // tax 19 % of 120.99 = 22.9881 → 22.99 plus 0.53 = 23.52, grand 152.01.
    QTest::newRow("line amount wrong")
        << QStringList{"2|50,00|19 %|100,00", "1|19,99|19%|20,99", "3|2,50|7 %|7,50"}
        << QStringList{"net_total=128,49", "tax_total=23,52", "grand_total=152,01"} << true
        << QStringList{"line:1=pass", "line:2=fail", "line:3=pass", "lines_sum=pass", "totals=pass", "tax=pass"}
        << QStringList{"2:quantity=line_mismatch", "2:unit_price=line_mismatch", "2:amount=line_mismatch"};
    // Quantity × price within a cent: 3 × 0.3333 = 0.9999 printed as 1.00.
    QTest::newRow("line within a cent")
        << QStringList{"3|0.3333|19|1.00"} << QStringList{"net_total=1.00", "tax_total=0.19", "grand_total=1.19"}
        << true << QStringList{"line:1=pass", "lines_sum=pass", "totals=pass", "tax=pass"} << QStringList{};
    // Tax rounded per line: 3 × (1.07 × 19 % = 0.2033 → 0.20) = 0.60, while per group
    // 3.21 × 19 % = 0.6099 → 0.61. One cent off with three lines: accepted.
    QTest::newRow("per-line tax rounding tolerated")
        << QStringList{"1|1.07|19%|1.07", "1|1.07|19%|1.07", "1|1.07|19%|1.07"}
        << QStringList{"net_total=3.21", "tax_total=0.60", "grand_total=3.81"} << true
        << QStringList{"lines_sum=pass", "totals=pass", "tax=pass"} << QStringList{};
    // The same with one line: 1.07 × 19 % = 0.2033 → 0.20; 0.22 is two cents off.
    QTest::newRow("tax off beyond tolerance")
        << QStringList{"1|1.07|19%|1.07"} << QStringList{"net_total=1.07", "tax_total=0.22", "grand_total=1.29"}
        << true << QStringList{"tax=fail", "totals=pass"}
        << QStringList{"tax_total=tax_mismatch", "1:tax_rate=tax_mismatch"};
    QTest::newRow("tax total wrong")
        << germanLines << QStringList{"net_total=127,49", "tax_total=25,00", "grand_total=152,49"} << true
        << QStringList{"lines_sum=pass", "totals=pass", "tax=fail"}
        << QStringList{"tax_total=tax_mismatch", "1:tax_rate=tax_mismatch", "2:tax_rate=tax_mismatch",
               "3:tax_rate=tax_mismatch"};
    QTest::newRow("amount due above total")
        << germanLines
        << QStringList{"net_total=127,49", "tax_total=23,33", "grand_total=150,82", "amount_due=200,00"} << true
        << QStringList{"totals=pass", "amount_due=fail"}
        << QStringList{"amount_due=total_mismatch", "grand_total=total_mismatch"};
    QTest::newRow("prepaid: amount due below total")
        << germanLines
        << QStringList{"net_total=127,49", "tax_total=23,33", "grand_total=150,82", "amount_due=50,82"} << true
        << QStringList{"amount_due=pass"} << QStringList{};
    // The normalised value wins over the raw text.
    QTest::newRow("normalised values used")
        << QStringList{"1|100|19|100"}
        << QStringList{"net_total=one hundred=100.00", "tax_total=see below=19.00", "grand_total=119=119.00"} << true
        << QStringList{"lines_sum=pass", "totals=pass", "tax=pass"} << QStringList{};
    QTest::newRow("missing tax total")
        << germanLines << QStringList{"net_total=127,49", "grand_total=150,82"} << true
        << QStringList{"lines_sum=pass", "totals=skip", "tax=skip"} << QStringList{};
    QTest::newRow("unreadable amount")
        << QStringList{"1|10,00|19|n/a"} << QStringList{"net_total=10,00", "tax_total=1,90", "grand_total=11,90"}
        << true << QStringList{"line:1=skip", "lines_sum=skip", "totals=pass", "tax=skip"} << QStringList{};
    QTest::newRow("no line table")
        << QStringList{} << QStringList{"net_total=100.00", "tax_total=19.00", "grand_total=119.00"} << false
        << QStringList{"lines_sum=skip", "tax=skip", "totals=pass"} << QStringList{};
    // Credit note: −1 × 50.00 = −50.00, tax −9.50, grand −59.50.
    QTest::newRow("credit note")
        << QStringList{"-1|50.00|19%|-50.00"}
        << QStringList{"net_total=-50.00", "tax_total=(9.50)", "grand_total=-59.50", "amount_due=-59.50"} << true
        << QStringList{"line:1=pass", "lines_sum=pass", "totals=pass", "tax=pass", "amount_due=pass"}
        << QStringList{};
    // 17 digits fit a Decimal but not in cents: reported as too large, never overflowed.
    QTest::newRow("amounts too large for cents")
        << QStringList{"1|99999999999999999|0|99999999999999999"}
        << QStringList{"net_total=99999999999999999", "tax_total=0", "grand_total=99999999999999999"} << true
        << QStringList{"line:1=skip", "lines_sum=skip", "totals=skip", "tax=skip"} << QStringList{};
    // Zero-rated and English notation; 12 × 1,250.00 = 15,000.00.
    QTest::newRow("zero rate English notation")
        << QStringList{"12|$1,250.00|0%|$15,000.00"}
        << QStringList{"net_total=$15,000.00", "tax_total=$0.00", "grand_total=$15,000.00"} << true
        << QStringList{"line:1=pass", "lines_sum=pass", "totals=pass", "tax=pass"} << QStringList{};
}

void TstInvoiceValidator::checks()
{
    QFETCH(QStringList, lines);
    QFETCH(QStringList, fields);
    QFETCH(bool, withTable);
    QFETCH(QStringList, statuses);
    QFETCH(QStringList, flagged);

    std::vector<Field> fs = fieldList(fields);
    Table table = lineTable(lines);
    const std::vector<Field> fieldsBefore = fs;
    const Table tableBefore = table;

    const auto report = validateInvoice(fs, withTable ? &table : nullptr);

    for (const QString& s : statuses) {
        const QStringList p = s.split(u'=');
        const auto* check = report.find(p[0]);
        QVERIFY2(check, qPrintable(QStringLiteral("check %1 was not run").arg(p[0])));
        const CheckStatus want = p[1] == QLatin1String("pass") ? CheckStatus::Passed
            : p[1] == QLatin1String("fail")                    ? CheckStatus::Failed
                                                               : CheckStatus::Skipped;
        QVERIFY2(check->status == want, qPrintable(p[0] + QStringLiteral(": ") + check->message));
        QVERIFY(!check->message.isEmpty());
    }

    // Exactly the listed items carry flags, and their evidence counts the failed checks.
    std::map<QString, Flags> wantField;
    std::map<std::pair<int, QString>, Flags> wantCell;
    for (const QString& s : flagged) {
        const QStringList p = s.split(u'=');
        const Flags f = flagsFromStrings({p[1]});
        if (p[0].contains(u':')) {
            const QStringList rc = p[0].split(u':');
            wantCell[{rc[0].toInt(), rc[1]}] |= f;
        } else {
            wantField[p[0]] |= f;
        }
    }
    for (size_t i = 0; i < fs.size(); ++i) {
        const Flags want = wantField.count(fs[i].name) ? wantField[fs[i].name] : Flags{};
        QVERIFY2(fs[i].flags == want, qPrintable(fs[i].name));
        QCOMPARE(fs[i].evidence.checksFailed > 0, want != Flags{});
        // Values are never modified.
        QCOMPARE(fs[i].value, fieldsBefore[i].value);
        QCOMPARE(fs[i].normalized, fieldsBefore[i].normalized);
    }
    for (size_t i = 0; i < table.cells.size(); ++i) {
        Cell& c = table.cells[i];
        const QString column = kColumns[c.col];
        const auto key = std::make_pair(c.row, column);
        const Flags want = wantCell.count(key) ? wantCell[key] : Flags{};
        QVERIFY2(c.flags == want, qPrintable(QStringLiteral("row %1 %2").arg(c.row).arg(column)));
        QCOMPARE(c.evidence.checksFailed > 0, want != Flags{});
        QCOMPARE(c.text, tableBefore.cells[i].text);
        QCOMPARE(c.normalized, tableBefore.cells[i].normalized);
    }
}

FOLIO_TEST_CLASS(TstInvoiceValidator)
#include "tst_invoicevalidator.moc"
