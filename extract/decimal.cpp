#include "extract/decimal.h"

#include <algorithm>

namespace folio::extract {

namespace {

constexpr int kMaxDigits = 18; // always fits an int64

std::optional<std::int64_t> pow10(int n)
{
    if (n < 0 || n > kMaxDigits)
        return std::nullopt;
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i)
        p *= 10;
    return p;
}

std::optional<std::int64_t> rescaleUp(std::int64_t m, int by)
{
    const auto p = pow10(by);
    std::int64_t out = 0;
    if (!p || __builtin_mul_overflow(m, *p, &out))
        return std::nullopt;
    return out;
}

} // namespace

std::int64_t divideRoundHalfAway(std::int64_t num, std::int64_t den)
{
    const std::int64_t q = num / den;
    const std::int64_t r = num % den;
    // |r| >= den/2, compared without overflow: 2|r| >= den.
    const std::int64_t absR = r < 0 ? -r : r;
    if (absR >= den - absR)
        return num < 0 ? q - 1 : q + 1;
    return q;
}

std::optional<Decimal> Decimal::parse(QStringView plain)
{
    qsizetype i = 0;
    bool negative = false;
    if (i < plain.size() && (plain[i] == u'-' || plain[i] == u'+'))
        negative = plain[i++] == u'-';
    std::int64_t m = 0;
    int digits = 0;
    int scale = 0;
    bool dot = false;
    bool anyDigit = false;
    for (; i < plain.size(); ++i) {
        const QChar c = plain[i];
        if (c == u'.' && !dot) {
            dot = true;
            continue;
        }
        if (c < u'0' || c > u'9')
            return std::nullopt;
        anyDigit = true;
        if (digits > 0 || c != u'0')
            ++digits;
        if (digits > kMaxDigits)
            return std::nullopt;
        m = m * 10 + (c.unicode() - u'0');
        if (dot)
            ++scale;
    }
    if (!anyDigit || scale > kMaxDigits)
        return std::nullopt;
    return Decimal{negative ? -m : m, scale};
}

QString Decimal::toString(int minDecimals) const
{
    std::int64_t m = mantissa;
    int s = scale;
    while (s > minDecimals && m % 10 == 0) {
        m /= 10;
        --s;
    }
    const bool negative = m < 0;
    QString digits = QString::number(negative ? -static_cast<quint64>(m) : static_cast<quint64>(m));
    if (s < minDecimals) {
        digits += QString(minDecimals - s, u'0');
        s = minDecimals;
    }
    if (digits.size() <= s)
        digits = QString(s - digits.size() + 1, u'0') + digits;
    if (s > 0)
        digits.insert(digits.size() - s, u'.');
    return negative ? u'-' + digits : digits;
}

std::optional<std::int64_t> Decimal::toUnits(int decimals) const
{
    if (decimals >= scale)
        return rescaleUp(mantissa, decimals - scale);
    const auto p = pow10(scale - decimals);
    if (!p)
        return std::nullopt;
    return divideRoundHalfAway(mantissa, *p);
}

std::optional<Decimal> Decimal::times(const Decimal& other) const
{
    std::int64_t m = 0;
    if (__builtin_mul_overflow(mantissa, other.mantissa, &m) || scale + other.scale > kMaxDigits)
        return std::nullopt;
    return Decimal{m, scale + other.scale};
}

std::optional<int> Decimal::compare(const Decimal& other) const
{
    const int s = std::max(scale, other.scale);
    const auto a = rescaleUp(mantissa, s - scale);
    const auto b = rescaleUp(other.mantissa, s - other.scale);
    if (!a || !b)
        return std::nullopt;
    return *a < *b ? -1 : (*a > *b ? 1 : 0);
}

} // namespace folio::extract
