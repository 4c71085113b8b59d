// Date, amount and percentage normalisation. Expected values are what the written text means.
#include "testregistry.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"
#include "extract/decimal.h"

#include <QDate>
#include <QObject>
#include <QRandomGenerator>
#include <QTest>

using folio::extract::AmountContext;
using folio::extract::DateOrder;
using folio::extract::Decimal;
using folio::extract::Flag;
using folio::extract::Flags;
using folio::extract::normalizeAmount;
using folio::extract::normalizeDate;
using folio::extract::normalizePercent;

Q_DECLARE_METATYPE(DateOrder)

class TstNormalize : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dates_data();
    void dates();
    void badDates_data();
    void badDates();
    void amounts_data();
    void amounts();
    void badAmounts_data();
    void badAmounts();
    void percents_data();
    void percents();
    void decimals_data();
    void decimals();
    void rounding_data();
    void rounding();
    void fuzzNeverCrashes();
};

void TstNormalize::dates_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<DateOrder>("order");
    QTest::addColumn<QString>("iso");
    QTest::addColumn<bool>("ambiguous");

    const auto row = [](const char* name, const QString& raw, DateOrder order, const char* iso, bool ambiguous) {
        QTest::newRow(name) << raw << order << QString::fromLatin1(iso) << ambiguous;
    };
    const DateOrder U = DateOrder::Unknown, D = DateOrder::DayFirst, M = DateOrder::MonthFirst;
    row("dotted", QStringLiteral("15.03.2026"), U, "2026-03-15", false);
    row("slashed day first", QStringLiteral("15/03/2026"), U, "2026-03-15", false);
    row("slashed month first", QStringLiteral("03/15/2026"), U, "2026-03-15", false);
    row("ISO", QStringLiteral("2026-03-15"), U, "2026-03-15", false);
    row("ISO with time", QStringLiteral("2026-03-15T10:30:00Z"), U, "2026-03-15", false);
    row("dotted with time", QStringLiteral("15.03.2026 14:30"), U, "2026-03-15", false);
    row("year first slashes", QStringLiteral("2026/3/5"), U, "2026-03-05", false);
    row("compact", QStringLiteral("20260315"), U, "2026-03-15", false);
    row("day month name", QStringLiteral("15 March 2026"), U, "2026-03-15", false);
    row("month name first", QStringLiteral("March 15, 2026"), U, "2026-03-15", false);
    row("abbrev two-digit year", QStringLiteral("15-Mar-26"), U, "2026-03-15", false);
    row("abbrev with dot", QStringLiteral("Sept. 3, 2025"), U, "2025-09-03", false);
    row("ordinal", QStringLiteral("15th of March 2026"), U, "2026-03-15", false);
    row("weekday", QStringLiteral("Sunday, 15 March 2026"), U, "2026-03-15", false);
    row("German", QString::fromUtf8("15. März 2026"), U, "2026-03-15", false);
    row("German ae", QStringLiteral("1. Maerz 2026"), U, "2026-03-01", false);
    row("French", QString::fromUtf8("1er février 2026"), U, "2026-02-01", false);
    row("French abbrev", QString::fromUtf8("3 déc. 2025"), U, "2025-12-03", false);
    row("Spanish", QStringLiteral("15 de marzo de 2026"), U, "2026-03-15", false);
    row("Italian", QStringLiteral("5 giugno 2026"), U, "2026-06-05", false);
    row("Dutch", QStringLiteral("7 mei 2026"), U, "2026-05-07", false);
    row("Chinese", QString::fromUtf8("2026年3月15日"), U, "2026-03-15", false);
    row("Korean", QString::fromUtf8("2026년 3월 15일"), U, "2026-03-15", false);
    row("full-width digits", QString::fromUtf8("２０２６年３月１５日"), U, "2026-03-15", false);
    row("two-digit year dotted", QStringLiteral("15.03.26"), U, "2026-03-15", false);
    row("two-digit year 1999", QStringLiteral("31/12/99"), U, "1999-12-31", false);
    row("two-digit year pivot 69", QStringLiteral("01.01.69"), U, "2069-01-01", false);
    row("two-digit year pivot 70", QStringLiteral("01.01.70"), U, "1970-01-01", false);
    row("leap day", QStringLiteral("29.02.2028"), U, "2028-02-29", false);
    row("same day and month", QStringLiteral("03/03/2026"), U, "2026-03-03", false);
    // Ambiguous: both numbers could be the month.
    row("ambiguous unknown", QStringLiteral("03/04/2026"), U, "2026-04-03", true);
    row("ambiguous day first", QStringLiteral("03/04/2026"), D, "2026-04-03", true);
    row("ambiguous month first", QStringLiteral("03/04/2026"), M, "2026-03-04", true);
    row("ambiguous dashes", QStringLiteral("03-04-2026"), M, "2026-03-04", true);
    row("dots are day first", QStringLiteral("03.04.2026"), U, "2026-04-03", false);
    row("dots with hint", QStringLiteral("03.04.2026"), M, "2026-03-04", true);
    row("hint ignored when clear", QStringLiteral("15/03/2026"), M, "2026-03-15", false);
}

