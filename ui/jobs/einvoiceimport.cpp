#include "ui/jobs/einvoiceimport.h"

#include "extract/einvoice/einvoice.h"
#include "extract/einvoice/einvoicecomparison.h"
#include "extract/einvoice/einvoicelocator.h"
#include "extract/einvoice/einvoiceresults.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/jobs/pagewords.h"

#include <QDateTime>
#include <QJsonArray>

namespace folio::jobs {

std::vector<PageOutcome> importEmbeddedEInvoice(storage::Library& library, qint64 documentId, const QString& pdfPath,
                                                int pageCount, const std::vector<extract::Field>& modelFields)
{
    std::vector<PageOutcome> outcomes;
    const auto read = extract::readEmbeddedEInvoice(pdfPath);
    if (!read) {
        PageOutcome o;
        o.status = QStringLiteral("failed");
        o.error = QString::fromStdString(read.error());
        outcomes.push_back(o);
        return outcomes;
    }
    if (!read->has_value())
        return outcomes;
    extract::EInvoice invoice = **read;
    extract::PageWords words;
    for (int p = 0; p < pageCount; ++p)
        words.push_back(pageWords(library, documentId, p));
    extract::locateOnPage(invoice, words);

    QStringList notes;
    const QString kind = invoice.documentType == u"credit_note" ? QStringLiteral("credit note") : QStringLiteral("invoice");
    notes << QStringLiteral("embedded %1 e-%2 \"%3\" read as exact values (no model)").arg(invoice.syntax, kind, invoice.attachmentName);
    notes << invoice.warnings;
    QJsonArray comparison;
    if (!modelFields.empty()) {
        const extract::EInvoiceComparison cmp = extract::compareWithModel(invoice, modelFields);
        for (const extract::FieldComparison& item : cmp.fields)
            comparison.append(QJsonObject{{QStringLiteral("field"), item.name},
                                          {QStringLiteral("agreement"), extract::agreementName(item.agreement)}});
        notes << QStringLiteral("model vs e-invoice: %1 fields agree, %2 disagree")
                     .arg(cmp.count(extract::Agreement::Agree))
                     .arg(cmp.count(extract::Agreement::Disagree));
    }

    for (const extract::PageResult& result : extract::eInvoicePageResults(invoice)) {
        PageOutcome o;
        o.page = result.page;
        o.status = QStringLiteral("ok");
        if (result.page == 0)
            o.notes = notes;
        storage::RunRecord run;
        run.documentId = documentId;
        run.pageIndex = result.page;
        run.task = QStringLiteral("invoice");
        run.modelId = kEInvoiceModelId;
        run.promptVersion = invoice.profile;
        run.params = QJsonObject{{QStringLiteral("syntax"), invoice.syntax},
                                 {QStringLiteral("document_type"), invoice.documentType},
                                 {QStringLiteral("attachment"), invoice.attachmentName},
                                 {QStringLiteral("comparison"), comparison}};
        run.status = QStringLiteral("ok");
        run.startedAt = run.finishedAt = QDateTime::currentDateTimeUtc();
        const auto stored = library.results().storePageResult(run, result);
        if (!stored) {
            o.status = QStringLiteral("failed");
            o.error = QStringLiteral("%1: the embedded e-invoice could not be stored: %2").arg(pdfPath, QString::fromStdString(stored.error()));
        } else {
            o.runId = *stored;
            o.stored = true;
        }
        countResults(result, o);
        outcomes.push_back(o);
    }
    return outcomes;
}

} // namespace folio::jobs
