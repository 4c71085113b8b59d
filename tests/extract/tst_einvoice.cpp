// E-invoice import: CII / UBL parsing against the sample's truth file, attachment discovery in
// PDFs, errors, boxes from the text layer, comparison with model fields.
#include "testregistry.h"

#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/einvoicecomparison.h"
#include "extract/einvoice/einvoicelocator.h"
#include "extract/einvoice/einvoiceresults.h"
#include "extract/einvoice/einvoicevalues.h"
#include "extract/invoicevocabulary.h"
#include "ingest/pdfdocument.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace folio::extract;

namespace {

QString samplePath(const QString& name)
{
    return folio::test::sourceDir() + QStringLiteral("/resources/samples/") + name;
}
QString dataPath(const QString& name)
{
    return folio::test::sourceDir() + QStringLiteral("/tests/data/einvoice/") + name;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

struct TruthValue {
    QString text;
    QString normalized;
    Box box;
};

Box truthBox(const QJsonObject& o)
{
    const QJsonArray b = o.value(QStringLiteral("box")).toArray();
    return Box { o.value(QStringLiteral("page")).toInt() - 1, b.at(0).toDouble(), b.at(1).toDouble(),
        b.at(2).toDouble(), b.at(3).toDouble() };
}

// <sample>.truth.json, written by folio-samplegen when it drew the PDF.
struct Truth {
    std::map<QString, TruthValue> fields;
    std::vector<std::vector<TruthValue>> lineItems; // columns as kLineItemColumns
};

Truth loadTruth(const QString& stem)
{
    const QJsonObject root
        = QJsonDocument::fromJson(readAll(samplePath(stem + QStringLiteral(".truth.json")))).object();
    Truth t;
    for (const QJsonValue v : root.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject o = v.toObject();
        t.fields[o.value(QStringLiteral("name")).toString()] = { o.value(QStringLiteral("value")).toString(),
            o.value(QStringLiteral("normalized")).toString(), truthBox(o) };
    }
    for (const QJsonValue tv : root.value(QStringLiteral("tables")).toArray()) {
        const QJsonObject table = tv.toObject();
        if (table.value(QStringLiteral("name")).toString() != kLineItemsTable)
            continue;
        for (const QJsonValue rv : table.value(QStringLiteral("rows")).toArray()) {
            std::vector<TruthValue> row;
            for (const QJsonValue cv : rv.toArray()) {
                const QJsonObject c = cv.toObject();
                row.push_back({ c.value(QStringLiteral("text")).toString(),
                    c.value(QStringLiteral("normalized")).toString(), truthBox(c) });
            }
            t.lineItems.push_back(row);
        }
    }
    return t;
}

// The UN/ECE rec 20/21 codes that the sample's XML files use for the printed German units
// (resources/samples/einvoice/README.md).
const std::map<QString, QString> kUnitCodes { { QStringLiteral("Stk."), QStringLiteral("H87") },
    { QStringLiteral("Pck."), QStringLiteral("XPK") }, { QStringLiteral("kg"), QStringLiteral("KGM") },
    { QStringLiteral("Kasten"), QStringLiteral("XCR") } };

const Cell* cellAt(const Table& t, int row, LineItemColumn column)
{
    for (const Cell& c : t.cells) {
        if (c.row == row && c.col == static_cast<int>(column))
            return &c;
    }
    return nullptr;
}

EInvoice readSample()
{
    auto r = readEmbeddedEInvoice(samplePath(QStringLiteral("einvoice/invoice-de-nordlicht_facturx.pdf")));
    if (!r || !r->has_value())
        qFatal("the Factur-X sample did not read: %s", r ? "no e-invoice" : r.error().c_str());
    return std::move(**r);
}

} // namespace

class TstEInvoice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesTruth_data();
    void matchesTruth();
    void noEInvoice_data();
    void noEInvoice();
    void binaryAttachmentIsNotXml();
    void malformedAttachment();
    void invoiceBesideMalformedAttachment();
    void ublCreditNote();
    void truncatedXmlIsAnError_data();
    void truncatedXmlIsAnError();
    void rejectedXml_data();
    void rejectedXml();
    void ciiDetails();
    void decimals_data();
    void decimals();
    void ciiDates_data();
    void ciiDates();
    void printedForms();
    void boxesOverlapTruth();
    void locatesPrintedForms_data();
    void locatesPrintedForms();
    void unprintedValueHasNoBox();
    void comparison_data();
    void comparison();
    void comparisonOfEqualFields();
    void comparisonOfRawModelValues_data();
    void comparisonOfRawModelValues();
    void zugferd1MatchesTruth();
    void zugferd1TotalsOnPage2();
    void documentType_data();
    void documentType();

private:
    Truth m_truth;
};

void TstEInvoice::initTestCase()
{
    m_truth = loadTruth(QStringLiteral("invoice-de-nordlicht"));
    QCOMPARE(m_truth.fields.size(), kInvoiceFields.size());
    QVERIFY(!m_truth.lineItems.empty());
}

// The Factur-X PDF (CII attached with pdfattach) and the UBL variant both give every canonical
// field and every line item of the truth file.
void TstEInvoice::matchesTruth_data()
{
    QTest::addColumn<QString>("syntax");
    QTest::newRow("CII attached to the PDF") << QStringLiteral("CII");
    QTest::newRow("UBL file") << QStringLiteral("UBL");
}

