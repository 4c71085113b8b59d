#pragma once
// Decimal: an exact decimal number (mantissa × 10^-scale) for money and quantities, so sums
// and products are exact and rounding happens only where a rule says so. Plain value type.

#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace folio::extract {

struct Decimal {
    std::int64_t mantissa = 0;
    int scale = 0; // number of decimals, 0..18

    // Reads a plain decimal: optional sign, digits, optional '.' and digits ("-1234.50", "+.5",
    // "12."). No grouping, no exponent. nullopt for anything else or more than 18 digits.
    static std::optional<Decimal> parse(QStringView plain);

    // Plain text with at least `minDecimals` decimals and no trailing zeros beyond them:
    // 1234.5 → "1234.50" (2), 19.00 → "19" (0), 1.7890 → "1.789" (2).
    QString toString(int minDecimals = 0) const;

    // Rounded to `decimals` places, half away from zero, as an integer count of those units
    // (toUnits(2) gives cents). nullopt on overflow.
    std::optional<std::int64_t> toUnits(int decimals) const;

    // Exact product; nullopt on overflow.
    std::optional<Decimal> times(const Decimal& other) const;

    // -1, 0, 1; nullopt when the operands cannot be brought to one scale without overflow.
    std::optional<int> compare(const Decimal& other) const;
};

// num / den rounded half away from zero (den > 0).
std::int64_t divideRoundHalfAway(std::int64_t num, std::int64_t den);

} // namespace folio::extract
