#pragma once
// Reads a UN/CEFACT Cross Industry invoice into the canonical vocabulary, in either dialect
// (extract/einvoice/ciidialect.h): CII D16B (rsm:CrossIndustryInvoice — Factur-X 1.0,
// ZUGFeRD 2.x, XRechnung CII) or ZUGFeRD 1.0 (rsm:CrossIndustryDocument). Any profile
// (MINIMUM/BASIC … EXTENDED) is read; what a profile leaves out is simply absent. Credit notes
// (document type code 381) read like invoices, with EInvoice::documentType "credit_note".
// Pure function; thread-safe.

#include "extract/einvoice/ciidialect.h"
#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/xmlelement.h"

namespace folio::extract {

// `root` must be the dialect's root element in its rsm namespace.
EInvoice parseCii(const XmlElement& root, const CiiDialect& dialect);

} // namespace folio::extract