void TstEInvoice::matchesTruth()
{
    QFETCH(QString, syntax);
    EInvoice inv;
    if (syntax == QLatin1String("CII")) {
        inv = readSample();
        QCOMPARE(inv.attachmentName, QStringLiteral("factur-x.xml"));
        QCOMPARE(inv.profile, QStringLiteral("urn:cen.eu:en16931:2017"));
        QVERIFY(inv.warnings.isEmpty());
    } else {
        const QString path = samplePath(QStringLiteral("einvoice/invoice-de-nordlicht.ubl.xml"));
        auto r = parseEInvoice(readAll(path), path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
        QVERIFY(r->has_value());
        inv = std::move(**r);
        QVERIFY(
            inv.profile.startsWith(QLatin1String("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung")));
    }
    QCOMPARE(inv.syntax, syntax);

    QCOMPARE(inv.fields.size(), kInvoiceFields.size());
    for (const QLatin1StringView name : kInvoiceFields) {
        const Field* f = inv.field(QString(name));
        QVERIFY2(f, qPrintable(QStringLiteral("missing field ") + name));
        QCOMPARE(f->normalized, m_truth.fields.at(QString(name)).normalized);
        QCOMPARE(f->source, QStringLiteral("e-invoice"));
        QCOMPARE(f->confidence, 1.0);
        QVERIFY(!f->flags);
        QVERIFY(!f->box.valid());
    }

    const Table& t = inv.lineItems;
    QCOMPARE(t.name, QStringLiteral("line_items"));
    QCOMPARE(t.rows(), static_cast<int>(m_truth.lineItems.size()) + 1);
    QCOMPARE(t.cols(), static_cast<int>(kLineItemColumns.size()));
    for (std::size_t col = 0; col < kLineItemColumns.size(); ++col) {
        const Cell* header = cellAt(t, 0, static_cast<LineItemColumn>(col));
        QVERIFY(header && header->header);
        QCOMPARE(header->text, QString(kLineItemColumns[col]));
    }
    for (std::size_t i = 0; i < m_truth.lineItems.size(); ++i) {
        const int row = static_cast<int>(i) + 1;
        const std::vector<TruthValue>& truth = m_truth.lineItems[i];
        for (LineItemColumn column : { LineItemColumn::Description, LineItemColumn::Quantity, LineItemColumn::UnitPrice,
                 LineItemColumn::TaxRate, LineItemColumn::Amount }) {
            const Cell* c = cellAt(t, row, column);
            QVERIFY(c && !c->header);
            QCOMPARE(c->normalized, truth[static_cast<std::size_t>(column)].normalized);
        }
        // The XML carries unit codes, the PDF prints German abbreviations.
        const Cell* unit = cellAt(t, row, LineItemColumn::Unit);
        QVERIFY(unit);
        QCOMPARE(unit->text, kUnitCodes.at(truth[static_cast<std::size_t>(LineItemColumn::Unit)].normalized));
        QCOMPARE(unit->normalized, unitName(unit->text));
    }
}

void TstEInvoice::noEInvoice_data()
{
    QTest::addColumn<QString>("pdf");
    QTest::newRow("no attachments") << samplePath(QStringLiteral("invoice-de-nordlicht.pdf"));
    QTest::newRow("a text file and a non-invoice XML") << dataPath(QStringLiteral("other-attachments.pdf"));
}

void TstEInvoice::noEInvoice()
{
    QFETCH(QString, pdf);
    auto r = readEmbeddedEInvoice(pdf);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(!r->has_value());
}

// An encrypted attachment whose first byte happens to be '<' (pdf.js auth-event-ef-open.pdf) is
// binary, not broken XML: the import must not report it.
void TstEInvoice::binaryAttachmentIsNotXml()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile payload(dir.filePath(QStringLiteral("payload.bin")));
    QVERIFY(payload.open(QIODevice::WriteOnly));
    QByteArray bytes("<Q"); // a letter after the '<', as an element name would have
    for (int i = 0; i < 200; ++i)
        bytes.append(char((i * 37 + 11) % 256));
    payload.write(bytes);
    payload.close();
    const QString pdf = dir.filePath(QStringLiteral("with-binary.pdf"));
    QProcess qpdf;
    qpdf.start(QStringLiteral("qpdf"), {QStringLiteral("--add-attachment"), payload.fileName(), QStringLiteral("--"),
                                        samplePath(QStringLiteral("invoice-de-nordlicht.pdf")), pdf});
    QVERIFY2(qpdf.waitForFinished(60000) && qpdf.exitCode() == 0, qpdf.readAllStandardError().constData());
    auto r = readEmbeddedEInvoice(pdf);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(!r->has_value());
}

void TstEInvoice::malformedAttachment()
{
    const QString pdf = dataPath(QStringLiteral("malformed-facturx.pdf"));
    auto r = readEmbeddedEInvoice(pdf);
    QVERIFY(!r.ok());
    const QString message = QString::fromStdString(r.error());
    QVERIFY2(message.contains(pdf), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("\"factur-x.xml\"")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("not well-formed")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("line ")), qPrintable(message));

    QVERIFY(!readEmbeddedEInvoice(dataPath(QStringLiteral("does-not-exist.pdf"))).ok());
}

// Attachments are recognised by content: the invoice under a name that does not say XML is
// read, and the broken factur-x.xml beside it becomes a warning, not an error.
void TstEInvoice::invoiceBesideMalformedAttachment()
{
    const QString pdf = dataPath(QStringLiteral("malformed-and-valid.pdf"));
    auto r = readEmbeddedEInvoice(pdf);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(r->has_value());
    const EInvoice& inv = **r;
    QCOMPARE(inv.attachmentName, QStringLiteral("rechnung-daten.dat"));
    QCOMPARE(inv.syntax, QStringLiteral("CII"));
    QCOMPARE(inv.fields.size(), kInvoiceFields.size());
    QCOMPARE(inv.warnings.size(), 1);
    QVERIFY2(inv.warnings.front().contains(QLatin1String("\"factur-x.xml\"")), qPrintable(inv.warnings.front()));
    QVERIFY2(inv.warnings.front().contains(pdf), qPrintable(inv.warnings.front()));
}

