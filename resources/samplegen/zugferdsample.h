#pragma once
// ZUGFeRD 1.0 sample: writes an Invoice as a ZUGFeRD 1.0 COMFORT XML
// (rsm:CrossIndustryDocument, urn:ferd:CrossIndustryDocument:invoice:1p0) from the same model the
// PDF was drawn from, and attaches it to that PDF as "ZUGFeRD-invoice.xml" with pdfattach
// (poppler-utils), the way the other e-invoice samples are made. The result is a two-page
// e-invoice whose totals are printed on page 2. Use on the GUI thread (QProcess).

#include "invoicemodel.h"

#include "inference/result.h"

#include <QByteArray>
#include <QString>

namespace folio::samplegen {

// The ZUGFeRD 1.0 XML of `invoice`, indented, UTF-8; deterministic.
QByteArray zugferd1Xml(const Invoice& invoice);

// Writes <dir>/einvoice/<fileStem>.zugferd1.xml and <dir>/einvoice/<fileStem>_zugferd1.pdf
// (<dir>/<fileStem>.pdf, written before, with the XML attached). Fails with a message naming
// pdfattach when it is missing or fails.
Result<void> writeZugferd1Sample(const Invoice& invoice, const QString& dir);

} // namespace folio::samplegen
