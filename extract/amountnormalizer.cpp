#include "extract/amountnormalizer.h"

#include "extract/decimal.h"

#include <QRegularExpression>
#include <QStringList>

#include <array>
#include <optional>

namespace folio::extract {

namespace {

struct CurrencyToken {
    const char16_t* text;
    const char* code; // "" = the context's dollar/yen or ambiguous, see below
};

// Longest first, so "US$" wins over "$".
constexpr std::array<CurrencyToken, 25> kSymbols{{
    {u"US$", "USD"}, {u"CA$", "CAD"}, {u"AU$", "AUD"}, {u"NZ$", "NZD"}, {u"HK$", "HKD"}, {u"CN¥", "CNY"},
    {u"JP¥", "JPY"}, {u"SFr.", "CHF"}, {u"C$", "CAD"}, {u"A$", "AUD"}, {u"S$", "SGD"}, {u"R$", "BRL"},
    {u"Fr.", "CHF"}, {u"zł", "PLN"}, {u"Kč", "CZK"}, {u"€", "EUR"}, {u"£", "GBP"}, {u"元", "CNY"}, {u"円", "JPY"},
    {u"₹", "INR"}, {u"₩", "KRW"}, {u"₽", "RUB"}, {u"₺", "TRY"}, {u"₪", "ILS"}, {u"₫", "VND"},
}};

const QStringList& isoCodes()
{
    static const QStringList codes = QStringLiteral(
        "EUR USD GBP CHF CNY JPY CAD AUD NZD HKD SGD SEK NOK DKK PLN CZK HUF RON BGN ISK RUB UAH TRY INR KRW BRL "
        "MXN ZAR ILS AED SAR THB TWD VND IDR MYR PHP")
                                         .split(u' ');
    return codes;
}

NormalizedValue failure(const QString& raw, const QString& what, const QString& why)
{
    NormalizedValue v;
    v.flags = Flag::Unparsed;
    v.error = QStringLiteral("\"%1\" is not %2: %3.").arg(raw, what, why);
    return v;
}

// Removes every currency marker from `s`, returning the currency (or "" when none), setting
// flags for ambiguous markers; an error text when two different currencies are written.
struct CurrencyScan {
    QString code;
    Flags flags;
    QString error;
};

CurrencyScan takeCurrency(QString& s, const AmountContext& context)
{
    CurrencyScan scan;
    const auto found = [&](const QString& code) {
        if (!scan.code.isEmpty() && !code.isEmpty() && scan.code != code)
            scan.error = QStringLiteral("it names two currencies, %1 and %2").arg(scan.code, code);
        else if (!code.isEmpty())
            scan.code = code;
    };
    for (const CurrencyToken& t : kSymbols) {
        const QString text = QString::fromUtf16(t.text);
        if (s.contains(text)) {
            s.remove(text);
            found(QString::fromLatin1(t.code));
        }
    }
    if (s.contains(u'$')) {
        s.remove(u'$');
        found(context.dollarCurrency);
    }
    if (s.contains(u'¥')) {
        s.remove(u'¥');
        if (context.yenCurrency.isEmpty()) {
            found(QStringLiteral("CNY"));
            scan.flags |= Flag::AmbiguousCurrency;
        } else {
            found(context.yenCurrency);
        }
    }
    // Words: ISO codes, RMB, Euro, kr.
    static const QRegularExpression word(QStringLiteral(R"(\p{L}+\.?)"));
    QString rest;
    qsizetype last = 0;
    auto it = word.globalMatch(s);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString w = m.captured();
        const QString bare = w.endsWith(u'.') ? w.chopped(1) : w;
        QString code;
        if (isoCodes().contains(bare))
            code = bare;
        else if (bare == QLatin1String("RMB"))
            code = QStringLiteral("CNY");
        else if (bare.compare(QLatin1String("euro"), Qt::CaseInsensitive) == 0
            || bare.compare(QLatin1String("euros"), Qt::CaseInsensitive) == 0)
            code = QStringLiteral("EUR");
        else if (bare.compare(QLatin1String("kr"), Qt::CaseInsensitive) == 0)
            scan.flags |= Flag::AmbiguousCurrency; // Swedish, Norwegian or Danish
        else
            continue; // left in place: reported as unexpected text
        rest += QStringView(s).mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        found(code);
    }
    rest += QStringView(s).mid(last);
    s = rest;
    return scan;
}

bool digitsOnly(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

// Checks digit grouping: first group 1-3 digits, then groups of 3 (or Indian 2…2,3).
bool validGrouping(const QStringList& groups)
{
    if (groups.size() < 2)
        return true;
    for (const QString& g : groups) {
        if (!digitsOnly(g))
            return false;
    }
    if (groups.first().size() > 3)
        return false;
    bool western = true;
    for (qsizetype i = 1; i < groups.size(); ++i)
        western = western && groups[i].size() == 3;
    if (western)
        return true;
    // Indian lakh/crore grouping: 1,23,45,678
    if (groups.last().size() != 3 || groups.first().size() > 2)
        return false;
    for (qsizetype i = 1; i + 1 < groups.size(); ++i) {
        if (groups[i].size() != 2)
            return false;
    }
    return true;
}

} // namespace

NormalizedValue normalizeAmount(const QString& raw, const AmountContext& context)
{
    const QString what = QStringLiteral("an amount");
    // NFKC: full-width digits and ￥ become ASCII and ¥; no-break and thin spaces become spaces.
    QString s = raw.normalized(QString::NormalizationForm_KC);
    CurrencyScan currency = takeCurrency(s, context);
    if (!currency.error.isEmpty())
        return failure(raw, what, currency.error);
    s = s.trimmed();
    s.replace(u'\u2212', u'-'); // minus sign
    s.replace(u'\u2013', u'-'); // en dash

    bool negative = false;
    if (s.startsWith(u'(') && s.endsWith(u')')) {
        negative = true; // accounting notation
        s = s.mid(1, s.size() - 2).trimmed();
    }
    if (s.startsWith(u'-') || s.startsWith(u'+')) {
        negative = negative || s.startsWith(u'-');
        s = s.mid(1).trimmed();
    }
    // "12,-" and "12.--": whole units.
    static const QRegularExpression wholeUnits(QStringLiteral(R"(^(.*\d)[.,]-+$)"));
    if (const auto m = wholeUnits.match(s); m.hasMatch())
        s = m.captured(1);
    else if (s.endsWith(u'-')) {
        negative = true; // "12.00-", trailing minus
        s.chop(1);
        s = s.trimmed();
    }
    if (s.isEmpty())
        return failure(raw, what, QStringLiteral("there is no number"));

    static const QRegularExpression shape(QStringLiteral(R"(^[0-9.,]?[0-9]+(?:[0-9 .,'’]*[0-9])?$)"));
    if (!shape.match(s).hasMatch()) {
        QString stray = s;
        stray.remove(QRegularExpression(QStringLiteral(R"([0-9 .,'’()+-])")));
        return failure(raw, what,
            stray.isEmpty() ? QStringLiteral("the number is malformed")
                            : QStringLiteral("unexpected text \"%1\"").arg(stray.trimmed()));
    }

    // Spaces and apostrophes only ever group digits.
    QString digits = s;
    const bool spaceGrouped = digits.contains(u' ') || digits.contains(u'\'') || digits.contains(u'’');
    Flags flags = currency.flags;
    const qsizetype lastDot = digits.lastIndexOf(u'.');
    const qsizetype lastComma = digits.lastIndexOf(u',');
    QChar decimal;
    if (lastDot >= 0 && lastComma >= 0) {
        decimal = lastDot > lastComma ? u'.' : u',';
    } else if (lastDot >= 0 || lastComma >= 0) {
        const QChar sep = lastDot >= 0 ? u'.' : u',';
        const qsizetype at = std::max(lastDot, lastComma);
        const qsizetype after = digits.size() - at - 1;
        const QString before = digits.left(at);
        if (digits.count(sep) > 1) {
            decimal = QChar(); // only grouping: "1.234.567"
        } else if (after != 3 || before.isEmpty() || before == QLatin1String("0") || spaceGrouped) {
            decimal = sep; // "12,50", "0.125", "1 234,567"
        } else if (!context.decimalSeparator.isNull()) {
            decimal = context.decimalSeparator == sep ? sep : QChar();
        } else {
            // "1.234": grouping in the usual money notation. With a currency written, three
            // decimals are implausible; without one it could be a quantity or unit price.
            decimal = QChar();
            if (currency.code.isEmpty())
                flags |= Flag::AmbiguousNumber;
        }
    }

    QString integer = digits;
    QString fraction;
    if (!decimal.isNull()) {
        const qsizetype at = digits.lastIndexOf(decimal);
        integer = digits.left(at);
        fraction = digits.mid(at + 1);
        if (!digitsOnly(fraction))
            return failure(raw, what, QStringLiteral("the decimals \"%1\" are malformed").arg(fraction));
    }
    // What is left of the decimal separator: digit groups, split by one kind of mark.
    if (integer.contains(u'.') && integer.contains(u','))
        return failure(raw, what, QStringLiteral("the number \"%1\" is malformed").arg(s));
    static const QRegularExpression groupSeparators(QStringLiteral("[ .,'’]"));
    const QStringList groups = integer.split(groupSeparators);
    if (!integer.isEmpty() && !validGrouping(groups))
        return failure(raw, what, QStringLiteral("the digit grouping of \"%1\" is malformed").arg(s));
    integer = groups.join(QString());
    if (integer.isEmpty())
        integer = QStringLiteral("0");

    const auto value = Decimal::parse(QString(negative ? QStringLiteral("-") : QString()) + integer
        + (fraction.isEmpty() ? QString() : u'.' + fraction));
    if (!value)
        return failure(raw, what, QStringLiteral("the number has more than 18 digits"));
    NormalizedValue v;
    v.value = value->toString(2);
    v.currency = currency.code;
    v.flags = flags;
    return v;
}

NormalizedValue normalizePercent(const QString& raw)
{
    const QString what = QStringLiteral("a percentage");
    QString s = raw.normalized(QString::NormalizationForm_KC).trimmed();
    const bool percentSign = s.endsWith(u'%');
    if (percentSign)
        s.chop(1);
    s = s.trimmed();
    if (s.count(u',') + s.count(u'.') > 1)
        return failure(raw, what, QStringLiteral("it has more than one decimal separator"));
    s.replace(u',', u'.');
    const auto value = Decimal::parse(s);
    if (!value || s.startsWith(u'-') || s.startsWith(u'+'))
        return failure(raw, what, QStringLiteral("it is not a plain non-negative number"));
    NormalizedValue v;
    Decimal d = *value;
    // "0.19" without a % sign is a fraction: a 0.19 % tax rate does not exist.
    if (!percentSign && d.mantissa > 0 && d.compare(Decimal{1, 0}) == -1) {
        const auto hundredfold = d.times(Decimal{100, 0});
        if (!hundredfold)
            return failure(raw, what, QStringLiteral("it has too many digits"));
        d = *hundredfold;
        v.flags |= Flag::AmbiguousNumber;
    }
    v.value = d.toString(0);
    return v;
}

} // namespace folio::extract
