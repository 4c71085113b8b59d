#pragma once
// E-invoices embedded in PDFs (ZUGFeRD / Factur-X / XRechnung): the XML is the invoice in
// machine form, so its values are exact results that need no model. Three syntaxes are read:
// UN/CEFACT CII (rsm:CrossIndustryInvoice, D16B namespace, as in Factur-X 1.0 / ZUGFeRD 2.x /
// XRechnung CII), its predecessor ZUGFeRD 1.0 (rsm:CrossIndustryDocument, German invoices of
// 2014–2019) and OASIS UBL 2.1 (Invoice, CreditNote, as in XRechnung UBL / Peppol); invoices and
// credit notes alike.
// Attachments are recognised by content (root element and namespace), not by name.
//
// Every value becomes a Field / Cell in the canonical vocabulary (extract/invoicevocabulary.h)
// with source "e-invoice" and confidence 1.0: `value` is the XML text (addresses: their parts
// one per line), `normalized` the canonical form. A value the XML has but that cannot be
// normalised (an unknown date format, a malformed amount) keeps an empty `normalized` and the
// flag unparsed. Boxes start invalid; locateEInvoice (extract/einvoice/einvoicelocator.h) finds them
// in the text layer.
// Free functions, no shared state: call from any thread (one PDF per call).

#include "extract/types/pageresult.h"
#include "inference/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace folio::extract {

inline const QString kEInvoiceSource = QStringLiteral("e-invoice");

struct EInvoice {
    QString syntax; // "CII", "ZUGFeRD 1.0" or "UBL"
    QString documentType = QStringLiteral("invoice"); // or "credit_note" (type code 381 / 396, a UBL CreditNote)
    QString profile; // guideline / customization id, e.g. "urn:cen.eu:en16931:2017"
    QString attachmentName; // the PDF attachment it was read from; empty for a bare XML file
    std::vector<Field> fields; // in canonical order; a field the XML lacks is absent
    Table lineItems; // "line_items": header row, then one row per invoice line
    QStringList warnings; // other attachments that looked like e-invoices but could not be read

    const Field* field(const QString& name) const; // nullptr when absent
};

// Reads one e-invoice XML document. nullopt when it is well-formed XML of another kind (not an
// invoice); an error naming `origin` when it is not well-formed, or when it is a CII/UBL document
// this reader does not support (a CrossIndustryInvoice outside the D16B namespace, a ZUGFeRD
// namespace other than 1.0's).
// UBL documents other than Invoice / CreditNote (Order, DespatchAdvice) are not invoices: nullopt.
Result<std::optional<EInvoice>> parseEInvoice(const QByteArray& xml, const QString& origin);

// Opens the PDF and reads the first embedded file that is an e-invoice. nullopt when the PDF has
// no such attachment (none at all, or only non-invoice ones). Errors: the PDF cannot be opened,
// or an attachment that is XML is malformed or an unsupported e-invoice syntax, and no other
// attachment is a readable e-invoice (the message names the PDF and the attachment). When one
// attachment is a readable e-invoice, problems with the others become its warnings.
// Attachments larger than 64 MiB are not read (an .xml one that large is reported).
Result<std::optional<EInvoice>> readEmbeddedEInvoice(const QString& pdfPath);

} // namespace folio::extract
