#pragma once
// Money amounts and percentages as written on documents → plain decimal strings. The raw text
// stays with the field or cell; this gives the normalised value. Pure functions, no thread
// affinity, never throw.
//
// Amounts: "1,234.56", "1.234,56", "1 234,56" (space, no-break or thin space), "1'234.56",
// Indian "1,23,456.00", "-12.00", "−12.00", "12.00-", "(12.00)", "12,-", "€ 1.234,56",
// "1234.5 EUR", "USD 99", "¥1,000", "￥1,000.00", full-width digits. The value has at least two
// decimals and keeps further significant ones ("1234.50", "99.00", "1.789"): the project's
// money convention. The currency is ISO 4217:
// € EUR, £ GBP, $ USD (or the context's dollar), US$/C$/A$/HK$/S$/NZ$/R$, ¥ ￥ 元 RMB CNY
// (¥ and ￥ alone could be JPY: flagged AmbiguousCurrency unless the context names the yen
// currency), 円 JPY, ₹ ₩ ₽ ₺ ₪ ₫, zł, Kč, Fr./CHF, "kr" (SEK/NOK/DKK: flagged, no currency),
// and ISO codes written out.
// A single separator followed by exactly three digits ("1.234", "1,234") is read as grouping
// (1234) unless the context says which separator is decimal; it is flagged AmbiguousNumber
// when no currency is written (with one, three decimals are implausible).
//
// Percentages: "19 %", "19%", "7,5 %", "7.50%" → "19", "7.5". Without a % sign a value
// between 0 and 1 ("0.19") is read as a fraction (→ "19") and flagged AmbiguousNumber.

#include "extract/normalizedvalue.h"

#include <QChar>
#include <QString>

namespace folio::extract {

// What the document tells about its money notation.
struct AmountContext {
    QString dollarCurrency = QStringLiteral("USD"); // what a bare $ means (CAD, AUD, MXN...)
    QString yenCurrency; // "JPY" or "CNY" when known; empty: ¥ is read as CNY and flagged
    QChar decimalSeparator; // '.' or ',' when the locale is known; null to infer per value
};

NormalizedValue normalizeAmount(const QString& raw, const AmountContext& context = {});

NormalizedValue normalizePercent(const QString& raw);

} // namespace folio::extract
