#pragma once
// Embedded e-invoices (ZUGFeRD 1.0, ZUGFeRD 2 / Factur-X / XRechnung CII, UBL) stored as exact
// results, with no model: on import (documentimporter) and after a model's invoice run
// (extractionjob), where the model's fields are compared with the XML first.
// Runs on the calling thread, which owns `library`.

#include "extract/types/pageresult.h"
#include "ui/jobs/extractionjob.h"

#include <QString>

#include <vector>

namespace folio::storage {
class Library;
}

namespace folio::jobs {

// The model id of every e-invoice run (its syntax, profile and attachment are in the params).
inline const QString kEInvoiceModelId = QStringLiteral("e-invoice");

// Reads the PDF's embedded e-invoice, finds where each value is printed (on any page, in the
// stored words) and stores it as invoice runs of model "e-invoice": one run per page that
// prints any of its values (values found nowhere go with page 1), each superseding that page's
// earlier invoice run. With `modelFields`, the model's reading is compared field by field and
// the counts noted. Returns one outcome per stored run; none when the PDF has no e-invoice; one
// failed outcome naming the PDF and attachment when it has an unreadable one.
std::vector<PageOutcome> importEmbeddedEInvoice(storage::Library& library, qint64 documentId, const QString& pdfPath,
                                                int pageCount, const std::vector<extract::Field>& modelFields = {});

} // namespace folio::jobs
