#include "extract/einvoice/ciiparser.h"

#include "extract/einvoice/einvoicebuilder.h"

namespace folio::extract {

namespace {

// Reads one document in one dialect; element names go through the dialect's namespaces (its
// strings are static, so the views in XmlName stay valid).
class CiiReader {
public:
    explicit CiiReader(const CiiDialect& dialect)
        : d(dialect)
    {
    }

    EInvoice read(const XmlElement& root) const;

private:
    XmlName rsm(const QString& local) const { return { d.rsm, local }; }
    XmlName ram(const QString& local) const { return { d.ram, local }; }
    XmlName ram(const char16_t* local) const { return { d.ram, QStringView(local) }; }
    XmlName udt(const char16_t* local) const { return { d.udt, QStringView(local) }; }

    PostalAddress address(const XmlElement* party) const;
    QString vatId(const XmlElement* party) const;
    void addParty(EInvoiceBuilder& b, const XmlElement* party, QLatin1StringView name, QLatin1StringView addressName,
        QLatin1StringView vatName) const;
    void addDate(EInvoiceBuilder& b, QLatin1StringView name, const XmlElement* dateTime) const;
    QString taxTotal(const XmlElement* summation, const QString& currency) const;
    EInvoiceLine line(const XmlElement& item) const;
    void addSettlement(EInvoiceBuilder& b, const XmlElement& settlement) const;

