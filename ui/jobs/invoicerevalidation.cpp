#include "ui/jobs/invoicerevalidation.h"

#include "extract/confidence.h"
#include "extract/pageextraction.h"
#include "extract/validationcoverage.h"
#include "storage/library.h"
#include "storage/resultstore.h"

#include <algorithm>
#include <set>

namespace folio::jobs {

namespace {

    const extract::Flags kCheckFlags = extract::Flags(extract::Flag::LineMismatch) | extract::Flag::SumMismatch
        | extract::Flag::TotalMismatch | extract::Flag::TaxMismatch | extract::Flag::Unvalidated;

    // The invoice checks' part of the evidence, which the re-check sets afresh.
    void clearChecks(extract::ConfidenceEvidence& e)
    {
        e.checksPassed = e.checksFailed = 0;
        e.unvalidated = false;
    }

} // namespace

Result<InvoiceRecheck> revalidateInvoice(storage::Library& library, qint64 documentId)
{
    auto checked = checkInvoice(library, documentId);
    if (checked && !checked->updates.empty())
        if (auto r = library.results().updateChecks(checked->updates); !r)
            return makeError(r.error());
    return checked;
}

Result<InvoiceRecheck> checkInvoice(storage::Library& library, qint64 documentId)
{
    const auto runs = library.results().runs(documentId);
    if (!runs)
        return makeError(runs.error());
    auto stored = library.results().results(documentId);
    if (!stored)
        return makeError(stored.error());
    const auto detail = library.document(documentId);
    if (!detail)
        return makeError(detail.error());

    std::set<qint64> invoiceRuns;
    std::map<int, QString> latestStatus; // page → status of the latest model run of the task
    for (const storage::RunRecord& r : *runs)
        if (r.task == u"invoice") {
            if (r.supersededBy == 0)
                invoiceRuns.insert(r.id);
            if (!r.modelId.startsWith(QLatin1String("e-invoice")))
                latestStatus[r.pageIndex] = r.status;
        }
    InvoiceRecheck out;
    if (invoiceRuns.empty())
        return out;

    // One PageResult per page with the invoice's current fields (the user's too) and line items.
    std::map<int, extract::PageResult> pages;
    struct Origin {
        bool cell;
        qint64 id;
        extract::Flags flags;
        double confidence;
        extract::ConfidenceEvidence evidence;
        bool scored; // a model's value with stored evidence: its confidence follows the evidence
    };
    const auto scored = [](const extract::ConfidenceEvidence& e, const QString& source) {
        return source != u"user" && source != u"e-invoice" && e != extract::ConfidenceEvidence{};
    };
    std::map<int, std::vector<Origin>> origins; // page → in PageResult order: fields, then cells
    for (const storage::StoredField& f : stored->fields) {
        if (f.runId != 0 && !invoiceRuns.count(f.runId))
            continue;
        extract::Field copy = f.field;
        copy.flags &= ~kCheckFlags;
        clearChecks(copy.evidence);
        pages[f.page].page = f.page;
        pages[f.page].fields.push_back(copy);
        origins[f.page].push_back({false, f.id, f.field.flags, f.field.confidence, f.field.evidence, scored(f.field.evidence, f.field.source)});
    }
    std::map<int, std::vector<Origin>> cellOrigins;
    for (const storage::StoredTable& t : stored->tables) {
        if (!invoiceRuns.count(t.runId) || t.table.name != u"line_items")
            continue;
        extract::Table copy = t.table;
        for (size_t i = 0; i < copy.cells.size(); ++i) {
            copy.cells[i].flags &= ~kCheckFlags;
            clearChecks(copy.cells[i].evidence);
            const extract::Cell& cell = t.table.cells[i];
            cellOrigins[t.page].push_back({true, t.cellIds[i], cell.flags, cell.confidence, cell.evidence, scored(cell.evidence, QStringLiteral("model"))});
        }
        pages[t.page].page = t.page;
        pages[t.page].tables.push_back(copy);
    }
    if (pages.empty())
        return out;

    extract::CoverageGaps gaps;
    for (const storage::PageSummary& p : detail->pages) {
        const auto it = latestStatus.find(p.index);
        const QString status = it == latestStatus.end() ? QString() : it->second;
        if (status == u"truncated")
            gaps.truncatedPages << QString::number(p.index + 1);
        else if (status.isEmpty() || status == u"cancelled" || status == u"failed")
            gaps.missingPages << QString::number(p.index + 1);
    }
    std::vector<extract::PageResult*> pointers;
    for (auto& [page, result] : pages)
        pointers.push_back(&result);
    out.validation = extract::validateAcrossPages(pointers);
    out.unvalidated = extract::markUnvalidated(out.validation, gaps, pointers);

    // A row stored without evidence (before schema v6), a user's or an e-invoice value keeps its
    // confidence: there is nothing to recompute it from.
    const auto update = [&](const Origin& o, extract::Flags checked, const extract::ConfidenceEvidence& evidence, int page) {
        const extract::Flags now = (o.flags & ~kCheckFlags) | (checked & kCheckFlags);
        if (now)
            ++out.flagged[page];
        const extract::ConfidenceEvidence kept = o.scored ? evidence : o.evidence;
        const double confidence = o.scored ? extract::combineConfidence(evidence).value : o.confidence;
        if (now != o.flags || kept != o.evidence || confidence != o.confidence)
            out.updates.push_back({o.cell, o.id, now, confidence, kept});
    };
    for (auto& [page, result] : pages) {
        const std::vector<Origin>& fields = origins[page];
        for (size_t i = 0; i < result.fields.size(); ++i)
            update(fields[i], result.fields[i].flags, result.fields[i].evidence, page);
        const std::vector<Origin>& cells = cellOrigins[page];
        size_t c = 0;
        for (const extract::Table& t : result.tables)
            for (const extract::Cell& cell : t.cells)
                update(cells[c++], cell.flags, cell.evidence, page);
    }
    return out;
}

} // namespace folio::jobs