// A UBL CreditNote: its lines, quantities and due date sit in other elements than an Invoice's.
void TstEInvoice::ublCreditNote()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>GS-2026-007</cbc:ID>
  <cbc:IssueDate>2026-03-20</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Nordlicht</cbc:Name></cac:PartyName>
    <cac:PostalAddress>
      <cbc:StreetName>Hauptstraße 12</cbc:StreetName>
      <cac:AddressLine><cbc:Line>Hinterhaus</cbc:Line></cac:AddressLine>
      <cbc:CityName>Berlin</cbc:CityName><cbc:PostalZone>10115</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>DE284736915</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-04-19</cbc:PaymentDueDate></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">-60.48</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="EUR">-318.3</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">-378.78</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">-378.78</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="H87">-1</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">-318.30</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Laserdrucker LX-420 duplex</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">318.30</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>)";
    auto r = parseEInvoice(xml, QStringLiteral("credit.xml"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(r->has_value());
    const EInvoice& inv = **r;
    QCOMPARE(inv.syntax, QStringLiteral("UBL"));
    QCOMPARE(inv.documentType, QStringLiteral("credit_note"));
    const auto normalized = [&](const char* name) {
        const Field* f = inv.field(QString::fromLatin1(name));
        return f ? f->normalized : QStringLiteral("<absent>");
    };
    QCOMPARE(normalized("invoice_number"), QStringLiteral("GS-2026-007"));
    QCOMPARE(normalized("due_date"), QStringLiteral("2026-04-19"));
    QCOMPARE(normalized("seller_name"), QStringLiteral("Nordlicht")); // only the trading name is given
    QCOMPARE(normalized("seller_address"), QStringLiteral("Hauptstraße 12, Hinterhaus, 10115 Berlin, Deutschland"));
    QCOMPARE(inv.field(QStringLiteral("seller_address"))->value,
        QStringLiteral("Hauptstraße 12\nHinterhaus\n10115 Berlin\nDE"));
    QCOMPARE(normalized("iban"), QStringLiteral("<absent>"));
    QCOMPARE(normalized("net_total"), QStringLiteral("-318.30"));
    QCOMPARE(normalized("tax_total"), QStringLiteral("-60.48"));
    QCOMPARE(normalized("amount_due"), QStringLiteral("-378.78"));
    QCOMPARE(inv.lineItems.rows(), 2);
    QCOMPARE(cellAt(inv.lineItems, 1, LineItemColumn::Quantity)->normalized, QStringLiteral("-1"));
    QCOMPARE(cellAt(inv.lineItems, 1, LineItemColumn::Unit)->normalized, QStringLiteral("pc"));
    QCOMPARE(cellAt(inv.lineItems, 1, LineItemColumn::Amount)->normalized, QStringLiteral("-318.30"));
}

// Every cut of a sample document short of its end is an error, never a partial invoice.
void TstEInvoice::truncatedXmlIsAnError_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("CII") << samplePath(QStringLiteral("einvoice/invoice-de-nordlicht.cii.xml"));
    QTest::newRow("UBL") << samplePath(QStringLiteral("einvoice/invoice-de-nordlicht.ubl.xml"));
}

void TstEInvoice::truncatedXmlIsAnError()
{
    QFETCH(QString, file);
    const QByteArray xml = readAll(file);
    const qsizetype end = xml.lastIndexOf('>') + 1; // the complete document
    int cuts = 0;
    for (qsizetype n = 1; n < end; n += 37) {
        auto r = parseEInvoice(xml.left(n), QStringLiteral("cut.xml"));
        QVERIFY2(!r.ok(), qPrintable(QStringLiteral("accepted the first %1 of %2 bytes").arg(n).arg(end)));
        ++cuts;
    }
    QVERIFY(cuts > 100);
    QVERIFY(parseEInvoice(xml.left(end), QStringLiteral("whole.xml")).ok());
}

// XML that is not an invoice is no e-invoice (nullopt); invoice XML we cannot read is an error.
void TstEInvoice::rejectedXml_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("other XML") << QByteArray("<?xml version=\"1.0\"?><note xmlns=\"urn:x\"><to>A</to></note>") << false
                               << QString();
    QTest::newRow("UBL order") << QByteArray("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>")
                               << false << QString();
    QTest::newRow("Invoice in no namespace") << QByteArray("<Invoice><ID>1</ID></Invoice>") << false << QString();
    QTest::newRow("ZUGFeRD, unknown version") << QByteArray(
        "<rsm:CrossIndustryDocument xmlns:rsm=\"urn:ferd:CrossIndustryDocument:invoice:2p0\"/>")
                                              << true << QStringLiteral("unsupported namespace");
    QTest::newRow("CII, other namespace") << QByteArray(
        "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:13\"/>")
                                          << true << QStringLiteral("unsupported namespace");
    QTest::newRow("broken before the root")
        << QByteArray("<?xml version=\"1.0\"?><<Invoice/>") << true << QStringLiteral("not well-formed");
    QTest::newRow("UBL, unclosed element")
        << QByteArray("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><a></Invoice>") << true
        << QStringLiteral("not well-formed");
    QTest::newRow("no root") << QByteArray("<?xml version=\"1.0\"?>") << true << QString();
    QTest::newRow("nested too deep") << QByteArray(
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">" + QByteArray("<a>").repeated(100)
        + QByteArray("</a>").repeated(100) + "</Invoice>")
                                     << true << QStringLiteral("nested more than");
}

void TstEInvoice::rejectedXml()
{
    QFETCH(QByteArray, xml);
    QFETCH(bool, isError);
    QFETCH(QString, messagePart);
    auto r = parseEInvoice(xml, QStringLiteral("test.xml"));
    QCOMPARE(!r.ok(), isError);
    if (isError) {
        const QString message = QString::fromStdString(r.error());
        QVERIFY2(message.contains(QLatin1String("test.xml")), qPrintable(message));
        QVERIFY2(message.contains(messagePart), qPrintable(message));
    } else {
        QVERIFY(!r->has_value());
    }
}

