#include "extract/einvoice/ublparser.h"

#include "extract/einvoice/einvoicebuilder.h"

namespace folio::extract {

namespace {

XmlName cac(const char16_t* local)
{
    return { kUblCacNamespace, QStringView(local) };
}
XmlName cbc(const char16_t* local)
{
    return { kUblCbcNamespace, QStringView(local) };
}

PostalAddress address(const XmlElement* party)
{
    PostalAddress a;
    const XmlElement* postal = party ? party->find({ cac(u"PostalAddress") }) : nullptr;
    if (!postal)
        return a;
    for (const char16_t* line : { u"StreetName", u"AdditionalStreetName" }) {
        const QString text = postal->textAt({ cbc(line) });
        if (!text.isEmpty())
            a.lines << text;
    }
    for (const XmlElement* line : postal->all(cac(u"AddressLine"))) {
        const QString text = line->textAt({ cbc(u"Line") });
        if (!text.isEmpty())
            a.lines << text;
    }
    a.postcode = postal->textAt({ cbc(u"PostalZone") });
    a.city = postal->textAt({ cbc(u"CityName") });
    a.subdivision = postal->textAt({ cbc(u"CountrySubentity") });
    a.countryCode = postal->textAt({ cac(u"Country"), cbc(u"IdentificationCode") });
    return a;
}

// The VAT identifier (BT-31 / BT-48): the PartyTaxScheme whose TaxScheme is VAT.
QString vatId(const XmlElement* party)
{
    for (const XmlElement* scheme : party->all(cac(u"PartyTaxScheme"))) {
        if (scheme->textAt({ cac(u"TaxScheme"), cbc(u"ID") }) == QLatin1String("VAT"))
            return scheme->textAt({ cbc(u"CompanyID") });
    }
    return {};
}

// BT-27 / BT-44 is the legal name (PartyLegalEntity/RegistrationName); UBL documents outside
// EN 16931 may give only the trading name (PartyName/Name), which then stands for it.
QString partyName(const XmlElement* party)
{
    const QString legal = party->textAt({ cac(u"PartyLegalEntity"), cbc(u"RegistrationName") });
    return legal.isEmpty() ? party->textAt({ cac(u"PartyName"), cbc(u"Name") }) : legal;
}

void addParty(EInvoiceBuilder& b, const XmlElement* party, QLatin1StringView name, QLatin1StringView addressName,
    QLatin1StringView vatName)
{
    if (!party)
        return;
    b.addText(name, partyName(party));
    b.addAddress(addressName, address(party));
    b.addId(vatName, vatId(party));
}

// The tax total in the document currency (BT-110); a second TaxTotal may give the tax in the
// accounting currency (BT-111), told apart by currencyID.
QString taxTotal(const XmlElement& root, const QString& currency)
{
    for (const XmlElement* total : root.all(cac(u"TaxTotal"))) {
        const XmlElement* amount = total->find({ cbc(u"TaxAmount") });
        if (!amount)
            continue;
        const QString id = amount->attribute(QStringLiteral("currencyID"));
        if (id.isEmpty() || currency.isEmpty() || id.compare(currency, Qt::CaseInsensitive) == 0)
            return amount->text();
    }
    return {};
}

EInvoiceLine line(const XmlElement& item, bool creditNote)
{
    EInvoiceLine l;
    l.description = item.textAt({ cac(u"Item"), cbc(u"Name") });
    if (const XmlElement* q = item.find({ cbc(creditNote ? u"CreditedQuantity" : u"InvoicedQuantity") })) {
        l.quantity = q->text();
        l.unitCode = q->attribute(QStringLiteral("unitCode"));
    }
    l.unitPrice = item.textAt({ cac(u"Price"), cbc(u"PriceAmount") });
    l.taxRate = item.textAt({ cac(u"Item"), cac(u"ClassifiedTaxCategory"), cbc(u"Percent") });
    l.amount = item.textAt({ cbc(u"LineExtensionAmount") });
    return l;
}

} // namespace

EInvoice parseUbl(const XmlElement& root)
{
    const bool creditNote = root.namespaceUri() == kUblCreditNoteNamespace;
    EInvoiceBuilder b(QStringLiteral("UBL"), root.textAt({ cbc(u"CustomizationID") }));
    b.setTypeCode(creditNote ? QStringLiteral("381") : root.textAt({ cbc(u"InvoiceTypeCode") }));

    b.addText(QLatin1StringView("invoice_number"), root.textAt({ cbc(u"ID") }));
    b.addIsoDate(QLatin1StringView("issue_date"), root.textAt({ cbc(u"IssueDate") }));
    // An Invoice has cbc:DueDate; a CreditNote gives the date with its payment means.
    b.addIsoDate(QLatin1StringView("due_date"),
        creditNote ? root.textAt({ cac(u"PaymentMeans"), cbc(u"PaymentDueDate") }) : root.textAt({ cbc(u"DueDate") }));
    const QString currency = root.textAt({ cbc(u"DocumentCurrencyCode") });
    b.addCode(QLatin1StringView("currency"), currency);

    addParty(b, root.find({ cac(u"AccountingSupplierParty"), cac(u"Party") }), QLatin1StringView("seller_name"),
        QLatin1StringView("seller_address"), QLatin1StringView("seller_vat_id"));
    addParty(b, root.find({ cac(u"AccountingCustomerParty"), cac(u"Party") }), QLatin1StringView("buyer_name"),
        QLatin1StringView("buyer_address"), QLatin1StringView("buyer_vat_id"));
    b.addText(QLatin1StringView("purchase_order"), root.textAt({ cac(u"OrderReference"), cbc(u"ID") }));
    b.addText(QLatin1StringView("payment_terms"), root.textAt({ cac(u"PaymentTerms"), cbc(u"Note") }));

    // The first payment means with an account is the one the buyer is asked to pay to.
    for (const XmlElement* means : root.all(cac(u"PaymentMeans"))) {
        const XmlElement* account = means->find({ cac(u"PayeeFinancialAccount") });
        if (!account || account->textAt({ cbc(u"ID") }).isEmpty())
            continue;
        b.addId(QLatin1StringView("iban"), account->textAt({ cbc(u"ID") }));
        b.addCode(QLatin1StringView("bic"), account->textAt({ cac(u"FinancialInstitutionBranch"), cbc(u"ID") }));
        break;
    }

    if (const XmlElement* totals = root.find({ cac(u"LegalMonetaryTotal") })) {
        b.addMoney(QLatin1StringView("net_total"), totals->textAt({ cbc(u"TaxExclusiveAmount") }));
        b.addMoney(QLatin1StringView("grand_total"), totals->textAt({ cbc(u"TaxInclusiveAmount") }));
        b.addMoney(QLatin1StringView("amount_due"), totals->textAt({ cbc(u"PayableAmount") }));
    }
    b.addMoney(QLatin1StringView("tax_total"), taxTotal(root, currency));

    for (const XmlElement* item : root.all(cac(creditNote ? u"CreditNoteLine" : u"InvoiceLine")))
        b.addLine(line(*item, creditNote));
    return b.take();
}

} // namespace folio::extract
