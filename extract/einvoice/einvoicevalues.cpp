#include "extract/einvoice/einvoicevalues.h"

#include "extract/decimal.h"

#include <QDate>
#include <QLocale>
#include <QRegularExpression>

#include <array>
#include <utility>

namespace folio::extract {

std::optional<QString> canonicalDecimal(const QString& xml, int minDecimals)
{
    const std::optional<Decimal> d = Decimal::parse(QStringView(xml).trimmed());
    if (!d)
        return std::nullopt;
    return d->toString(minDecimals);
}

std::optional<QString> canonicalCiiDate(const QString& value, const QString& format)
{
    if (!format.isEmpty() && format != QLatin1String("102"))
        return std::nullopt;
    const QString s = value.trimmed();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{8}$"));
    if (!digits.match(s).hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(s, QStringLiteral("yyyyMMdd"));
    if (!date.isValid())
        return std::nullopt;
    return date.toString(Qt::ISODate);
}

std::optional<QString> canonicalIsoDate(const QString& value)
{
    // xsd:date may carry a zone ("2026-03-15Z", "2026-03-15+01:00"); the calendar day is what counts.
    static const QRegularExpression isoDate(
        QStringLiteral("^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$"));
    const QRegularExpressionMatch m = isoDate.match(value.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(m.captured(1), Qt::ISODate);
    if (!date.isValid())
        return std::nullopt;
    return date.toString(Qt::ISODate);
}

QString unitName(const QString& code)
{
    // The codes invoices use most (XRechnung and Peppol code lists); names are the short forms
    // an invoice prints.
    static const std::array<std::pair<const char*, const char*>, 33> names { {
        { "C62", "pc" },
        { "H87", "pc" },
        { "EA", "pc" },
        { "XPP", "pc" },
        { "HUR", "h" },
        { "MIN", "min" },
        { "SEC", "s" },
        { "DAY", "day" },
        { "WEE", "week" },
        { "MON", "month" },
        { "ANN", "year" },
        { "KGM", "kg" },
        { "GRM", "g" },
        { "TNE", "t" },
        { "MTR", "m" },
        { "CMT", "cm" },
        { "MMT", "mm" },
        { "KMT", "km" },
        { "MTK", "m²" },
        { "MTQ", "m³" },
        { "LTR", "l" },
        { "MLT", "ml" },
        { "KWH", "kWh" },
        { "SET", "set" },
        { "PR", "pair" },
        { "LS", "lump sum" },
        { "XPK", "pack" },
        { "XBX", "box" },
        { "XCS", "case" },
        { "XCT", "carton" },
        { "XRO", "roll" },
        { "XBO", "bottle" },
        { "XCR", "crate" },
    } };
    const QString c = code.trimmed();
    for (const auto& [unitCode, name] : names) {
        if (c == QLatin1String(unitCode))
            return QString::fromUtf8(name);
    }
    return c;
}

QString countryName(const QString& code)
{
    // QLocale names a territory only in a locale's own language, and picks no sensible language
    // for a bare territory (und_US resolves to Cherokee), so the main language is listed here.
    static const std::array<std::pair<const char*, QLocale::Language>, 33> languages { {
        { "DE", QLocale::German },
        { "AT", QLocale::German },
        { "CH", QLocale::German },
        { "LI", QLocale::German },
        { "FR", QLocale::French },
        { "LU", QLocale::French },
        { "MC", QLocale::French },
        { "BE", QLocale::Dutch },
        { "NL", QLocale::Dutch },
        { "IT", QLocale::Italian },
        { "ES", QLocale::Spanish },
        { "PT", QLocale::Portuguese },
        { "PL", QLocale::Polish },
        { "CZ", QLocale::Czech },
        { "SK", QLocale::Slovak },
        { "SI", QLocale::Slovenian },
        { "HR", QLocale::Croatian },
        { "HU", QLocale::Hungarian },
        { "RO", QLocale::Romanian },
        { "BG", QLocale::Bulgarian },
        { "GR", QLocale::Greek },
        { "DK", QLocale::Danish },
        { "SE", QLocale::Swedish },
        { "NO", QLocale::NorwegianBokmal },
        { "FI", QLocale::Finnish },
        { "EE", QLocale::Estonian },
        { "LV", QLocale::Latvian },
        { "LT", QLocale::Lithuanian },
        { "IE", QLocale::English },
        { "GB", QLocale::English },
        { "US", QLocale::English },
        { "CA", QLocale::English },
        { "AU", QLocale::English },
    } };
    const QString c = code.trimmed().toUpper();
    const QLocale::Territory territory = QLocale::codeToTerritory(c);
    if (territory == QLocale::AnyTerritory)
        return c;
    for (const auto& [countryCode, language] : languages) {
        if (c == QLatin1String(countryCode))
            return QLocale(language, territory).nativeTerritoryName();
    }
    return QLocale::territoryToString(territory);
}

bool PostalAddress::isEmpty() const
{
    return lines.isEmpty() && postcode.isEmpty() && city.isEmpty() && subdivision.isEmpty() && countryCode.isEmpty();
}

QString PostalAddress::raw() const
{
    QStringList parts = lines;
    parts << (postcode + u' ' + city).trimmed() << subdivision << countryCode;
    parts.removeAll(QString());
    return parts.join(u'\n');
}

QStringList PostalAddress::printedParts() const
{
    QStringList parts = lines;
    const QString country = countryCode.trimmed().toUpper();
    if (country == QLatin1String("US") || country == QLatin1String("CA") || country == QLatin1String("AU")
        || country == QLatin1String("GB")) {
        parts << city << (subdivision + u' ' + postcode).trimmed();
    } else {
        parts << (postcode + u' ' + city).trimmed() << subdivision;
    }
    if (!country.isEmpty())
        parts << countryName(country);
    parts.removeAll(QString());
    return parts;
}

} // namespace folio::extract