// The CII choices the sample does not exercise: the tax total in the invoice currency among two,
// the VAT registration among tax numbers, terms and payment means split over several elements,
// a date format that cannot be normalised, absent parties.
void TstEInvoice::ciiDetails()
{
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:r="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:u="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument>
    <r:ID>  A-1  </r:ID>
    <r:IssueDateTime><u:DateTimeString format="610">202603</u:DateTimeString></r:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <r:IncludedSupplyChainTradeLineItem>
      <r:SpecifiedTradeProduct><r:Name>Beratung</r:Name></r:SpecifiedTradeProduct>
      <r:SpecifiedLineTradeAgreement>
        <r:NetPriceProductTradePrice><r:ChargeAmount>120.0000</r:ChargeAmount></r:NetPriceProductTradePrice>
      </r:SpecifiedLineTradeAgreement>
      <r:SpecifiedLineTradeDelivery><r:BilledQuantity unitCode="HUR">2.5000</r:BilledQuantity></r:SpecifiedLineTradeDelivery>
      <r:SpecifiedLineTradeSettlement>
        <r:ApplicableTradeTax><r:RateApplicablePercent>19</r:RateApplicablePercent></r:ApplicableTradeTax>
        <r:SpecifiedTradeSettlementLineMonetarySummation><r:LineTotalAmount>300</r:LineTotalAmount></r:SpecifiedTradeSettlementLineMonetarySummation>
      </r:SpecifiedLineTradeSettlement>
    </r:IncludedSupplyChainTradeLineItem>
    <r:ApplicableHeaderTradeAgreement>
      <r:SellerTradeParty>
        <r:Name>Muster AG</r:Name>
        <r:SpecifiedTaxRegistration><r:ID schemeID="FC">201/113/40209</r:ID></r:SpecifiedTaxRegistration>
        <r:SpecifiedTaxRegistration><r:ID schemeID="VA">DE 123 456 789</r:ID></r:SpecifiedTaxRegistration>
      </r:SellerTradeParty>
    </r:ApplicableHeaderTradeAgreement>
    <r:ApplicableHeaderTradeSettlement>
      <r:InvoiceCurrencyCode>eur</r:InvoiceCurrencyCode>
      <r:SpecifiedTradeSettlementPaymentMeans><r:TypeCode>10</r:TypeCode></r:SpecifiedTradeSettlementPaymentMeans>
      <r:SpecifiedTradeSettlementPaymentMeans>
        <r:TypeCode>58</r:TypeCode>
        <r:PayeePartyCreditorFinancialAccount><r:IBANID>de02 1203 0000 0000 2020 51</r:IBANID></r:PayeePartyCreditorFinancialAccount>
      </r:SpecifiedTradeSettlementPaymentMeans>
      <r:SpecifiedTradePaymentTerms><r:Description>Zahlbar   sofort</r:Description></r:SpecifiedTradePaymentTerms>
      <r:SpecifiedTradePaymentTerms>
        <r:DueDateDateTime><u:DateTimeString format="102">20260401</u:DateTimeString></r:DueDateDateTime>
      </r:SpecifiedTradePaymentTerms>
      <r:SpecifiedTradeSettlementHeaderMonetarySummation>
        <r:TaxBasisTotalAmount>300</r:TaxBasisTotalAmount>
        <r:TaxTotalAmount currencyID="USD">61.50</r:TaxTotalAmount>
        <r:TaxTotalAmount currencyID="EUR">57.00</r:TaxTotalAmount>
        <r:GrandTotalAmount>357.0</r:GrandTotalAmount>
        <r:DuePayableAmount>357,00</r:DuePayableAmount>
      </r:SpecifiedTradeSettlementHeaderMonetarySummation>
    </r:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>)";
    auto r = parseEInvoice(xml, QStringLiteral("details.xml"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(r->has_value());
    const EInvoice& inv = **r;
    QCOMPARE(inv.syntax, QStringLiteral("CII"));
    QVERIFY(inv.profile.isEmpty());

    const auto normalized = [&](const char* name) {
        const Field* f = inv.field(QString::fromLatin1(name));
        return f ? f->normalized : QStringLiteral("<absent>");
    };
    QCOMPARE(normalized("invoice_number"), QStringLiteral("A-1"));
    QCOMPARE(normalized("currency"), QStringLiteral("EUR"));
    QCOMPARE(normalized("seller_name"), QStringLiteral("Muster AG"));
    QCOMPARE(normalized("seller_vat_id"), QStringLiteral("DE123456789"));
    QCOMPARE(normalized("seller_address"), QStringLiteral("<absent>"));
    QCOMPARE(normalized("buyer_name"), QStringLiteral("<absent>"));
    QCOMPARE(normalized("iban"), QStringLiteral("DE02120300000000202051"));
    QCOMPARE(normalized("bic"), QStringLiteral("<absent>"));
    QCOMPARE(normalized("payment_terms"), QStringLiteral("Zahlbar sofort"));
    QCOMPARE(normalized("due_date"), QStringLiteral("2026-04-01"));
    QCOMPARE(normalized("net_total"), QStringLiteral("300.00"));
    QCOMPARE(normalized("tax_total"), QStringLiteral("57.00"));
    QCOMPARE(normalized("grand_total"), QStringLiteral("357.00"));

    // Kept as written, but not normalised and flagged: a month-only date, a decimal comma.
    for (const char* name : { "issue_date", "amount_due" }) {
        const Field* f = inv.field(QString::fromLatin1(name));
        QVERIFY(f);
        QVERIFY(f->normalized.isEmpty());
        QVERIFY(f->flags.testFlag(Flag::Unparsed));
    }
    QCOMPARE(inv.field(QStringLiteral("issue_date"))->value, QStringLiteral("202603"));
    QCOMPARE(inv.field(QStringLiteral("amount_due"))->value, QStringLiteral("357,00"));

    QCOMPARE(inv.lineItems.rows(), 2);
    const auto cell = [&](LineItemColumn column) { return cellAt(inv.lineItems, 1, column); };
    QCOMPARE(cell(LineItemColumn::Quantity)->normalized, QStringLiteral("2.5"));
    QCOMPARE(cell(LineItemColumn::Unit)->text, QStringLiteral("HUR"));
    QCOMPARE(cell(LineItemColumn::Unit)->normalized, QStringLiteral("h"));
    QCOMPARE(cell(LineItemColumn::UnitPrice)->normalized, QStringLiteral("120.00"));
    QCOMPARE(cell(LineItemColumn::TaxRate)->normalized, QStringLiteral("19"));
    QCOMPARE(cell(LineItemColumn::Amount)->normalized, QStringLiteral("300.00"));
}

void TstEInvoice::decimals_data()
{
    QTest::addColumn<QString>("xml");
    QTest::addColumn<int>("minDecimals");
    QTest::addColumn<QString>("expected"); // empty: not a decimal
    QTest::newRow("money padded") << QStringLiteral("1234.5") << 2 << QStringLiteral("1234.50");
    QTest::newRow("money trimmed") << QStringLiteral("1234.5000") << 2 << QStringLiteral("1234.50");
    QTest::newRow("price, 4 decimals") << QStringLiteral("2.3450") << 2 << QStringLiteral("2.345");
    QTest::newRow("integer money") << QStringLiteral("12") << 2 << QStringLiteral("12.00");
    QTest::newRow("quantity") << QStringLiteral("3.0000") << 0 << QStringLiteral("3");
    QTest::newRow("quantity fraction") << QStringLiteral("2.50") << 0 << QStringLiteral("2.5");
    QTest::newRow("rate") << QStringLiteral("19.00") << 0 << QStringLiteral("19");
    QTest::newRow("leading zeros, plus") << QStringLiteral("+007.5") << 0 << QStringLiteral("7.5");
    QTest::newRow("no integer digits") << QStringLiteral(".5") << 2 << QStringLiteral("0.50");
    QTest::newRow("negative") << QStringLiteral("-3.05") << 2 << QStringLiteral("-3.05");
    QTest::newRow("negative zero") << QStringLiteral("-0.00") << 2 << QStringLiteral("0.00");
    QTest::newRow("white space") << QStringLiteral(" 5.80\n") << 2 << QStringLiteral("5.80");
    QTest::newRow("comma") << QStringLiteral("5,80") << 2 << QString();
    QTest::newRow("grouping") << QStringLiteral("1,234.50") << 2 << QString();
    QTest::newRow("exponent") << QStringLiteral("1e3") << 2 << QString();
    QTest::newRow("sign only") << QStringLiteral("-") << 2 << QString();
    QTest::newRow("empty") << QString() << 2 << QString();
}

void TstEInvoice::decimals()
{
    QFETCH(QString, xml);
    QFETCH(int, minDecimals);
    QFETCH(QString, expected);
    const std::optional<QString> d = canonicalDecimal(xml, minDecimals);
    QCOMPARE(d.value_or(QString()), expected);
    QCOMPARE(d.has_value(), !expected.isEmpty());
}

void TstEInvoice::ciiDates_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("102") << QStringLiteral("20260315") << QStringLiteral("102") << QStringLiteral("2026-03-15");
    QTest::newRow("no format") << QStringLiteral("20260315") << QString() << QStringLiteral("2026-03-15");
    QTest::newRow("leap day") << QStringLiteral("20280229") << QStringLiteral("102") << QStringLiteral("2028-02-29");
    QTest::newRow("no leap day") << QStringLiteral("20260229") << QStringLiteral("102") << QString();
    QTest::newRow("610 month") << QStringLiteral("202603") << QStringLiteral("610") << QString();
    QTest::newRow("ISO in 102") << QStringLiteral("2026-03-15") << QStringLiteral("102") << QString();
}

