#pragma once
// EInvoiceBuilder: turns the values a CII (either dialect) or UBL reader found into an EInvoice in the canonical
// vocabulary, so both syntaxes normalise the same way. Each add* ignores an empty value (the
// field is then absent); a value that cannot be normalised is kept with an empty `normalized`
// and Flag::Unparsed. One builder per document; no thread affinity.

#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/einvoicevalues.h"

namespace folio::extract {

// One invoice line as the XML writes it.
struct EInvoiceLine {
    QString description;
    QString quantity;
    QString unitCode;
    QString unitPrice;
    QString taxRate;
    QString amount;
};

class EInvoiceBuilder {
public:
    EInvoiceBuilder(QString syntax, QString profile);

    void addText(QLatin1StringView name, const QString& value); // names, terms: whitespace simplified
    void addCode(QLatin1StringView name, const QString& value); // currency, BIC: upper case
    void addId(QLatin1StringView name, const QString& value); // IBAN, VAT id: upper case, no spaces
    void addMoney(QLatin1StringView name, const QString& value); // two decimals at least
    void addCiiDate(QLatin1StringView name, const QString& value, const QString& format);
    void addIsoDate(QLatin1StringView name, const QString& value);
    void addAddress(QLatin1StringView name, const PostalAddress& address);
    void addLine(const EInvoiceLine& line);
    // The UN/CEFACT 1001 document type code (380 invoice, 381 credit note, ...): sets documentType.
    void setTypeCode(const QString& code);

    // The invoice with its fields in canonical order and the line_items table.
    EInvoice take();

private:
    void add(QLatin1StringView name, const QString& value, const std::optional<QString>& normalized);

    EInvoice m_invoice;
    int m_lines = 0;
};

} // namespace folio::extract
