#include "ui/jobs/invoicerevalidation.h"

#include "extract/pageextraction.h"
#include "extract/validationcoverage.h"
#include "storage/library.h"
#include "storage/resultstore.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace folio::jobs {

namespace {

    const extract::Flags kCheckFlags = extract::Flags(extract::Flag::LineMismatch) | extract::Flag::SumMismatch
        | extract::Flag::TotalMismatch | extract::Flag::TaxMismatch | extract::Flag::Unvalidated;

    int bits(extract::Flags flags)
    {
        int n = 0;
        for (unsigned v = flags.toInt(); v; v &= v - 1)
            ++n;
        return n;
    }

    // The confidence after the check flags went from `before` to `after`.
    double adjusted(double confidence, extract::Flags before, extract::Flags after)
    {
        const extract::Flags changing = kCheckFlags & ~extract::Flags(extract::Flag::Unvalidated);
        const int gained = bits(after & changing & ~before);
        const int lost = bits(before & changing & ~after);
        return std::min(1.0, confidence * std::pow(extract::kFailedCheckConfidenceFactor, gained - lost));
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
    };
    std::map<int, std::vector<Origin>> origins; // page → in PageResult order: fields, then cells
    for (const storage::StoredField& f : stored->fields) {
        if (f.runId != 0 && !invoiceRuns.count(f.runId))
            continue;
        extract::Field copy = f.field;
        copy.flags &= ~kCheckFlags;
        pages[f.page].page = f.page;
        pages[f.page].fields.push_back(copy);
        origins[f.page].push_back({false, f.id, f.field.flags, f.field.confidence});
    }
    std::map<int, std::vector<Origin>> cellOrigins;
    for (const storage::StoredTable& t : stored->tables) {
        if (!invoiceRuns.count(t.runId) || t.table.name != u"line_items")
            continue;
        extract::Table copy = t.table;
        for (size_t i = 0; i < copy.cells.size(); ++i) {
            copy.cells[i].flags &= ~kCheckFlags;
            cellOrigins[t.page].push_back({true, t.cellIds[i], t.table.cells[i].flags, t.table.cells[i].confidence});
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

    const auto update = [&](const Origin& o, extract::Flags checked, int page) {
        const extract::Flags now = (o.flags & ~kCheckFlags) | (checked & kCheckFlags);
        if (now)
            ++out.flagged[page];
        if (now != o.flags)
            out.updates.push_back({o.cell, o.id, now, adjusted(o.confidence, o.flags, now)});
    };
    for (auto& [page, result] : pages) {
        const std::vector<Origin>& fields = origins[page];
        for (size_t i = 0; i < result.fields.size(); ++i)
            update(fields[i], result.fields[i].flags, page);
        const std::vector<Origin>& cells = cellOrigins[page];
        size_t c = 0;
        for (const extract::Table& t : result.tables)
            for (const extract::Cell& cell : t.cells)
                update(cells[c++], cell.flags, page);
    }
    return out;
}

} // namespace folio::jobs
