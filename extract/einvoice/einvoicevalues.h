#pragma once
// The canonical forms of e-invoice values (CII and UBL write the same kinds of values the same
// way): XML decimals, CII date strings, UN/ECE recommendation 20 unit codes, ISO 3166 country
// codes and postal addresses. Pure functions; thread-safe.

#include <QString>
#include <QStringList>

#include <optional>

namespace folio::extract {

// An xsd:decimal ("+0012.5000", "-3", ".5") as a plain decimal with at least `minDecimals`
// decimals and no trailing zeros beyond them: ("1234.5000", 2) → "1234.50", ("2.3450", 2) →
// "2.345", ("3.0000", 0) → "3". nullopt for anything that is not a decimal (a comma, a
// thousands separator, an exponent, letters, more than 18 digits). Arithmetic is Decimal's
// (extract/decimal.h).
std::optional<QString> canonicalDecimal(const QString& xml, int minDecimals);

// A CII udt:DateTimeString with its format attribute as YYYY-MM-DD: format "102" (CCYYMMDD) is
// the only day-precise format EN 16931 allows; an empty format is read as 102. nullopt for
// other formats and for impossible dates.
std::optional<QString> canonicalCiiDate(const QString& value, const QString& format);

// An ISO 8601 calendar date (UBL's xsd:date, "2026-03-15", optionally with a zone suffix) as
// YYYY-MM-DD; nullopt for an impossible date.
std::optional<QString> canonicalIsoDate(const QString& value);

// A readable unit for a UN/ECE rec 20 (or rec 21 "X…") unit code: "HUR" → "h", "KGM" → "kg",
// "C62"/"H87" → "pc". Unknown codes are returned as they are.
QString unitName(const QString& code);

// A postal address as the e-invoice structures it.
struct PostalAddress {
    QStringList lines; // street lines, in order (CII LineOne..Three, UBL StreetName, AdditionalStreetName, AddressLine)
    QString postcode;
    QString city;
    QString subdivision; // state, region
    QString countryCode; // ISO 3166-1 alpha-2

    bool isEmpty() const;
    // The XML's parts one per line (the raw value): lines, "postcode city", subdivision, country code.
    QString raw() const;
    // The parts as printed on an invoice, joined with ", ": street lines, "postcode city" (US, CA,
    // AU, GB: "city subdivision postcode"), the country named in its own main language
    // ("Deutschland", "France", "United States"; English where the language is not known).
    QStringList printedParts() const;
};

// The country named in its own main language; English for countries this table does not know,
// the code itself for an unknown code.
QString countryName(const QString& code);

} // namespace folio::extract