void TstNormalize::dates()
{
    QFETCH(QString, raw);
    QFETCH(DateOrder, order);
    QFETCH(QString, iso);
    QFETCH(bool, ambiguous);
    const auto v = normalizeDate(raw, order);
    QVERIFY2(v.ok(), qPrintable(v.error));
    QCOMPARE(v.value, iso);
    QCOMPARE(v.flags.testFlag(Flag::AmbiguousDate), ambiguous);
    QVERIFY(!v.flags.testFlag(Flag::Unparsed));
}

void TstNormalize::badDates_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("no such day") << QStringLiteral("31.02.2026") << QStringLiteral("no day 31 in month 2");
    QTest::newRow("not a leap year") << QStringLiteral("29.02.2027") << QStringLiteral("no day 29");
    QTest::newRow("both > 12") << QStringLiteral("13/14/2026") << QStringLiteral("no day");
    QTest::newRow("no year") << QStringLiteral("15 March") << QStringLiteral("lacks");
    QTest::newRow("month and year only") << QStringLiteral("03/2026") << QStringLiteral("expected a day");
    QTest::newRow("words") << QStringLiteral("next Tuesday") << QStringLiteral("not a month");
    QTest::newRow("three-digit year") << QStringLiteral("15.03.202") << QStringLiteral("neither 2 nor 4");
    QTest::newRow("two months") << QStringLiteral("March 15 April 2026") << QStringLiteral("two months");
    QTest::newRow("CJK without year") << QString::fromUtf8("3月15日") << QStringLiteral("expected a day");
    QTest::newRow("amount") << QStringLiteral("1.234,56") << QStringLiteral("not a date");
}

void TstNormalize::badDates()
{
    QFETCH(QString, raw);
    QFETCH(QString, reasonPart);
    const auto v = normalizeDate(raw);
    QVERIFY(!v.ok());
    QVERIFY(v.value.isEmpty());
    QVERIFY(v.flags.testFlag(Flag::Unparsed));
    QVERIFY2(v.error.contains(reasonPart), qPrintable(v.error));
    QVERIFY2(v.error.contains(raw), qPrintable(v.error)); // names the value
}

