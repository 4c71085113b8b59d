// The result types shared with storage: stored flag names, Box geometry, table extent.
#include "testregistry.h"

#include "extract/types/pageresult.h"

#include <QObject>
#include <QTest>

using folio::extract::Box;
using folio::extract::Cell;
using folio::extract::Flag;
using folio::extract::Flags;
using folio::extract::flagsFromStrings;
using folio::extract::flagsToStrings;
using folio::extract::Table;

Q_DECLARE_METATYPE(Box)

class TstResultTypes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void flagNames_data();
    void flagNames();
    void flagRoundTrip();
    void iou_data();
    void iou();
    void united();
    void tableExtent();
};

// The names are a storage format: they must never change.
void TstResultTypes::flagNames_data()
{
    QTest::addColumn<int>("flag");
    QTest::addColumn<QString>("name");
    const auto row = [](Flag f, const char* name) { QTest::newRow(name) << int(f) << QString::fromLatin1(name); };
    row(Flag::AmbiguousDate, "ambiguous_date");
    row(Flag::SumMismatch, "sum_mismatch");
    row(Flag::TaxMismatch, "tax_mismatch");
    row(Flag::NotOnPage, "not_on_page");
    row(Flag::TextMismatch, "text_mismatch");
    row(Flag::OutOfBounds, "out_of_bounds");
    row(Flag::Truncated, "truncated");
    row(Flag::LowConfidence, "low_confidence");
    row(Flag::Edited, "edited");
    row(Flag::TotalMismatch, "total_mismatch");
    row(Flag::LineMismatch, "line_mismatch");
    row(Flag::AmbiguousNumber, "ambiguous_number");
    row(Flag::AmbiguousCurrency, "ambiguous_currency");
    row(Flag::Unparsed, "unparsed");
}

void TstResultTypes::flagNames()
{
    QFETCH(int, flag);
    QFETCH(QString, name);
    const Flag f = static_cast<Flag>(flag);
    QCOMPARE(folio::extract::flagName(f), name);
    QCOMPARE(flagsToStrings(Flags(f)), QStringList{name});
    QCOMPARE(flagsFromStrings({name}), Flags(f));
}

void TstResultTypes::flagRoundTrip()
{
    const Flags set = Flag::Edited | Flag::AmbiguousDate | Flag::OutOfBounds;
    QCOMPARE(flagsToStrings(set), (QStringList{"ambiguous_date", "out_of_bounds", "edited"}));
    QStringList unknown;
    const Flags back = flagsFromStrings({"edited", "from_the_future", "ambiguous_date", "out_of_bounds"}, &unknown);
    QCOMPARE(back, set);
    QCOMPARE(unknown, QStringList{"from_the_future"});
    QCOMPARE(flagsToStrings(Flags{}), QStringList{});
}

void TstResultTypes::iou_data()
{
    QTest::addColumn<Box>("a");
    QTest::addColumn<Box>("b");
    QTest::addColumn<double>("iou");
    QTest::newRow("same") << Box{0, 0.1, 0.1, 0.3, 0.3} << Box{0, 0.1, 0.1, 0.3, 0.3} << 1.0;
    // Two 0.2×0.2 squares overlapping in 0.1×0.2: 0.02 / (0.04 + 0.04 − 0.02) = 1/3.
    QTest::newRow("half shifted") << Box{0, 0.1, 0.1, 0.3, 0.3} << Box{0, 0.2, 0.1, 0.4, 0.3} << 1.0 / 3.0;
    // Contained: 0.01 / 0.04.
    QTest::newRow("contained") << Box{0, 0.0, 0.0, 0.2, 0.2} << Box{0, 0.05, 0.05, 0.15, 0.15} << 0.25;
    QTest::newRow("disjoint") << Box{0, 0.0, 0.0, 0.1, 0.1} << Box{0, 0.5, 0.5, 0.6, 0.6} << 0.0;
    QTest::newRow("touching") << Box{0, 0.0, 0.0, 0.1, 0.1} << Box{0, 0.1, 0.0, 0.2, 0.1} << 0.0;
    QTest::newRow("other page") << Box{0, 0.1, 0.1, 0.3, 0.3} << Box{1, 0.1, 0.1, 0.3, 0.3} << 0.0;
    QTest::newRow("invalid") << Box{} << Box{0, 0.1, 0.1, 0.3, 0.3} << 0.0;
}

void TstResultTypes::iou()
{
    QFETCH(Box, a);
    QFETCH(Box, b);
    QFETCH(double, iou);
    QVERIFY(qAbs(a.iou(b) - iou) < 1e-12);
    QVERIFY(qAbs(b.iou(a) - iou) < 1e-12);
}

void TstResultTypes::united()
{
    const Box a{2, 0.1, 0.2, 0.3, 0.4};
    const Box b{2, 0.5, 0.1, 0.6, 0.3};
    QCOMPARE(a.united(b), (Box{2, 0.1, 0.1, 0.6, 0.4}));
    QCOMPARE(a.united(Box{}), a);
    QCOMPARE(Box{}.united(a), a);
    QVERIFY(!Box{}.valid());
    QVERIFY(!(Box{0, 0.3, 0.1, 0.2, 0.2}.valid())); // x0 > x1
    QVERIFY(!(Box{0, 0.1, 0.1, 1.2, 0.2}.valid())); // off the page
    QCOMPARE(a.width(), 0.3 - 0.1);
    QCOMPARE(a.height(), 0.4 - 0.2);
}

void TstResultTypes::tableExtent()
{
    Table t;
    QCOMPARE(t.rows(), 0);
    QCOMPARE(t.cols(), 0);
    Cell wide;
    wide.row = 0;
    wide.col = 1;
    wide.colSpan = 3;
    Cell tall;
    tall.row = 2;
    tall.col = 0;
    tall.rowSpan = 2;
    t.cells = {wide, tall};
    QCOMPARE(t.rows(), 4);
    QCOMPARE(t.cols(), 4);
}

FOLIO_TEST_CLASS(TstResultTypes)
#include "tst_resulttypes.moc"
