#include "storage/exportdocument.h"

#include "storage/library.h"
#include "storage/resultstore.h"

namespace folio::storage {

const RunRecord* ExportDocument::run(qint64 runId) const
{
    for (const RunRecord& r : runs) {
        if (r.id == runId)
            return &r;
    }
    return nullptr;
}

const PageSummary* ExportDocument::page(int pageIndex) const
{
    for (const PageSummary& p : detail.pages) {
        if (p.index == pageIndex)
            return &p;
    }
    return nullptr;
}

Result<ExportDocument> loadExportDocument(Library& library, qint64 documentId)
{
    ExportDocument out;
    auto detail = library.document(documentId);
    if (!detail)
        return makeError(detail.error());
    out.detail = std::move(*detail);
    auto results = library.results().results(documentId);
    if (!results)
        return makeError(results.error());
    out.results = std::move(*results);
    auto runs = library.results().runs(documentId);
    if (!runs)
        return makeError(runs.error());
    out.runs = std::move(*runs);
    return out;
}

} // namespace folio::storage