void TstEInvoice::ciiDates()
{
    QFETCH(QString, value);
    QFETCH(QString, format);
    QFETCH(QString, expected);
    QCOMPARE(canonicalCiiDate(value, format).value_or(QString()), expected);
}

void TstEInvoice::printedForms()
{
    const QStringList money = printedNumberForms(QStringLiteral("1234.56"));
    for (const char* s : { "1.234,56", "1,234.56", "1234,56", "1234.56", "1 234,56", "1'234.56" })
        QVERIFY2(money.contains(QLatin1String(s)), s);
    QVERIFY(!money.contains(QLatin1String("12.34,56")));
    const QStringList small = printedNumberForms(QStringLiteral("5.80"));
    QVERIFY(small.contains(QLatin1String("5,80")) && small.contains(QLatin1String("5.80")));
    const QStringList rate = printedNumberForms(QStringLiteral("19"));
    QVERIFY(rate.contains(QLatin1String("19")) && rate.contains(QLatin1String("19,00")));

    const QStringList dates = printedDateForms(QStringLiteral("2026-03-05"));
    for (const char* s : { "05.03.2026", "5.3.2026", "2026-03-05", "March 5, 2026", "03/05/2026", "5. März 2026" })
        QVERIFY2(dates.contains(QString::fromUtf8(s)), s);
    QVERIFY(printedDateForms(QStringLiteral("2026-02-30")).isEmpty());
}

bool readPageWords(const QString& pdfPath, PageWords* pages)
{
    auto pdf = folio::ingest::PdfDocument::open(pdfPath);
    if (!pdf) {
        qWarning("%s", pdf.error().c_str());
        return false;
    }
    for (int p = 0; p < (*pdf)->pageCount(); ++p) {
        auto words = (*pdf)->words(p);
        if (!words)
            return false;
        pages->push_back(*words);
    }
    return true;
}

// How many located boxes overlap the generator's boxes with IoU > 0.3.
struct BoxScore {
    int fieldHits = 0;
    int fields = 0;
    int cellHits = 0;
    int cells = 0;
    QStringList missed;
};

BoxScore scoreBoxes(const EInvoice& inv, const Truth& truth, bool withUnits)
{
    BoxScore score;
    for (const Field& f : inv.fields) {
        const double iou = f.box.iou(truth.fields.at(f.name).box);
        ++score.fields;
        if (iou > 0.3)
            ++score.fieldHits;
        else
            score.missed << QStringLiteral("%1 (IoU %2)").arg(f.name).arg(iou, 0, 'f', 2);
    }
    for (std::size_t i = 0; i < truth.lineItems.size(); ++i) {
        for (std::size_t col = 0; col < kLineItemColumns.size(); ++col) {
            if (!withUnits && static_cast<LineItemColumn>(col) == LineItemColumn::Unit)
                continue;
            const Cell* c = cellAt(inv.lineItems, static_cast<int>(i) + 1, static_cast<LineItemColumn>(col));
            ++score.cells;
            if (c && c->box.iou(truth.lineItems[i][col].box) > 0.3)
                ++score.cellHits;
            else
                score.missed << QStringLiteral("row %1 %2").arg(i + 1).arg(QString(kLineItemColumns[col]));
        }
    }
    qInfo("fields located with IoU > 0.3: %d of %d; line-item cells: %d of %d", score.fieldHits, score.fields,
        score.cellHits, score.cells);
    if (!score.missed.isEmpty())
        qInfo("missed: %s", qPrintable(score.missed.join(QStringLiteral(", "))));
    return score;
}

// An invoice with the truth file's values, as if an e-invoice had carried them.
EInvoice invoiceFromTruth(const Truth& truth)
{
    EInvoice inv;
    for (const QLatin1StringView name : kInvoiceFields) {
        const auto it = truth.fields.find(QString(name));
        if (it == truth.fields.end())
            continue;
        Field f;
        f.name = name;
        f.value = it->second.text;
        f.normalized = it->second.normalized;
        f.source = kEInvoiceSource;
        inv.fields.push_back(f);
    }
    inv.lineItems.name = kLineItemsTable;
    for (std::size_t col = 0; col < kLineItemColumns.size(); ++col) {
        Cell header;
        header.col = static_cast<int>(col);
        header.text = kLineItemColumns[col];
        header.header = true;
        inv.lineItems.cells.push_back(header);
    }
    for (std::size_t i = 0; i < truth.lineItems.size(); ++i) {
        for (std::size_t col = 0; col < truth.lineItems[i].size(); ++col) {
            Cell c;
            c.row = static_cast<int>(i) + 1;
            c.col = static_cast<int>(col);
            c.text = truth.lineItems[i][col].text;
            c.normalized = truth.lineItems[i][col].normalized;
            inv.lineItems.cells.push_back(c);
        }
    }
    return inv;
}

