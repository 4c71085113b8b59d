#pragma once
// LocaleFormat: how one sample document prints numbers and dates ("1.234,50" and "15.03.2026"
// on a German invoice, "1,234.50" and "March 15, 2026" on a US one), and the canonical forms the
// truth files use for the same values. Deliberately independent of QLocale and the machine's
// locale data, so the samples never change with the system they are generated on.
// Plain value type and free functions; thread-safe.

#include <QDate>
#include <QString>
#include <QtGlobal>

namespace folio::samplegen {

enum class DateStyle {
    Dotted, // 15.03.2026
    Iso, // 2026-03-15
    UsLong, // March 15, 2026
    Chinese, // 2026年03月15日
};

struct LocaleFormat {
    QChar decimalPoint = u'.';
    QChar groupSeparator = u',';
    QString percentSuffix = QStringLiteral("%"); // "%" or " %"
    DateStyle dateStyle = DateStyle::Iso;

    QString amount(qint64 cents) const; // 123450 → "1,234.50"
    QString quantity(qint64 milli) const; // 2500 → "2.5", 3000 → "3", 1250 → "1.25"
    QString rate(int basisPoints) const; // 1900 → "19%", 550 → "5,5 %"
    QString date(const QDate& date) const;
};

QString canonicalAmount(qint64 cents); // "1234.50", "-3.05"
QString canonicalQuantity(qint64 milli); // "2.5", "3"
QString canonicalRate(int basisPoints); // "19", "5.5"
QString canonicalDate(const QDate& date); // "2026-03-15"

} // namespace folio::samplegen
