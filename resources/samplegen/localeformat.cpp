#include "localeformat.h"

#include <array>
#include <cstdlib>

namespace folio::samplegen {

namespace {

// Digits of a non-negative integer with a group separator every three digits (none if null).
QString groupedDigits(qint64 value, QChar separator)
{
    const QString digits = QString::number(value);
    if (separator.isNull())
        return digits;
    QString out;
    for (qsizetype i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += separator;
        out += digits[i];
    }
    return out;
}

// "value / 10^scale" without trailing fractional zeros: (2500, 3) → "2" "5".
QString trimmedFraction(qint64 value, int scale, QChar point, QChar separator)
{
    qint64 divisor = 1;
    for (int i = 0; i < scale; ++i)
        divisor *= 10;
    const qint64 whole = std::llabs(value) / divisor;
    QString fraction = QString::number(std::llabs(value) % divisor).rightJustified(scale, u'0');
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    QString out = (value < 0 ? QStringLiteral("-") : QString()) + groupedDigits(whole, separator);
    if (!fraction.isEmpty())
        out += point + fraction;
    return out;
}

} // namespace

QString LocaleFormat::amount(qint64 cents) const
{
    const qint64 magnitude = std::llabs(cents);
    return (cents < 0 ? QStringLiteral("-") : QString()) + groupedDigits(magnitude / 100, groupSeparator) + decimalPoint
        + QString::number(magnitude % 100).rightJustified(2, u'0');
}

QString LocaleFormat::quantity(qint64 milli) const
{
    return trimmedFraction(milli, 3, decimalPoint, groupSeparator);
}

QString LocaleFormat::rate(int basisPoints) const
{
    return trimmedFraction(basisPoints, 2, decimalPoint, QChar()) + percentSuffix;
}

QString LocaleFormat::date(const QDate& date) const
{
    static const std::array<const char*, 12> months = { "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December" };
    const QString dd = QString::number(date.day()).rightJustified(2, u'0');
    const QString mm = QString::number(date.month()).rightJustified(2, u'0');
    const QString yyyy = QString::number(date.year());
    switch (dateStyle) {
    case DateStyle::Dotted:
        return dd + u'.' + mm + u'.' + yyyy;
    case DateStyle::Iso:
        return canonicalDate(date);
    case DateStyle::UsLong:
        return QString::fromLatin1(months[static_cast<std::size_t>(date.month() - 1)]) + u' '
            + QString::number(date.day()) + QStringLiteral(", ") + yyyy;
    case DateStyle::Chinese:
        return yyyy + QStringLiteral("年") + mm + QStringLiteral("月") + dd + QStringLiteral("日");
    }
    return {};
}

QString canonicalAmount(qint64 cents)
{
    return LocaleFormat { u'.', QChar(), {}, DateStyle::Iso }.amount(cents);
}

QString canonicalQuantity(qint64 milli)
{
    return trimmedFraction(milli, 3, u'.', QChar());
}

QString canonicalRate(int basisPoints)
{
    return trimmedFraction(basisPoints, 2, u'.', QChar());
}

QString canonicalDate(const QDate& date)
{
    return QString::number(date.year()) + u'-' + QString::number(date.month()).rightJustified(2, u'0') + u'-'
        + QString::number(date.day()).rightJustified(2, u'0');
}

} // namespace folio::samplegen
