#pragma once
// CiiDialect: the namespaces and element names in which two generations of UN/CEFACT Cross
// Industry invoices write the same business terms. ZUGFeRD 1.0 (2014, rsm:CrossIndustryDocument,
// CEFACT schema D13B "12"/"15") and CII D16B (rsm:CrossIndustryInvoice: Factur-X 1.0, ZUGFeRD
// 2.x, XRechnung CII) share the party, address, tax-registration, payment-means and payment-terms
// structures, and differ in the names of the containers around them. One reader
// (extract/einvoice/ciiparser.h) walks either through a dialect, so both normalise identically.
// Plain constant data; thread-safe.

#include <QString>

namespace folio::extract {

struct CiiDialect {
    QString syntax; // EInvoice::syntax: "CII" or "ZUGFeRD 1.0"
    QString rsm, ram, udt; // namespace URIs
    QString root; // root element (in rsm)
    QString context, document, transaction; // the root's children (in rsm)
    QString agreement, settlement; // header trade agreement / settlement (in ram)
    QString orderId; // child of ram:BuyerOrderReferencedDocument holding the order number
    QString headerSummation; // header monetary summation (in ram:<settlement>)
    QString lineAgreement, lineDelivery, lineSettlement; // per line item (in ram)
    QString lineRate; // rate element of a line's ram:ApplicableTradeTax
    QString lineSummation; // line monetary summation (in ram:<lineSettlement>)
};

// Factur-X 1.0 / ZUGFeRD 2.x / XRechnung CII (D16B).
const CiiDialect& ciiD16B();
// ZUGFeRD 1.0 (urn:ferd:CrossIndustryDocument:invoice:1p0), profiles BASIC, COMFORT, EXTENDED.
const CiiDialect& zugferd1();

} // namespace folio::extract
