#include "storage/exportdocument.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"

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

const EditRecord* ExportDocument::lastEdit(const QString& target, qint64 id) const
{
    const auto it = lastEdits.find({target, id});
    return it == lastEdits.end() ? nullptr : &it->second;
}

QString reviewState(const QString& reviewStatus, extract::Flags flags)
{
    if (flags.testFlag(extract::Flag::Conflict))
        return QStringLiteral("conflict");
    if (reviewStatus == kReviewFlagged)
        return kReviewFlagged;
    if (flags.testFlag(extract::Flag::Edited))
        return QStringLiteral("edited");
    return reviewStatus;
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
    auto edits = library.review().edits(documentId);
    if (!edits)
        return makeError(edits.error());
    for (const EditRecord& e : *edits)
        out.lastEdits[{e.target, e.targetId}] = e; // oldest first: the last one stays
    return out;
}

} // namespace folio::storage