void TstNormalize::amounts_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("dollar"); // context
    QTest::addColumn<QString>("yen");
    QTest::addColumn<QChar>("decimal");

    const auto row = [](const char* name, const QString& raw, const char* value, const char* currency, Flags flags = {},
                         const char* dollar = "USD", const char* yen = "", QChar decimal = QChar()) {
        QTest::newRow(name) << raw << QString::fromLatin1(value) << QString::fromLatin1(currency) << int(flags.toInt())
                            << QString::fromLatin1(dollar) << QString::fromLatin1(yen) << decimal;
    };
    row("English grouping", QStringLiteral("1,234.56"), "1234.56", "");
    row("German grouping", QStringLiteral("1.234,56"), "1234.56", "");
    row("space grouping", QStringLiteral("1 234,56"), "1234.56", "");
    row("no-break space", QString::fromUtf8("1\u00a0234,56"), "1234.56", "");
    row("thin space", QString::fromUtf8("1\u2009234,56"), "1234.56", "");
    row("narrow no-break space", QString::fromUtf8("12\u202f345\u202f678,90"), "12345678.90", "");
    row("Swiss apostrophe", QStringLiteral("1'234.56"), "1234.56", "");
    row("Swiss typographic apostrophe", QString::fromUtf8("CHF 1’234.50"), "1234.50", "CHF");
    row("Indian grouping", QStringLiteral("₹1,23,456.00"), "123456.00", "INR");
    row("millions", QStringLiteral("1.234.567,89"), "1234567.89", "");
    row("negative", QStringLiteral("-12.00"), "-12.00", "");
    row("minus sign", QString::fromUtf8("−12,00 €"), "-12.00", "EUR");
    row("parentheses", QStringLiteral("(12.00)"), "-12.00", "");
    row("trailing minus", QStringLiteral("12,00-"), "-12.00", "");
    row("comma dash", QStringLiteral("12,-"), "12.00", "");
    row("comma dash euro", QStringLiteral("1.250,- €"), "1250.00", "EUR");
    row("euro front", QStringLiteral("€ 1.234,56"), "1234.56", "EUR");
    row("euro back", QStringLiteral("1.234,56 €"), "1234.56", "EUR");
    row("code back", QStringLiteral("1234.5 EUR"), "1234.50", "EUR");
    row("code front", QStringLiteral("USD 99"), "99.00", "USD");
    row("dollar", QStringLiteral("$1,299.00"), "1299.00", "USD");
    row("dollar in Canada", QStringLiteral("$1,299.00"), "1299.00", "CAD", {}, "CAD");
    row("US dollar prefix", QStringLiteral("US$ 5"), "5.00", "USD", {}, "CAD");
    row("pound", QStringLiteral("£12.50"), "12.50", "GBP");
    row("yen sign is ambiguous", QStringLiteral("¥1,000"), "1000.00", "CNY", Flag::AmbiguousCurrency);
    row("full-width yen", QString::fromUtf8("￥1,000.00"), "1000.00", "CNY", Flag::AmbiguousCurrency);
    row("yen known as JPY", QStringLiteral("¥1,000"), "1000.00", "JPY", {}, "USD", "JPY");
    row("yuan character", QString::fromUtf8("1,000.00元"), "1000.00", "CNY");
    row("RMB", QStringLiteral("RMB 88.8"), "88.80", "CNY");
    row("yen character", QString::fromUtf8("1,000円"), "1000.00", "JPY");
    row("full-width digits", QString::fromUtf8("￥１，２００"), "1200.00", "CNY", Flag::AmbiguousCurrency);
    row("Swiss francs", QStringLiteral("Fr. 45.00"), "45.00", "CHF");
    row("zloty", QString::fromUtf8("1 234,00 zł"), "1234.00", "PLN");
    row("krona ambiguous", QStringLiteral("1 234,00 kr"), "1234.00", "", Flag::AmbiguousCurrency);
    row("Euro word", QStringLiteral("12,50 Euro"), "12.50", "EUR");
    row("plain integer", QStringLiteral("1234"), "1234.00", "");
    row("leading zero decimals", QStringLiteral("0,05"), "0.05", "");
    row("no integer part", QStringLiteral(".50"), "0.50", "");
    row("unit price keeps decimals", QStringLiteral("1,7890"), "1.789", "");
    row("three decimals after zero", QStringLiteral("0.125"), "0.125", "");
    row("ambiguous thousand", QStringLiteral("1.234"), "1234.00", "", Flag::AmbiguousNumber);
    row("ambiguous thousand comma", QStringLiteral("1,234"), "1234.00", "", Flag::AmbiguousNumber);
    row("thousand with currency", QStringLiteral("1.000 €"), "1000.00", "EUR");
    row("decimal comma context", QStringLiteral("1,234"), "1.234", "", {}, "USD", "", QChar(u','));
    row("decimal dot context", QStringLiteral("1.234"), "1.234", "", {}, "USD", "", QChar(u'.'));
    row("grouping by context", QStringLiteral("1.234"), "1234.00", "", {}, "USD", "", QChar(u','));
}

void TstNormalize::amounts()
{
    QFETCH(QString, raw);
    QFETCH(QString, value);
    QFETCH(QString, currency);
    QFETCH(int, flags);
    QFETCH(QString, dollar);
    QFETCH(QString, yen);
    QFETCH(QChar, decimal);
    AmountContext context;
    context.dollarCurrency = dollar;
    context.yenCurrency = yen;
    context.decimalSeparator = decimal;
    const auto v = normalizeAmount(raw, context);
    QVERIFY2(v.ok(), qPrintable(v.error));
    QCOMPARE(v.value, value);
    QCOMPARE(v.currency, currency);
    QCOMPARE(v.flags, Flags::fromInt(flags));
}

