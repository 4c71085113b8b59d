#include "zugferdsample.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamWriter>

#include <utility>

namespace folio::samplegen {

namespace {

const QString kRsm = QStringLiteral("urn:ferd:CrossIndustryDocument:invoice:1p0");
const QString kRam = QStringLiteral("urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12");
const QString kUdt = QStringLiteral("urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15");

// UN/ECE recommendation 20/21 codes for the units the sample invoices print.
QString unitCode(const QString& printed)
{
    static const std::pair<const char*, const char*> codes[] = { { "pc", "H87" }, { "Stk.", "H87" }, { "ea", "H87" },
        { "roll", "XRO" }, { "m", "MTR" }, { "h", "HUR" }, { "Std.", "HUR" }, { "hr", "HUR" }, { "flat", "LS" },
        { "set", "SET" }, { "jar", "XJR" }, { "box", "XBX" }, { "case", "XCS" }, { "kg", "KGM" }, { "Pck.", "XPK" },
        { "Kasten", "XCR" } };
    for (const auto& [unit, code] : codes) {
        if (printed == QLatin1String(unit))
            return QString::fromLatin1(code);
    }
    return QStringLiteral("C62"); // "one": a unit with no code of its own (a subscription)
}

QString countryCode(const QString& printed)
{
    if (printed == QLatin1String("Deutschland"))
        return QStringLiteral("DE");
    if (printed == QLatin1String("France"))
        return QStringLiteral("FR");
    return QStringLiteral("US");
}

QString decimal(qint64 value, int decimals)
{
    qint64 scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    const QString sign = value < 0 ? QStringLiteral("-") : QString();
    const qint64 v = value < 0 ? -value : value;
    return sign + QString::number(v / scale) + u'.' + QStringLiteral("%1").arg(v % scale, decimals, 10, QChar(u'0'));
}

class Writer {
public:
    explicit Writer(QByteArray* out)
        : m_xml(out)
    {
        m_xml.setAutoFormatting(true);
        m_xml.setAutoFormattingIndent(2);
    }

    void document(const Invoice& inv);

private:
    void ram(const char* name, const QString& text) { m_xml.writeTextElement(kRam, QString::fromLatin1(name), text); }
    void amount(const char* name, qint64 cents, const QString& currency)
    {
        m_xml.writeStartElement(kRam, QString::fromLatin1(name));
        m_xml.writeAttribute(QStringLiteral("currencyID"), currency);
        m_xml.writeCharacters(decimal(cents, 2));
        m_xml.writeEndElement();
    }
    void date(const char* name, const QDate& d)
    {
        m_xml.writeStartElement(kRam, QString::fromLatin1(name));
        m_xml.writeStartElement(kUdt, QStringLiteral("DateTimeString"));
        m_xml.writeAttribute(QStringLiteral("format"), QStringLiteral("102"));
        m_xml.writeCharacters(d.toString(QStringLiteral("yyyyMMdd")));
        m_xml.writeEndElement();
        m_xml.writeEndElement();
    }
    void start(const char* name) { m_xml.writeStartElement(kRam, QString::fromLatin1(name)); }
    void end() { m_xml.writeEndElement(); }
    void party(const char* name, const Party& p);
    void settlement(const Invoice& inv);
    void item(const Invoice& inv, const LineItem& item, int number);