// Boxes found in the Factur-X PDF's text layer against the boxes the sample generator drew.
void TstEInvoice::boxesOverlapTruth()
{
    EInvoice inv = readSample();
    PageWords pages;
    QVERIFY(readPageWords(samplePath(QStringLiteral("einvoice/invoice-de-nordlicht_facturx.pdf")), &pages));
    locateOnPage(inv, pages);

    for (const Field& f : inv.fields)
        QVERIFY(!f.flags); // found or not, an e-invoice value is not flagged
    // The XML's unit codes are not what the page prints ("Stk."), so units are not scored.
    const BoxScore score = scoreBoxes(inv, m_truth, false);
    QCOMPARE(score.fields, static_cast<int>(kInvoiceFields.size()));
    QVERIFY(score.fieldHits >= 15);
    QVERIFY(score.cellHits >= score.cells * 9 / 10);
    QVERIFY(inv.lineItems.box.valid());
}

// The locator on every sample layout: German, English with ISO dates and a table over two
// pages, US with "March 16, 2026" and "$3,395.23".
void TstEInvoice::locatesPrintedForms_data()
{
    QTest::addColumn<QString>("stem");
    QTest::newRow("German") << QStringLiteral("invoice-de-nordlicht");
    QTest::newRow("English, two pages") << QStringLiteral("invoice-fr-atelier-lumiere");
    QTest::newRow("US") << QStringLiteral("invoice-us-cascade");
}

void TstEInvoice::locatesPrintedForms()
{
    QFETCH(QString, stem);
    const Truth truth = loadTruth(stem);
    EInvoice inv = invoiceFromTruth(truth);
    PageWords pages;
    QVERIFY(readPageWords(samplePath(stem + QStringLiteral(".pdf")), &pages));
    locateOnPage(inv, pages);

    const BoxScore score = scoreBoxes(inv, truth, true);
    QVERIFY(score.fields > 0 && score.cells > 0);
    QVERIFY(score.fieldHits >= score.fields * 9 / 10);
    QVERIFY(score.cellHits >= score.cells * 9 / 10);
}

// A value the page does not print keeps an invalid box and no flag; the others are still found.
void TstEInvoice::unprintedValueHasNoBox()
{
    EInvoice inv = invoiceFromTruth(m_truth);
    for (Field& f : inv.fields) {
        if (f.name == QLatin1String("invoice_number"))
            f.value = f.normalized = QStringLiteral("RE-2026-99999");
    }
    PageWords pages;
    QVERIFY(readPageWords(samplePath(QStringLiteral("invoice-de-nordlicht.pdf")), &pages));
    locateOnPage(inv, pages);
    for (const Field& f : inv.fields) {
        QVERIFY(!f.flags);
        QCOMPARE(f.box.valid(), f.name != QLatin1String("invoice_number"));
    }
}

// Model fields taken from the truth file, one of them changed: the comparison must see it.
void TstEInvoice::comparison_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("modelNormalized"); // empty: the model did not read the field
    QTest::addColumn<QString>("expected"); // agreementName

    QTest::newRow("amount equal") << QStringLiteral("grand_total") << QStringLiteral("1467.64")
                                  << QStringLiteral("agree");
    QTest::newRow("amount, other decimals")
        << QStringLiteral("grand_total") << QStringLiteral("1467.640") << QStringLiteral("agree");
    QTest::newRow("amount wrong") << QStringLiteral("grand_total") << QStringLiteral("1467.46")
                                  << QStringLiteral("disagree");
    QTest::newRow("tax wrong") << QStringLiteral("tax_total") << QStringLiteral("196.82") << QStringLiteral("disagree");
    QTest::newRow("date wrong") << QStringLiteral("due_date") << QStringLiteral("2026-04-15")
                                << QStringLiteral("disagree");
    QTest::newRow("date swapped") << QStringLiteral("issue_date") << QStringLiteral("2026-15-03")
                                  << QStringLiteral("disagree");
    QTest::newRow("IBAN with spaces") << QStringLiteral("iban") << QStringLiteral("DE89 3704 0044 0532 0130 00")
                                      << QStringLiteral("agree");
    QTest::newRow("IBAN one digit off") << QStringLiteral("iban") << QStringLiteral("DE89370400440532013001")
                                        << QStringLiteral("disagree");
    QTest::newRow("VAT id lower case") << QStringLiteral("seller_vat_id") << QStringLiteral("de284736915")
                                       << QStringLiteral("agree");
    QTest::newRow("buyer VAT id for seller")
        << QStringLiteral("seller_vat_id") << QStringLiteral("DE193847562") << QStringLiteral("disagree");
    QTest::newRow("name, extra space") << QStringLiteral("buyer_name") << QStringLiteral("Kanzlei Weber &  Partner mbB")
                                       << QStringLiteral("agree");
    QTest::newRow("name wrong") << QStringLiteral("buyer_name") << QStringLiteral("Kanzlei Weber & Partner")
                                << QStringLiteral("disagree");
    QTest::newRow("address without country")
        << QStringLiteral("seller_address") << QStringLiteral("Hauptstraße 12, 10115 Berlin")
        << QStringLiteral("agree");
    QTest::newRow("address, lines by newline")
        << QStringLiteral("seller_address") << QStringLiteral("Hauptstraße 12\n10115 Berlin\nDeutschland")
        << QStringLiteral("agree");
    QTest::newRow("address, wrong postcode")
        << QStringLiteral("seller_address") << QStringLiteral("Hauptstraße 12, 10117 Berlin, Deutschland")
        << QStringLiteral("disagree");
    QTest::newRow("buyer address for seller")
        << QStringLiteral("seller_address") << QStringLiteral("Lindenallee 7, 50667 Köln, Deutschland")
        << QStringLiteral("disagree");
    QTest::newRow("currency wrong") << QStringLiteral("currency") << QStringLiteral("USD")
                                    << QStringLiteral("disagree");
    QTest::newRow("invoice number missing")
        << QStringLiteral("invoice_number") << QString() << QStringLiteral("missing_in_model");
}

