#pragma once
// Reads an OASIS UBL 2.1 Invoice or CreditNote (XRechnung UBL, Peppol BIS Billing 3.0) into the
// canonical vocabulary. Pure function; thread-safe.

#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/xmlelement.h"

namespace folio::extract {

inline const QString kUblInvoiceNamespace = QStringLiteral("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
inline const QString kUblCreditNoteNamespace
    = QStringLiteral("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2");
inline const QString kUblCacNamespace
    = QStringLiteral("urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
inline const QString kUblCbcNamespace
    = QStringLiteral("urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");

// `root` must be Invoice in kUblInvoiceNamespace or CreditNote in kUblCreditNoteNamespace.
EInvoice parseUbl(const XmlElement& root);

} // namespace folio::extract
