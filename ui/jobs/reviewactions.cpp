#include "ui/jobs/reviewactions.h"

#include "extract/resultnormalizer.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "ui/jobs/extractionjob.h"
#include "ui/jobs/invoicerevalidation.h"

#include <QRegularExpression>

namespace folio::jobs {

namespace {

    // The flags the normaliser decides; everything else on a row is left alone.
    const extract::Flags kNormalizationFlags = extract::Flags(extract::Flag::Unparsed) | extract::Flag::AmbiguousDate
        | extract::Flag::AmbiguousNumber | extract::Flag::AmbiguousCurrency;

    Error noSuch(const QString& what, const QStringList& available)
    {
        return makeError(QStringLiteral("%1; the document has: %2").arg(what, available.isEmpty() ? QStringLiteral("no results (run folio extract first)") : available.join(QStringLiteral(", "))).toStdString());
    }

    // The task (and custom schema) whose normaliser applies to results of `runId`; a user's
    // field (no run) takes the document's invoice or form conventions.
    std::pair<QString, std::vector<extract::CustomField>> taskOf(const std::vector<storage::RunRecord>& runs, qint64 runId)
    {
        for (const storage::RunRecord& r : runs)
            if (r.id == runId)
                return {r.task, runSchema(r)};
        for (const storage::RunRecord& r : runs)
            if (r.task == u"invoice")
                return {QStringLiteral("invoice"), {}};
        return {QStringLiteral("form"), {}};
    }

} // namespace

Result<ReviewTarget> findReviewTarget(storage::Library& library, qint64 documentId, const QString& spec, std::optional<int> page)
{
    auto results = library.results().results(documentId);
    if (!results)
        return makeError(results.error());
    static const QRegularExpression cellSpec(QStringLiteral("^(.*):(\\d+):(\\d+)$"));
    const QRegularExpressionMatch m = cellSpec.match(spec);
    if (m.hasMatch()) {
        const QString table = m.captured(1);
        const int row = m.captured(2).toInt(), col = m.captured(3).toInt();
        QStringList tables;
        for (const storage::StoredTable& t : results->tables) {
            const QString name = t.table.name.isEmpty() ? QStringLiteral("table") : t.table.name;
            tables << QStringLiteral("%1 (p.%2, %3 × %4)").arg(name).arg(t.page + 1).arg(t.table.rows()).arg(t.table.cols());
            if (name != table || (page && t.page != *page - 1))
                continue;
            for (size_t i = 0; i < t.table.cells.size(); ++i) {
                const extract::Cell& c = t.table.cells[i];
                if (row >= c.row && row < c.row + c.rowSpan && col >= c.col && col < c.col + c.colSpan)
                    return ReviewTarget{true, t.cellIds[i], QStringLiteral("%1:%2:%3 (p.%4)").arg(name).arg(c.row).arg(c.col).arg(t.page + 1)};
            }
        }
        return noSuch(QStringLiteral("no cell %1%2").arg(spec, page ? QStringLiteral(" on page %1").arg(*page) : QString()), tables);
    }
    QStringList fields;
    std::vector<const storage::StoredField*> matches;
    for (const storage::StoredField& f : results->fields) {
        fields << QStringLiteral("%1 (p.%2)").arg(f.field.name).arg(f.page + 1);
        if (f.field.name == spec && (!page || f.page == *page - 1))
            matches.push_back(&f);
    }
    if (matches.empty())
        return noSuch(QStringLiteral("no field '%1'%2").arg(spec, page ? QStringLiteral(" on page %1").arg(*page) : QString()), fields);
    if (matches.size() > 1 && !page) {
        QStringList pages;
        for (const storage::StoredField* f : matches)
            pages << QString::number(f->page + 1);
        return makeError(QStringLiteral("'%1' is on pages %2: say which with --page N").arg(spec, pages.join(QStringLiteral(", "))).toStdString());
    }
    const storage::StoredField& f = *matches.front();
    return ReviewTarget{false, f.id, QStringLiteral("%1 (p.%2)").arg(f.field.name).arg(f.page + 1)};
}

Result<ValueChange> setReviewedValue(storage::Library& library, qint64 documentId, const ReviewTarget& target, const QString& value)
{
    auto results = library.results().results(documentId);
    if (!results)
        return makeError(results.error());
    auto runs = library.results().runs(documentId);
    if (!runs)
        return makeError(runs.error());

    // The target's page as extraction saw it: that run's fields and tables, with the new value.
    extract::PageResult page;
    qint64 runId = -1;
    extract::Flags before;
    const auto locate = [&]() -> bool {
        for (const storage::StoredField& f : results->fields)
            if (!target.cell && f.id == target.id) {
                runId = f.runId;
                page.page = f.page;
                return true;
            }
        for (const storage::StoredTable& t : results->tables)
            for (qint64 id : t.cellIds)
                if (target.cell && id == target.id) {
                    runId = t.runId;
                    page.page = t.page;
                    return true;
                }
        return false;
    };
    if (!locate())
        return makeError(QStringLiteral("%1 is no longer in the library").arg(target.label).toStdString());
    extract::Field* field = nullptr;
    extract::Cell* cell = nullptr;
    for (const storage::StoredField& f : results->fields)
        if (f.page == page.page && (f.runId == runId || f.runId == 0)) {
            page.fields.push_back(f.field);
            if (!target.cell && f.id == target.id)
                before = f.field.flags;
        }
    for (const storage::StoredTable& t : results->tables)
        if (t.page == page.page && t.runId == runId)
            page.tables.push_back(t.table);
    // Pointers only after the vectors stopped growing.
    size_t fi = 0;
    for (const storage::StoredField& f : results->fields)
        if (f.page == page.page && (f.runId == runId || f.runId == 0)) {
            if (!target.cell && f.id == target.id)
                field = &page.fields[fi];
            ++fi;
        }
    size_t ti = 0;
    for (const storage::StoredTable& t : results->tables)
        if (t.page == page.page && t.runId == runId) {
            for (size_t i = 0; i < t.cellIds.size(); ++i)
                if (target.cell && t.cellIds[i] == target.id) {
                    cell = &page.tables[ti].cells[i];
                    before = cell->flags;
                }
            ++ti;
        }
    for (extract::Field& f : page.fields)
        f.flags &= ~kNormalizationFlags;
    for (extract::Table& t : page.tables)
        for (extract::Cell& c : t.cells)
            c.flags &= ~kNormalizationFlags;
    if (field)
        field->value = value;
    if (cell)
        cell->text = value;

    const auto [task, schema] = taskOf(*runs, runId);
    extract::normalizeResult(page, task, schema);
    ValueChange change;
    change.normalized = field ? field->normalized : cell ? cell->normalized : QString();
    const extract::Flags now = field ? field->flags : cell ? cell->flags : extract::Flags{};
    // The reviewer's value settles a conflict from a re-run.
    change.flags = ((before & ~kNormalizationFlags) | (now & kNormalizationFlags)) & ~extract::Flags(extract::Flag::Conflict);
    storage::ReviewStore& review = library.review();
    auto edit = target.cell ? review.updateCellValue(target.id, value, change.normalized, change.flags)
                            : review.updateFieldValue(target.id, value, change.normalized, change.flags);
    if (!edit)
        return makeError(edit.error());
    change.editId = *edit;

    if (task == u"invoice") {
        auto checked = revalidateInvoice(library, documentId);
        if (!checked)
            return makeError(QStringLiteral("%1 was changed, but the invoice could not be checked again: %2")
                                 .arg(target.label, QString::fromStdString(checked.error())).toStdString());
        for (const extract::InvoiceCheck& c : checked->validation.checks)
            if (c.status == extract::CheckStatus::Failed)
                change.checks << QStringLiteral("check failed: %1").arg(c.message);
        change.checks << checked->unvalidated;
    }
    return change;
}

Result<qint64> setReviewState(storage::Library& library, const ReviewTarget& target, const QString& status)
{
    storage::ReviewStore& review = library.review();
    return target.cell ? review.setCellReviewStatus(target.id, status) : review.setFieldReviewStatus(target.id, status);
}

Result<int> acceptAllPending(storage::Library& library, qint64 documentId)
{
    auto results = library.results().results(documentId);
    if (!results)
        return makeError(results.error());
    int accepted = 0;
    for (const storage::StoredField& f : results->fields)
        if (f.reviewStatus == storage::kReviewPending) {
            if (auto r = library.review().setFieldReviewStatus(f.id, storage::kReviewAccepted); !r)
                return makeError(r.error());
            ++accepted;
        }
    for (const storage::StoredTable& t : results->tables)
        for (size_t i = 0; i < t.cellIds.size(); ++i)
            if (t.cellReviewStatus[i] == storage::kReviewPending && !t.table.cells[i].header) {
                if (auto r = library.review().setCellReviewStatus(t.cellIds[i], storage::kReviewAccepted); !r)
                    return makeError(r.error());
                ++accepted;
            }
    return accepted;
}

Result<std::optional<qint64>> undoLastEdit(storage::Library& library, qint64 documentId)
{
    auto last = library.review().lastUndoableEdit(documentId);
    if (!last)
        return makeError(last.error());
    if (!*last)
        return std::optional<qint64>();
    auto undone = library.review().undo(**last);
    if (!undone)
        return makeError(undone.error());
    if (auto checked = revalidateInvoice(library, documentId); !checked)
        return makeError(checked.error());
    return std::optional<qint64>(*undone);
}

Result<bool> hasReviewedWork(storage::Library& library, qint64 documentId)
{
    auto edits = library.review().edits(documentId);
    if (!edits)
        return makeError(edits.error());
    return !edits->empty();
}

} // namespace folio::jobs
