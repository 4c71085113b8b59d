#pragma once
// Reads a UN/CEFACT Cross Industry Invoice (D16B, rsm:CrossIndustryInvoice — Factur-X 1.0,
// ZUGFeRD 2.x, XRechnung CII) into the canonical vocabulary. Any profile (MINIMUM … EXTENDED)
// is read; what a profile leaves out is simply absent. Pure function; thread-safe.

#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/xmlelement.h"

namespace folio::extract {

inline const QString kCiiRsmNamespace = QStringLiteral("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
inline const QString kCiiRamNamespace
    = QStringLiteral("urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
inline const QString kCiiUdtNamespace = QStringLiteral("urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");

// `root` must be rsm:CrossIndustryInvoice in kCiiRsmNamespace.
EInvoice parseCii(const XmlElement& root);

} // namespace folio::extract