    QXmlStreamWriter m_xml;
};

void Writer::party(const char* name, const Party& p)
{
    start(name);
    ram("Name", p.name);
    // Printed as street, "postcode city", country (the European invoices this sample is made from).
    const QString cityLine = p.addressLines.value(1);
    const qsizetype space = cityLine.indexOf(u' ');
    start("PostalTradeAddress");
    ram("PostcodeCode", cityLine.left(space));
    ram("LineOne", p.addressLines.value(0));
    ram("CityName", cityLine.mid(space + 1));
    ram("CountryID", countryCode(p.addressLines.value(2)));
    end();
    if (!p.vatId.isEmpty()) {
        start("SpecifiedTaxRegistration");
        m_xml.writeStartElement(kRam, QStringLiteral("ID"));
        m_xml.writeAttribute(QStringLiteral("schemeID"), QStringLiteral("VA"));
        m_xml.writeCharacters(p.vatId);
        m_xml.writeEndElement();
        end();
    }
    end();
}

void Writer::settlement(const Invoice& inv)
{
    const QString& cur = inv.currency;
    start("ApplicableSupplyChainTradeSettlement");
    ram("PaymentReference", inv.number);
    ram("InvoiceCurrencyCode", cur);
    start("SpecifiedTradeSettlementPaymentMeans");
    ram("TypeCode", QStringLiteral("58")); // SEPA credit transfer
    start("PayeePartyCreditorFinancialAccount");
    ram("IBANID", QString(inv.iban).remove(u' '));
    end();
    start("PayeeSpecifiedCreditorFinancialInstitution");
    ram("BICID", inv.bic);
    ram("Name", inv.bankName);
    end();
    end();
    for (const TaxGroup& g : inv.taxGroups()) {
        start("ApplicableTradeTax");
        amount("CalculatedAmount", g.taxCents, cur);
        ram("TypeCode", QStringLiteral("VAT"));
        amount("BasisAmount", g.baseCents, cur);
        ram("CategoryCode", QStringLiteral("S"));
        ram("ApplicablePercent", decimal(g.rateBasisPoints, 2));
        end();
    }
    start("SpecifiedTradePaymentTerms");
    ram("Description", inv.paymentTerms);
    date("DueDateDateTime", inv.dueDate);
    end();
    start("SpecifiedTradeSettlementMonetarySummation");
    amount("LineTotalAmount", inv.netCents(), cur);
    amount("ChargeTotalAmount", 0, cur);
    amount("AllowanceTotalAmount", 0, cur);
    amount("TaxBasisTotalAmount", inv.netCents(), cur);
    amount("TaxTotalAmount", inv.taxCents(), cur);
    amount("GrandTotalAmount", inv.grandCents(), cur);
    amount("TotalPrepaidAmount", inv.prepaidCents, cur);
    amount("DuePayableAmount", inv.amountDueCents(), cur);
    end();
    end();
}

void Writer::item(const Invoice& inv, const LineItem& it, int number)
{
    start("IncludedSupplyChainTradeLineItem");
    start("AssociatedDocumentLineDocument");
    ram("LineID", QString::number(number));
    end();
    start("SpecifiedSupplyChainTradeAgreement");
    start("NetPriceProductTradePrice");
    amount("ChargeAmount", it.unitPriceCents, inv.currency);
    end();
    end();
    start("SpecifiedSupplyChainTradeDelivery");
    m_xml.writeStartElement(kRam, QStringLiteral("BilledQuantity"));
    m_xml.writeAttribute(QStringLiteral("unitCode"), unitCode(it.unit));
    m_xml.writeCharacters(decimal(it.quantityMilli * 10, 4));
    m_xml.writeEndElement();
    end();
    start("SpecifiedSupplyChainTradeSettlement");
    start("ApplicableTradeTax");
    ram("TypeCode", QStringLiteral("VAT"));
    ram("CategoryCode", QStringLiteral("S"));
    ram("ApplicablePercent", decimal(it.taxRateBasisPoints, 2));
    end();
    start("SpecifiedTradeSettlementMonetarySummation");
    amount("LineTotalAmount", it.amountCents(), inv.currency);
    end();
    end();
    start("SpecifiedTradeProduct");
    ram("Name", it.description);
    end();
    end();
}

void Writer::document(const Invoice& inv)
{
    m_xml.writeStartDocument();
    m_xml.writeNamespace(kRsm, QStringLiteral("rsm"));
    m_xml.writeNamespace(kRam, QStringLiteral("ram"));
    m_xml.writeNamespace(kUdt, QStringLiteral("udt"));
    m_xml.writeStartElement(kRsm, QStringLiteral("CrossIndustryDocument"));

    m_xml.writeStartElement(kRsm, QStringLiteral("SpecifiedExchangedDocumentContext"));
    start("GuidelineSpecifiedDocumentContextParameter");
    ram("ID", QStringLiteral("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"));
    end();
    m_xml.writeEndElement();

    m_xml.writeStartElement(kRsm, QStringLiteral("HeaderExchangedDocument"));
    ram("ID", inv.number);
    ram("Name", inv.labels.title.toUpper());
    ram("TypeCode", QStringLiteral("380"));
    date("IssueDateTime", inv.issueDate);
    m_xml.writeEndElement();

    m_xml.writeStartElement(kRsm, QStringLiteral("SpecifiedSupplyChainTradeTransaction"));
    start("ApplicableSupplyChainTradeAgreement");
    party("SellerTradeParty", inv.seller);
    party("BuyerTradeParty", inv.buyer);
    start("BuyerOrderReferencedDocument");
    ram("ID", inv.purchaseOrder);
    end();
    end();
    start("ApplicableSupplyChainTradeDelivery");
    start("ActualDeliverySupplyChainEvent");
    date("OccurrenceDateTime", inv.issueDate);
    end();
    end();
    settlement(inv);
    int number = 0;
    for (const LineItem& it : inv.items)
        item(inv, it, ++number);
    m_xml.writeEndElement();

    m_xml.writeEndElement();
    m_xml.writeEndDocument();
}

} // namespace

QByteArray zugferd1Xml(const Invoice& invoice)
{
    QByteArray out;
    Writer(&out).document(invoice);
    return out;
}

Result<void> writeZugferd1Sample(const Invoice& invoice, const QString& dir)
{
    const QDir out(dir);
    if (!out.mkpath(QStringLiteral("einvoice")))
        return makeError("cannot create " + out.filePath(QStringLiteral("einvoice")).toStdString());
    const QByteArray xml = zugferd1Xml(invoice);
    const QString xmlPath = out.filePath(QStringLiteral("einvoice/%1.zugferd1.xml").arg(invoice.fileStem));
    QFile file(xmlPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(xml) != xml.size() || !file.flush())
        return makeError("cannot write " + xmlPath.toStdString() + ": " + file.errorString().toStdString());
    file.close();

    // pdfattach names the attachment after the file, so the XML goes in under the name
    // ZUGFeRD 1.0 prescribes.
    QTemporaryDir tmp;
    const QString attachment = tmp.filePath(QStringLiteral("ZUGFeRD-invoice.xml"));
    if (!tmp.isValid() || !QFile::copy(xmlPath, attachment))
        return makeError("cannot stage the attachment in a temporary folder");
    const QString pdf = out.filePath(invoice.fileStem + QStringLiteral(".pdf"));
    const QString result = out.filePath(QStringLiteral("einvoice/%1_zugferd1.pdf").arg(invoice.fileStem));
    QFile::remove(result); // pdfattach refuses to overwrite
    QProcess attach;
    attach.start(QStringLiteral("pdfattach"), { pdf, attachment, result });
    if (!attach.waitForStarted())
        return makeError("cannot run pdfattach (Debian package poppler-utils) to make " + result.toStdString());
    attach.waitForFinished(60000);
    if (attach.exitStatus() != QProcess::NormalExit || attach.exitCode() != 0)
        return makeError("pdfattach failed making " + result.toStdString() + ": "
            + attach.readAllStandardError().trimmed().toStdString());
    return {};
}

} // namespace folio::samplegen