void TstEInvoice::comparison()
{
    QFETCH(QString, field);
    QFETCH(QString, modelNormalized);
    QFETCH(QString, expected);

    const EInvoice inv = readSample();
    std::vector<Field> model;
    for (const auto& [name, truth] : m_truth.fields) {
        Field f;
        f.name = name;
        f.value = truth.text;
        f.normalized = name == field ? modelNormalized : truth.normalized;
        f.source = QStringLiteral("model");
        if (!f.normalized.isEmpty())
            model.push_back(f);
    }
    const EInvoiceComparison c = compareWithModel(inv, model);
    QCOMPARE(c.fields.size(), kInvoiceFields.size());
    for (const FieldComparison& fc : c.fields) {
        const QString want = fc.name == field ? expected : QStringLiteral("agree");
        QVERIFY2(agreementName(fc.agreement) == want,
            qPrintable(QStringLiteral("%1: %2, xml %3, model %4")
                           .arg(fc.name, agreementName(fc.agreement), fc.xmlValue, fc.modelValue)));
    }
    QCOMPARE(c.count(Agreement::Agree),
        static_cast<int>(kInvoiceFields.size()) - (expected == QLatin1String("agree") ? 0 : 1));

    // Only the disagreeing model field carries the flag; values are left as the model wrote them.
    QCOMPARE(c.modelFields.size(), model.size());
    for (std::size_t i = 0; i < model.size(); ++i) {
        const Field& f = c.modelFields[i];
        QCOMPARE(f.normalized, model[i].normalized);
        const bool shouldFlag = f.name == field && expected == QLatin1String("disagree");
        QCOMPARE(f.flags.testFlag(Flag::EInvoiceMismatch), shouldFlag);
    }
}

void TstEInvoice::comparisonOfEqualFields()
{
    EInvoice inv = readSample();
    // A model field the XML lacks, and one neither side has.
    std::erase_if(inv.fields,
        [](const Field& f) { return f.name == QLatin1String("purchase_order") || f.name == QLatin1String("bic"); });
    std::vector<Field> model;
    for (const auto& [name, truth] : m_truth.fields) {
        if (name == QLatin1String("bic"))
            continue;
        Field f;
        f.name = name;
        f.value = truth.text;
        f.normalized = truth.normalized;
        model.push_back(f);
    }
    const EInvoiceComparison c = compareWithModel(inv, model);
    QCOMPARE(c.fields.size(), kInvoiceFields.size() - 1);
    QCOMPARE(c.count(Agreement::MissingInXml), 1);
    QCOMPARE(c.count(Agreement::Agree), static_cast<int>(kInvoiceFields.size()) - 2);
    QCOMPARE(c.count(Agreement::Disagree), 0);
    for (const Field& f : c.modelFields)
        QVERIFY(!f.flags.testFlag(Flag::EInvoiceMismatch));
}

// Model fields that carry only the raw text (their normalisation failed or was not run).
void TstEInvoice::comparisonOfRawModelValues_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected");
    QTest::newRow("German amount") << QStringLiteral("grand_total") << QStringLiteral("1.467,64")
                                   << QStringLiteral("agree");
    QTest::newRow("amount with symbol") << QStringLiteral("tax_total") << QStringLiteral("212,19 €")
                                        << QStringLiteral("agree");
    QTest::newRow("amount wrong") << QStringLiteral("grand_total") << QStringLiteral("1.476,64")
                                  << QStringLiteral("disagree");
    QTest::newRow("dotted date") << QStringLiteral("due_date") << QStringLiteral("14.04.2026")
                                 << QStringLiteral("agree");
    QTest::newRow("date wrong") << QStringLiteral("due_date") << QStringLiteral("15.04.2026")
                                << QStringLiteral("disagree");
    QTest::newRow("unreadable amount") << QStringLiteral("net_total") << QStringLiteral("about 1255")
                                       << QStringLiteral("disagree");
}

void TstEInvoice::comparisonOfRawModelValues()
{
    QFETCH(QString, field);
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    Field f;
    f.name = field;
    f.value = raw;
    const EInvoiceComparison c = compareWithModel(readSample(), { f });
    QCOMPARE(c.count(Agreement::MissingInModel), static_cast<int>(kInvoiceFields.size()) - 1);
    const auto it
        = std::find_if(c.fields.begin(), c.fields.end(), [&](const FieldComparison& fc) { return fc.name == field; });
    QVERIFY(it != c.fields.end());
    QCOMPARE(agreementName(it->agreement), expected);
    QCOMPARE(c.modelFields.front().flags.testFlag(Flag::EInvoiceMismatch), expected == QLatin1String("disagree"));
}

namespace {

const QString kZugferd1Pdf = QStringLiteral("einvoice/invoice-fr-atelier-lumiere_zugferd1.pdf");

EInvoice readZugferd1Sample()
{
    auto r = readEmbeddedEInvoice(samplePath(kZugferd1Pdf));
    if (!r || !r->has_value())
        qFatal("the ZUGFeRD 1.0 sample did not read: %s", r ? "no e-invoice" : r.error().c_str());
    return std::move(**r);
}

} // namespace

// The ZUGFeRD 1.0 sample (the two-page invoice, XML written by folio-samplegen from the same model
// as the PDF, attached with pdfattach) reads back to every value of the truth file.
void TstEInvoice::zugferd1MatchesTruth()
{
    const Truth truth = loadTruth(QStringLiteral("invoice-fr-atelier-lumiere"));
    const EInvoice inv = readZugferd1Sample();
    QCOMPARE(inv.syntax, QStringLiteral("ZUGFeRD 1.0"));
    QCOMPARE(inv.attachmentName, QStringLiteral("ZUGFeRD-invoice.xml"));
    QCOMPARE(inv.profile, QStringLiteral("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"));
    QCOMPARE(inv.documentType, QStringLiteral("invoice"));
    QCOMPARE(inv.fields.size(), truth.fields.size());
    for (const auto& [name, value] : truth.fields) {
        const Field* f = inv.field(name);
        QVERIFY2(f, qPrintable(QStringLiteral("missing field ") + name));
        QCOMPARE(f->normalized, value.normalized);
        QCOMPARE(f->source, QStringLiteral("e-invoice"));
        QVERIFY(!f->flags);
    }
    QCOMPARE(inv.lineItems.rows(), static_cast<int>(truth.lineItems.size()) + 1);
    for (std::size_t i = 0; i < truth.lineItems.size(); ++i) {
        for (LineItemColumn column : { LineItemColumn::Description, LineItemColumn::Quantity, LineItemColumn::UnitPrice,
                 LineItemColumn::TaxRate, LineItemColumn::Amount }) {
            const Cell* c = cellAt(inv.lineItems, static_cast<int>(i) + 1, column);
            QVERIFY(c);
            QCOMPARE(c->normalized, truth.lineItems[i][static_cast<std::size_t>(column)].normalized);
        }
    }
}

