#pragma once
// Result flags: why a line, field or cell deserves the reviewer's attention. A bit set with
// stable string names: the names are stored in the database and written to exports, so a
// name is never renamed or reused; new flags are appended with new bits.
// Plain value types and pure functions, no thread affinity.

#include <QFlags>
#include <QString>
#include <QStringList>

#include <array>
#include <utility>

namespace folio::extract {

enum class Flag : unsigned {
    AmbiguousDate = 1u << 0,     // "ambiguous_date": 03/04/2026 could be 3 April or 4 March
    SumMismatch = 1u << 1,       // "sum_mismatch": line amounts do not add up to the net total
    TaxMismatch = 1u << 2,       // "tax_mismatch": tax does not match base × rate
    NotOnPage = 1u << 3,         // "not_on_page": the value is not found in the page's text layer
    TextMismatch = 1u << 4,      // "text_mismatch": the text layer under the box says something else
    OutOfBounds = 1u << 5,       // "out_of_bounds": the model's box left the image and was clamped
    Truncated = 1u << 6,         // "truncated": cut off at the token limit, recovered in part
    LowConfidence = 1u << 7,     // "low_confidence": below the review threshold
    Edited = 1u << 8,            // "edited": changed by the user
    TotalMismatch = 1u << 9,     // "total_mismatch": net + tax != grand total, or amount due > total
    LineMismatch = 1u << 10,     // "line_mismatch": quantity × unit price != line amount
    AmbiguousNumber = 1u << 11,  // "ambiguous_number": 1.234 could be 1234 or 1.234; 0.19 read as 19 %
    AmbiguousCurrency = 1u << 12, // "ambiguous_currency": ¥ could be CNY or JPY, kr SEK/NOK/DKK
    Unparsed = 1u << 13,         // "unparsed": the value could not be normalised
    EInvoiceMismatch = 1u << 14, // "einvoice_mismatch": differs from the PDF's embedded e-invoice
    Conflict = 1u << 15,         // "conflict": a re-run read something else than the reviewed value
    Unvalidated = 1u << 16,      // "unvalidated": an invoice check could not run (truncated page, pages missing...)
};
Q_DECLARE_FLAGS(Flags, Flag)
Q_DECLARE_OPERATORS_FOR_FLAGS(Flags)

// Every flag with its stored name, in bit order.
inline constexpr std::array<std::pair<Flag, const char*>, 17> kFlagNames{{
    {Flag::AmbiguousDate, "ambiguous_date"},
    {Flag::SumMismatch, "sum_mismatch"},
    {Flag::TaxMismatch, "tax_mismatch"},
    {Flag::NotOnPage, "not_on_page"},
    {Flag::TextMismatch, "text_mismatch"},
    {Flag::OutOfBounds, "out_of_bounds"},
    {Flag::Truncated, "truncated"},
    {Flag::LowConfidence, "low_confidence"},
    {Flag::Edited, "edited"},
    {Flag::TotalMismatch, "total_mismatch"},
    {Flag::LineMismatch, "line_mismatch"},
    {Flag::AmbiguousNumber, "ambiguous_number"},
    {Flag::AmbiguousCurrency, "ambiguous_currency"},
    {Flag::Unparsed, "unparsed"},
    {Flag::EInvoiceMismatch, "einvoice_mismatch"},
    {Flag::Conflict, "conflict"},
    {Flag::Unvalidated, "unvalidated"},
}};

inline QString flagName(Flag flag)
{
    for (const auto& [f, name] : kFlagNames) {
        if (f == flag)
            return QString::fromLatin1(name);
    }
    return {};
}

// The names of the set flags, in bit order.
inline QStringList flagsToStrings(Flags flags)
{
    QStringList out;
    for (const auto& [f, name] : kFlagNames) {
        if (flags.testFlag(f))
            out << QString::fromLatin1(name);
    }
    return out;
}

// Parses stored names back. Unknown names (e.g. written by a newer Folio) are not dropped
// silently: they are appended to *unknown when given.
inline Flags flagsFromStrings(const QStringList& names, QStringList* unknown = nullptr)
{
    Flags flags;
    for (const QString& n : names) {
        bool found = false;
        for (const auto& [f, name] : kFlagNames) {
            if (n == QLatin1String(name)) {
                flags |= f;
                found = true;
                break;
            }
        }
        if (!found && unknown)
            unknown->append(n);
    }
    return flags;
}

} // namespace folio::extract
