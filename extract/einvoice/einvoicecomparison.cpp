#include "extract/einvoice/einvoicecomparison.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"
#include "extract/einvoice/einvoicevalues.h"
#include "extract/invoicevocabulary.h"

#include <algorithm>

namespace folio::extract {

namespace {

QString lettersAndDigits(const QString& s)
{
    QString out;
    for (const QChar c : s) {
        if (c.isLetterOrNumber())
            out.append(c);
    }
    return out.toCaseFolded();
}

QString withoutSpaces(const QString& s)
{
    QString out;
    for (const QChar c : s) {
        if (!c.isSpace())
            out.append(c);
    }
    return out.toCaseFolded();
}

bool isAmount(const QString& name)
{
    return name == QLatin1String("net_total") || name == QLatin1String("tax_total")
        || name == QLatin1String("grand_total") || name == QLatin1String("amount_due");
}

bool isIdentifier(const QString& name)
{
    return name == QLatin1String("invoice_number") || name == QLatin1String("purchase_order")
        || name == QLatin1String("seller_vat_id") || name == QLatin1String("buyer_vat_id")
        || name == QLatin1String("iban") || name == QLatin1String("bic") || name == QLatin1String("currency");
}

bool isAddress(const QString& name)
{
    return name == QLatin1String("seller_address") || name == QLatin1String("buyer_address");
}

bool isDate(const QString& name)
{
    return name == QLatin1String("issue_date") || name == QLatin1String("due_date");
}

QString comparable(const Field& f)
{
    return f.normalized.isEmpty() ? f.value : f.normalized;
}

// The model's value in canonical form: its own normalised text, or, where the model's pipeline
// left none, its raw text normalised here the way extraction does ("1.467,64" → 1467.64), so a
// value read right is not called a disagreement for want of normalisation.
QString modelComparable(const Field& f)
{
    if (!f.normalized.isEmpty())
        return f.normalized;
    if (isAmount(f.name)) {
        const NormalizedValue n = normalizeAmount(f.value);
        if (n.ok())
            return n.value;
    } else if (isDate(f.name)) {
        const NormalizedValue n = normalizeDate(f.value);
        if (n.ok())
            return n.value;
    }
    return f.value;
}

bool sameValue(const QString& name, const QString& xml, const QString& model)
{
    if (isAmount(name)) {
        const std::optional<QString> a = canonicalDecimal(xml, 2);
        const std::optional<QString> b = canonicalDecimal(model, 2);
        return a && b && *a == *b;
    }
    if (isIdentifier(name))
        return withoutSpaces(xml) == withoutSpaces(model);
    if (isAddress(name)) {
        // The e-invoice's normalised address ends with the country, named by us; the printed
        // invoice may name it differently or leave it out.
        const QString m = lettersAndDigits(model);
        QStringList parts = xml.split(QStringLiteral(", "));
        if (m == lettersAndDigits(parts.join(u' ')))
            return true;
        parts.removeLast();
        return !parts.isEmpty() && m == lettersAndDigits(parts.join(u' '));
    }
    // Dates are compared as their ISO strings; names and terms with white space folded.
    return xml.simplified().compare(model.simplified(), Qt::CaseInsensitive) == 0;
}

} // namespace

QString agreementName(Agreement agreement)
{
    switch (agreement) {
    case Agreement::Agree:
        return QStringLiteral("agree");
    case Agreement::Disagree:
        return QStringLiteral("disagree");
    case Agreement::MissingInModel:
        return QStringLiteral("missing_in_model");
    case Agreement::MissingInXml:
        return QStringLiteral("missing_in_xml");
    }
    return {};
}

int EInvoiceComparison::count(Agreement agreement) const
{
    return static_cast<int>(std::count_if(
        fields.begin(), fields.end(), [&](const FieldComparison& f) { return f.agreement == agreement; }));
}

EInvoiceComparison compareWithModel(const EInvoice& invoice, const std::vector<Field>& modelFields)
{
    EInvoiceComparison result;
    result.modelFields = modelFields;
    for (const QLatin1StringView canonical : kInvoiceFields) {
        const QString name = canonical;
        const Field* xml = invoice.field(name);
        // A model may write a field twice (e.g. read on two pages): each copy is checked.
        std::vector<Field*> model;
        for (Field& f : result.modelFields) {
            if (f.name == name && !modelComparable(f).isEmpty())
                model.push_back(&f);
        }
        if (!xml && model.empty())
            continue;

        FieldComparison c;
        c.name = name;
        c.xmlValue = xml ? comparable(*xml) : QString();
        c.modelValue = model.empty() ? QString() : modelComparable(*model.front());
        if (!xml) {
            c.agreement = Agreement::MissingInXml;
        } else if (model.empty()) {
            c.agreement = Agreement::MissingInModel;
        } else {
            c.agreement = Agreement::Agree;
            for (Field* f : model) {
                if (!sameValue(name, c.xmlValue, modelComparable(*f))) {
                    f->flags |= Flag::EInvoiceMismatch;
                    c.agreement = Agreement::Disagree;
                }
            }
        }
        result.fields.push_back(c);
    }
    return result;
}

} // namespace folio::extract