// The totals of the two-page invoice are printed on page 2: they are located there, and the page
// results put them in page 2's result with their boxes, next to the line items printed there.
void TstEInvoice::zugferd1TotalsOnPage2()
{
    const Truth truth = loadTruth(QStringLiteral("invoice-fr-atelier-lumiere"));
    EInvoice inv = readZugferd1Sample();
    PageWords pages;
    QVERIFY(readPageWords(samplePath(kZugferd1Pdf), &pages));
    QCOMPARE(pages.size(), std::size_t(2));
    locateOnPage(inv, pages);
    const BoxScore score = scoreBoxes(inv, truth, false);
    QVERIFY(score.fieldHits >= score.fields * 9 / 10);
    QVERIFY(score.cellHits >= score.cells * 9 / 10);
    for (const char* name : { "net_total", "tax_total", "grand_total", "amount_due" }) {
        const Field* f = inv.field(QString::fromLatin1(name));
        QVERIFY(f);
        QCOMPARE(truth.fields.at(QString::fromLatin1(name)).box.page, 1);
        QVERIFY2(f->box.iou(truth.fields.at(QString::fromLatin1(name)).box) > 0.3, name);
    }

    const std::vector<PageResult> results = eInvoicePageResults(inv);
    QCOMPARE(results.size(), std::size_t(2));
    QCOMPARE(results[0].page, 0);
    QCOMPARE(results[1].page, 1);
    std::size_t fields = 0, cells = 0;
    for (const PageResult& r : results) {
        fields += r.fields.size();
        for (const Field& f : r.fields)
            QVERIFY(!f.box.valid() || f.box.page == r.page);
        QCOMPARE(r.tables.size(), std::size_t(1));
        QCOMPARE(r.tables.front().name, QStringLiteral("line_items"));
        QCOMPARE(r.tables.front().box.page, r.page);
        for (const Cell& c : r.tables.front().cells) {
            QVERIFY(!c.box.valid() || c.box.page == r.page);
            ++cells;
        }
    }
    QCOMPARE(fields, inv.fields.size());
    QCOMPARE(cells, inv.lineItems.cells.size());
    const auto onPage2 = [&](const char* name) {
        for (const Field& f : results[1].fields) {
            if (f.name == QLatin1String(name))
                return f.box.valid();
        }
        return false;
    };
    QVERIFY(onPage2("grand_total") && onPage2("amount_due") && onPage2("payment_terms"));
}

// Credit notes in all three syntaxes: the document type says so, the values read as usual.
void TstEInvoice::documentType_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("syntax");
    QTest::addColumn<QString>("type");
    const QByteArray cii = R"(<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID>GS-1</ram:ID><ram:TypeCode>%1</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20260320</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
    <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>119.00</ram:GrandTotalAmount>
    </ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>)";
    const QByteArray ferd = R"(<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:HeaderExchangedDocument><ram:ID>GS-1</ram:ID><ram:TypeCode>%1</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20260320</udt:DateTimeString></ram:IssueDateTime></rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction><ram:ApplicableSupplyChainTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
    <ram:SpecifiedTradeSettlementMonetarySummation><ram:GrandTotalAmount currencyID="EUR">119.00</ram:GrandTotalAmount>
    </ram:SpecifiedTradeSettlementMonetarySummation></ram:ApplicableSupplyChainTradeSettlement></rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>)";
    const QByteArray ubl = R"(<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>GS-1</cbc:ID><cbc:IssueDate>2026-03-20</cbc:IssueDate><cbc:InvoiceTypeCode>%1</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount></cac:LegalMonetaryTotal>
</Invoice>)";
    const auto with = [](const QByteArray& xml, const char* code) { return QString::fromUtf8(xml).arg(QLatin1String(code)).toUtf8(); };
    QTest::newRow("CII invoice") << with(cii, "380") << QStringLiteral("CII") << QStringLiteral("invoice");
    QTest::newRow("CII credit note") << with(cii, "381") << QStringLiteral("CII") << QStringLiteral("credit_note");
    QTest::newRow("ZUGFeRD 1.0 invoice") << with(ferd, "380") << QStringLiteral("ZUGFeRD 1.0") << QStringLiteral("invoice");
    QTest::newRow("ZUGFeRD 1.0 credit note") << with(ferd, "381") << QStringLiteral("ZUGFeRD 1.0") << QStringLiteral("credit_note");
    QTest::newRow("UBL invoice") << with(ubl, "380") << QStringLiteral("UBL") << QStringLiteral("invoice");
    QTest::newRow("UBL invoice typed as a credit note") << with(ubl, "381") << QStringLiteral("UBL") << QStringLiteral("credit_note");
}

void TstEInvoice::documentType()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, syntax);
    QFETCH(QString, type);
    auto r = parseEInvoice(xml, QStringLiteral("doc.xml"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QVERIFY(r->has_value());
    QCOMPARE((*r)->syntax, syntax);
    QCOMPARE((*r)->documentType, type);
    QCOMPARE((*r)->field(QStringLiteral("invoice_number"))->normalized, QStringLiteral("GS-1"));
    QCOMPARE((*r)->field(QStringLiteral("issue_date"))->normalized, QStringLiteral("2026-03-20"));
    QCOMPARE((*r)->field(QStringLiteral("grand_total"))->normalized, QStringLiteral("119.00"));
    QCOMPARE((*r)->field(QStringLiteral("currency"))->normalized, QStringLiteral("EUR"));
}

FOLIO_TEST_CLASS(TstEInvoice)
#include "tst_einvoice.moc"