void TstNormalize::badAmounts_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("empty") << QString() << QStringLiteral("no number");
    QTest::newRow("currency only") << QStringLiteral("EUR") << QStringLiteral("no number");
    QTest::newRow("words") << QStringLiteral("see attachment") << QStringLiteral("unexpected text");
    QTest::newRow("two currencies") << QStringLiteral("€ 12 USD") << QStringLiteral("two currencies");
    QTest::newRow("bad grouping") << QStringLiteral("1.23.4") << QStringLiteral("grouping");
    QTest::newRow("bad grouping mixed") << QStringLiteral("12,34.567,89") << QStringLiteral("malformed");
    QTest::newRow("too long") << QStringLiteral("1234567890123456789012") << QStringLiteral("18 digits");
    QTest::newRow("trailing words") << QStringLiteral("12.00 incl. VAT") << QStringLiteral("unexpected text");
}

void TstNormalize::badAmounts()
{
    QFETCH(QString, raw);
    QFETCH(QString, reasonPart);
    const auto v = normalizeAmount(raw);
    QVERIFY(!v.ok());
    QVERIFY(v.value.isEmpty());
    QVERIFY(v.flags.testFlag(Flag::Unparsed));
    QVERIFY2(v.error.contains(reasonPart), qPrintable(v.error));
}

void TstNormalize::percents_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("value"); // empty: must fail
    QTest::addColumn<bool>("ambiguous");
    QTest::newRow("space percent") << QStringLiteral("19 %") << QStringLiteral("19") << false;
    QTest::newRow("percent") << QStringLiteral("19%") << QStringLiteral("19") << false;
    QTest::newRow("decimal comma") << QStringLiteral("7,5 %") << QStringLiteral("7.5") << false;
    QTest::newRow("trailing zeros") << QStringLiteral("7.50%") << QStringLiteral("7.5") << false;
    QTest::newRow("full-width") << QString::fromUtf8("１９％") << QStringLiteral("19") << false;
    QTest::newRow("bare number") << QStringLiteral("19") << QStringLiteral("19") << false;
    QTest::newRow("zero") << QStringLiteral("0 %") << QStringLiteral("0") << false;
    QTest::newRow("fraction") << QStringLiteral("0.19") << QStringLiteral("19") << true;
    QTest::newRow("fraction comma") << QStringLiteral("0,075") << QStringLiteral("7.5") << true;
    QTest::newRow("small percent stays") << QStringLiteral("0.5 %") << QStringLiteral("0.5") << false;
    QTest::newRow("words") << QStringLiteral("VAT") << QString() << false;
    QTest::newRow("negative") << QStringLiteral("-19%") << QString() << false;
    QTest::newRow("two separators") << QStringLiteral("1.000,5%") << QString() << false;
    QTest::newRow("too many digits") << QStringLiteral("0.999999999999999999") << QString() << false;
}

void TstNormalize::percents()
{
    QFETCH(QString, raw);
    QFETCH(QString, value);
    QFETCH(bool, ambiguous);
    const auto v = normalizePercent(raw);
    if (value.isEmpty()) {
        QVERIFY(!v.ok());
        QVERIFY(v.flags.testFlag(Flag::Unparsed));
        return;
    }
    QVERIFY2(v.ok(), qPrintable(v.error));
    QCOMPARE(v.value, value);
    QCOMPARE(v.flags.testFlag(Flag::AmbiguousNumber), ambiguous);
}

