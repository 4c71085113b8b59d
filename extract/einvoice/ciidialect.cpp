#include "extract/einvoice/ciidialect.h"

namespace folio::extract {

const CiiDialect& ciiD16B()
{
    static const CiiDialect d {
        QStringLiteral("CII"),
        QStringLiteral("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"),
        QStringLiteral("urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"),
        QStringLiteral("urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"),
        QStringLiteral("CrossIndustryInvoice"),
        QStringLiteral("ExchangedDocumentContext"),
        QStringLiteral("ExchangedDocument"),
        QStringLiteral("SupplyChainTradeTransaction"),
        QStringLiteral("ApplicableHeaderTradeAgreement"),
        QStringLiteral("ApplicableHeaderTradeSettlement"),
        QStringLiteral("IssuerAssignedID"),
        QStringLiteral("SpecifiedTradeSettlementHeaderMonetarySummation"),
        QStringLiteral("SpecifiedLineTradeAgreement"),
        QStringLiteral("SpecifiedLineTradeDelivery"),
        QStringLiteral("SpecifiedLineTradeSettlement"),
        QStringLiteral("RateApplicablePercent"),
        QStringLiteral("SpecifiedTradeSettlementLineMonetarySummation"),
    };
    return d;
}

const CiiDialect& zugferd1()
{
    // The ZUGFeRD 1.0 schema (FeRD, 2014) pins ram to CEFACT version 12 and udt to 15.
    static const CiiDialect d {
        QStringLiteral("ZUGFeRD 1.0"),
        QStringLiteral("urn:ferd:CrossIndustryDocument:invoice:1p0"),
        QStringLiteral("urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"),
        QStringLiteral("urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15"),
        QStringLiteral("CrossIndustryDocument"),
        QStringLiteral("SpecifiedExchangedDocumentContext"),
        QStringLiteral("HeaderExchangedDocument"),
        QStringLiteral("SpecifiedSupplyChainTradeTransaction"),
        QStringLiteral("ApplicableSupplyChainTradeAgreement"),
        QStringLiteral("ApplicableSupplyChainTradeSettlement"),
        QStringLiteral("ID"),
        QStringLiteral("SpecifiedTradeSettlementMonetarySummation"),
        QStringLiteral("SpecifiedSupplyChainTradeAgreement"),
        QStringLiteral("SpecifiedSupplyChainTradeDelivery"),
        QStringLiteral("SpecifiedSupplyChainTradeSettlement"),
        QStringLiteral("ApplicablePercent"),
        QStringLiteral("SpecifiedTradeSettlementMonetarySummation"),
    };
    return d;
}

} // namespace folio::extract