    const CiiDialect& d;
};

PostalAddress CiiReader::address(const XmlElement* party) const
{
    PostalAddress a;
    const XmlElement* postal = party ? party->find({ ram(u"PostalTradeAddress") }) : nullptr;
    if (!postal)
        return a;
    for (const char16_t* line : { u"LineOne", u"LineTwo", u"LineThree" }) {
        const QString text = postal->textAt({ ram(line) });
        if (!text.isEmpty())
            a.lines << text;
    }
    a.postcode = postal->textAt({ ram(u"PostcodeCode") });
    a.city = postal->textAt({ ram(u"CityName") });
    a.subdivision = postal->textAt({ ram(u"CountrySubDivisionName") });
    a.countryCode = postal->textAt({ ram(u"CountryID") });
    return a;
}

// The VAT identifier (BT-31 / BT-48): the tax registration with schemeID "VA"; "FC" is a
// national tax number, not a VAT id.
QString CiiReader::vatId(const XmlElement* party) const
{
    if (!party)
        return {};
    for (const XmlElement* registration : party->all(ram(u"SpecifiedTaxRegistration"))) {
        const XmlElement* id = registration->find({ ram(u"ID") });
        if (id && id->attribute(QStringLiteral("schemeID")) == QLatin1String("VA"))
            return id->text();
    }
    return {};
}

void CiiReader::addParty(EInvoiceBuilder& b, const XmlElement* party, QLatin1StringView name,
    QLatin1StringView addressName, QLatin1StringView vatName) const
{
    if (!party)
        return;
    b.addText(name, party->textAt({ ram(u"Name") }));
    b.addAddress(addressName, address(party));
    b.addId(vatName, vatId(party));
}

void CiiReader::addDate(EInvoiceBuilder& b, QLatin1StringView name, const XmlElement* dateTime) const
{
    const XmlElement* s = dateTime ? dateTime->find({ udt(u"DateTimeString") }) : nullptr;
    if (s)
        b.addCiiDate(name, s->text(), s->attribute(QStringLiteral("format")));
}

// The tax total in the invoice currency: BT-110. A second TaxTotalAmount in the accounting
// currency (BT-111) may follow; it is told apart by its currencyID.
QString CiiReader::taxTotal(const XmlElement* summation, const QString& currency) const
{
    if (!summation)
        return {};
    for (const XmlElement* t : summation->all(ram(u"TaxTotalAmount"))) {
        const QString id = t->attribute(QStringLiteral("currencyID"));
        if (id.isEmpty() || currency.isEmpty() || id.compare(currency, Qt::CaseInsensitive) == 0)
            return t->text();
    }
    return {};
}

EInvoiceLine CiiReader::line(const XmlElement& item) const
{
    EInvoiceLine l;
    l.description = item.textAt({ ram(u"SpecifiedTradeProduct"), ram(u"Name") });
    if (const XmlElement* q = item.find({ ram(d.lineDelivery), ram(u"BilledQuantity") })) {
        l.quantity = q->text();
        l.unitCode = q->attribute(QStringLiteral("unitCode"));
    }
    l.unitPrice = item.textAt({ ram(d.lineAgreement), ram(u"NetPriceProductTradePrice"), ram(u"ChargeAmount") });
    l.taxRate = item.textAt({ ram(d.lineSettlement), ram(u"ApplicableTradeTax"), ram(d.lineRate) });
    l.amount = item.textAt({ ram(d.lineSettlement), ram(d.lineSummation), ram(u"LineTotalAmount") });
    return l;
}

void CiiReader::addSettlement(EInvoiceBuilder& b, const XmlElement& settlement) const
{
    const QString currency = settlement.textAt({ ram(u"InvoiceCurrencyCode") });
    b.addCode(QLatin1StringView("currency"), currency);
    // Terms may come as several SpecifiedTradePaymentTerms (instalments, or the text and the due
    // date apart): the first description and the first due date count.
    const std::vector<const XmlElement*> terms = settlement.all(ram(u"SpecifiedTradePaymentTerms"));
    const auto firstIn = [&](XmlName name) -> const XmlElement* {
        for (const XmlElement* t : terms) {
            if (const XmlElement* e = t->find({ name }))
                return e;
        }
        return nullptr;
    };
    if (const XmlElement* description = firstIn(ram(u"Description")))
        b.addText(QLatin1StringView("payment_terms"), description->text());
    addDate(b, QLatin1StringView("due_date"), firstIn(ram(u"DueDateDateTime")));
    // The first payment means with an account is the one the buyer is asked to pay to.
    for (const XmlElement* means : settlement.all(ram(u"SpecifiedTradeSettlementPaymentMeans"))) {
        const QString iban = means->textAt({ ram(u"PayeePartyCreditorFinancialAccount"), ram(u"IBANID") });
        if (iban.isEmpty())
            continue;
        b.addId(QLatin1StringView("iban"), iban);
        b.addCode(QLatin1StringView("bic"),
            means->textAt({ ram(u"PayeeSpecifiedCreditorFinancialInstitution"), ram(u"BICID") }));
        break;
    }
    if (const XmlElement* summation = settlement.find({ ram(d.headerSummation) })) {
        b.addMoney(QLatin1StringView("net_total"), summation->textAt({ ram(u"TaxBasisTotalAmount") }));
        b.addMoney(QLatin1StringView("tax_total"), taxTotal(summation, currency));
        b.addMoney(QLatin1StringView("grand_total"), summation->textAt({ ram(u"GrandTotalAmount") }));
        b.addMoney(QLatin1StringView("amount_due"), summation->textAt({ ram(u"DuePayableAmount") }));
    }
}

EInvoice CiiReader::read(const XmlElement& root) const
{
    EInvoiceBuilder b(d.syntax,
        root.textAt({ rsm(d.context), ram(u"GuidelineSpecifiedDocumentContextParameter"), ram(u"ID") }));

    const XmlElement* document = root.find({ rsm(d.document) });
    const XmlElement* transaction = root.find({ rsm(d.transaction) });
    const XmlElement* agreement = transaction ? transaction->find({ ram(d.agreement) }) : nullptr;
    const XmlElement* settlement = transaction ? transaction->find({ ram(d.settlement) }) : nullptr;

    if (document) {
        b.setTypeCode(document->textAt({ ram(u"TypeCode") }));
        b.addText(QLatin1StringView("invoice_number"), document->textAt({ ram(u"ID") }));
        addDate(b, QLatin1StringView("issue_date"), document->find({ ram(u"IssueDateTime") }));
    }
    if (agreement) {
        addParty(b, agreement->find({ ram(u"SellerTradeParty") }), QLatin1StringView("seller_name"),
            QLatin1StringView("seller_address"), QLatin1StringView("seller_vat_id"));
        addParty(b, agreement->find({ ram(u"BuyerTradeParty") }), QLatin1StringView("buyer_name"),
            QLatin1StringView("buyer_address"), QLatin1StringView("buyer_vat_id"));
        b.addText(QLatin1StringView("purchase_order"),
            agreement->textAt({ ram(u"BuyerOrderReferencedDocument"), ram(d.orderId) }));
    }
    if (settlement)
        addSettlement(b, *settlement);
    if (transaction) {
        for (const XmlElement* item : transaction->all(ram(u"IncludedSupplyChainTradeLineItem")))
            b.addLine(line(*item));
    }
    return b.take();
}

} // namespace

EInvoice parseCii(const XmlElement& root, const CiiDialect& dialect)
{
    return CiiReader(dialect).read(root);
}

} // namespace folio::extract