void TstNormalize::decimals_data()
{
    QTest::addColumn<QString>("plain");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("two"); // toString(2)
    QTest::addColumn<qint64>("cents");
    QTest::newRow("int") << QStringLiteral("12") << true << QStringLiteral("12.00") << qint64(1200);
    QTest::newRow("neg") << QStringLiteral("-0.5") << true << QStringLiteral("-0.50") << qint64(-50);
    QTest::newRow("plus") << QStringLiteral("+.5") << true << QStringLiteral("0.50") << qint64(50);
    QTest::newRow("trailing dot") << QStringLiteral("12.") << true << QStringLiteral("12.00") << qint64(1200);
    QTest::newRow("half cent up") << QStringLiteral("0.125") << true << QStringLiteral("0.125") << qint64(13);
    QTest::newRow("half cent away") << QStringLiteral("-0.125") << true << QStringLiteral("-0.125") << qint64(-13);
    QTest::newRow("below half") << QStringLiteral("2.3449") << true << QStringLiteral("2.3449") << qint64(234);
    QTest::newRow("trailing zeros") << QStringLiteral("1.7800") << true << QStringLiteral("1.78") << qint64(178);
    QTest::newRow("empty") << QString() << false << QString() << qint64(0);
    QTest::newRow("sign only") << QStringLiteral("-") << false << QString() << qint64(0);
    QTest::newRow("dot only") << QStringLiteral(".") << false << QString() << qint64(0);
    QTest::newRow("two dots") << QStringLiteral("1.2.3") << false << QString() << qint64(0);
    QTest::newRow("comma") << QStringLiteral("1,5") << false << QString() << qint64(0);
    QTest::newRow("19 digits") << QStringLiteral("1234567890123456789") << false << QString() << qint64(0);
}

void TstNormalize::decimals()
{
    QFETCH(QString, plain);
    QFETCH(bool, ok);
    QFETCH(QString, two);
    QFETCH(qint64, cents);
    const auto d = Decimal::parse(plain);
    QCOMPARE(d.has_value(), ok);
    if (!ok)
        return;
    QCOMPARE(d->toString(2), two);
    QCOMPARE(d->toUnits(2), std::optional<std::int64_t>(cents));
}

void TstNormalize::rounding_data()
{
    QTest::addColumn<qint64>("num");
    QTest::addColumn<qint64>("den");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("5/2") << qint64(5) << qint64(2) << qint64(3);
    QTest::newRow("-5/2") << qint64(-5) << qint64(2) << qint64(-3);
    QTest::newRow("4/3") << qint64(4) << qint64(3) << qint64(1);
    QTest::newRow("-4/3") << qint64(-4) << qint64(3) << qint64(-1);
    QTest::newRow("5/3") << qint64(5) << qint64(3) << qint64(2);
    QTest::newRow("exact") << qint64(100) << qint64(10) << qint64(10);
    QTest::newRow("1900*19/100 -> 361") << qint64(1900 * 19) << qint64(100) << qint64(361);
    QTest::newRow("1050*19/100 -> 199.5 -> 200") << qint64(1050 * 19) << qint64(100) << qint64(200);
}

void TstNormalize::rounding()
{
    QFETCH(qint64, num);
    QFETCH(qint64, den);
    QFETCH(qint64, expected);
    QCOMPARE(folio::extract::divideRoundHalfAway(num, den), expected);
}

// Random strings from the characters these values are made of: every call returns either a
// value that reads back as a plain decimal / ISO date, or a reason.
void TstNormalize::fuzzNeverCrashes()
{
    const QString alphabet = QString::fromUtf8("0123456789.,'’ -−()%€$¥￥£元円/年月日EURSDkrMarchäz\u00a0\u2009T:");
    QRandomGenerator rng(19); // fixed seed: failures are reproducible
    for (int it = 0; it < 5000; ++it) {
        QString s;
        const int n = rng.bounded(24);
        for (int k = 0; k < n; ++k)
            s += alphabet[rng.bounded(int(alphabet.size()))];
        const auto amount = normalizeAmount(s);
        QVERIFY2(amount.ok() ? Decimal::parse(amount.value).has_value() : !amount.error.isEmpty(), qPrintable(s));
        QCOMPARE(amount.flags.testFlag(Flag::Unparsed), !amount.ok());
        const auto percent = normalizePercent(s);
        QVERIFY2(percent.ok() ? Decimal::parse(percent.value).has_value() : !percent.error.isEmpty(), qPrintable(s));
        const auto date = normalizeDate(s);
        QVERIFY2(date.ok() ? QDate::fromString(date.value, Qt::ISODate).isValid() : !date.error.isEmpty(),
            qPrintable(s));
    }
}

FOLIO_TEST_CLASS(TstNormalize)
#include "tst_normalize.moc"
