#include "extract/resultnormalizer.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"
#include "extract/invoicevocabulary.h"

#include <QRegularExpression>

namespace folio::extract {

namespace {

    enum class Kind { Text, Date, Amount, Number, Percent, Currency, Identifier };

    Kind invoiceFieldKind(const QString& name)
    {
        if (name.endsWith(QLatin1String("_date")))
            return Kind::Date;
        if (name.endsWith(QLatin1String("_total")) || name == u"amount_due")
            return Kind::Amount;
        if (name == u"currency")
            return Kind::Currency;
        if (name == u"iban" || name == u"bic" || name.endsWith(QLatin1String("_vat_id")))
            return Kind::Identifier;
        return Kind::Text;
    }

    Kind lineItemKind(int col)
    {
        switch (LineItemColumn(col)) {
        case LineItemColumn::UnitPrice:
        case LineItemColumn::Amount:
            return Kind::Amount;
        case LineItemColumn::Quantity:
            return Kind::Number;
        case LineItemColumn::TaxRate:
            return Kind::Percent;
        default:
            return Kind::Text;
        }
    }

    Kind schemaKind(const QString& type)
    {
        if (type == u"date")
            return Kind::Date;
        if (type == u"amount")
            return Kind::Amount;
        if (type == u"number")
            return Kind::Number;
        if (type == u"percent")
            return Kind::Percent;
        return Kind::Text;
    }

    struct Context {
        AmountContext amounts;
        DateOrder dateOrder = DateOrder::Unknown;
    };

    // Normalises one value; returns the canonical text and adds flags.
    QString normalizeValue(const QString& raw, Kind kind, const Context& context, Flags& flags, ConfidenceEvidence& evidence)
    {
        using Normalization = ConfidenceEvidence::Normalization;
        if (raw.trimmed().isEmpty())
            return {};
        NormalizedValue n;
        switch (kind) {
        case Kind::Text: {
            evidence.normalization = Normalization::NotApplicable;
            // Multi-line values (addresses) read as one line: "Hauptstraße 12, 10115 Berlin".
            QStringList lines;
            for (const QString& line : raw.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                if (!line.simplified().isEmpty())
                    lines << line.simplified();
            return lines.join(QStringLiteral(", "));
        }
        case Kind::Identifier:
            evidence.normalization = Normalization::NotApplicable;
            return raw.simplified().remove(QLatin1Char(' ')).toUpper();
        case Kind::Date:
            n = normalizeDate(raw, context.dateOrder);
            break;
        case Kind::Amount:
        case Kind::Number:
            n = normalizeAmount(raw, context.amounts);
            break;
        case Kind::Percent:
            n = normalizePercent(raw);
            break;
        case Kind::Currency:
            // The amount reader knows every symbol and code; give it a zero amount to read.
            n = normalizeAmount(QStringLiteral("0 ") + raw.trimmed(), context.amounts);
            if (n.ok() && n.currency.isEmpty())
                n.error = QStringLiteral("not a currency");
            if (n.ok())
                n.value = n.currency;
            break;
        }
        flags |= n.flags;
        if (!n.ok()) {
            flags |= Flag::Unparsed;
            evidence.normalization = Normalization::Failed;
            return {};
        }
        const Flags ambiguous = Flags(Flag::AmbiguousDate) | Flag::AmbiguousNumber | Flag::AmbiguousCurrency;
        evidence.normalization = (n.flags & ambiguous) ? Normalization::Ambiguous : Normalization::Ok;
        if (kind == Kind::Number) {
            // Quantities: no money padding ("2.00" → "2", "2.50" → "2.5").
            QString v = n.value;
            if (v.contains(QLatin1Char('.'))) {
                while (v.endsWith(QLatin1Char('0')))
                    v.chop(1);
                if (v.endsWith(QLatin1Char('.')))
                    v.chop(1);
            }
            return v;
        }
        return n.value;
    }

    // What the page itself says about notation: a currency field or symbol, and whether any
    // date on it is unambiguous about day/month order.
    Context inferContext(const PageResult& result)
    {
        Context c;
        for (const Field& f : result.fields) {
            if (f.name == u"currency") {
                const NormalizedValue n = normalizeAmount(QStringLiteral("0 ") + f.value.trimmed());
                if (n.ok() && !n.currency.isEmpty()) {
                    if (n.currency == u"JPY" || n.currency == u"CNY")
                        c.amounts.yenCurrency = n.currency;
                    if (f.value.contains(QLatin1Char('$')) || n.currency.endsWith(QLatin1String("D")))
                        c.amounts.dollarCurrency = n.currency;
                }
            }
        }
        static const QRegularExpression numeric(QStringLiteral("^\\s*(\\d{1,2})[./-](\\d{1,2})[./-]\\d{2,4}\\s*$"));
        for (const Field& f : result.fields) {
            if (invoiceFieldKind(f.name) != Kind::Date)
                continue;
            const QRegularExpressionMatch m = numeric.match(f.value);
            if (!m.hasMatch())
                continue;
            if (m.captured(1).toInt() > 12)
                c.dateOrder = DateOrder::DayFirst;
            else if (m.captured(2).toInt() > 12)
                c.dateOrder = DateOrder::MonthFirst;
            else if (f.value.contains(QLatin1Char('.')))
                c.dateOrder = DateOrder::DayFirst; // dotted numeric dates are day-first everywhere they are used
        }
        return c;
    }

} // namespace

void normalizeResult(PageResult& result, const QString& task, const std::vector<CustomField>& schema)
{
    const Context context = inferContext(result);
    for (Field& f : result.fields) {
        Kind kind = Kind::Text;
        if (task == u"invoice") {
            kind = invoiceFieldKind(f.name);
        } else if (task == u"custom") {
            for (const CustomField& s : schema)
                if (s.name == f.name)
                    kind = schemaKind(s.type);
        }
        f.normalized = normalizeValue(f.value, kind, context, f.flags, f.evidence);
    }
    for (Table& t : result.tables) {
        const bool lineItems = t.name == QLatin1String(kLineItemsTable);
        for (Cell& c : t.cells) {
            if (c.header)
                continue;
            const Kind kind = lineItems ? lineItemKind(c.col) : Kind::Text;
            c.normalized = normalizeValue(c.text, kind, context, c.flags, c.evidence);
        }
    }
}

} // namespace folio::extract
