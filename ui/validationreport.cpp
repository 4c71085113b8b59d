#include "ui/validationreport.h"

#include <QCoreApplication>

#include <map>

namespace folio::ui {

namespace {

    QString tr(const char* s)
    {
        return QCoreApplication::translate("folio::ui::ValidationPanel", s);
    }

    // The invoice's line_items cells by item row (1-based, across tables) and column name.
    struct LineItems {
        std::map<int, std::map<QString, ReviewItem>> rows;
        std::vector<ReviewItem> column(const QString& name) const
        {
            std::vector<ReviewItem> out;
            for (const auto& [n, cells] : rows) {
                if (const auto it = cells.find(name); it != cells.end())
                    out.push_back(it->second);
            }
            return out;
        }
    };

    LineItems lineItems(const storage::DocumentResults& results)
    {
        LineItems out;
        int number = 0;
        for (const storage::StoredTable& t : results.tables) {
            if (t.table.name != u"line_items")
                continue;
            bool anyHeader = false;
            for (const extract::Cell& c : t.table.cells)
                anyHeader = anyHeader || c.header;
            std::map<int, QString> names; // column → header name
            std::map<int, std::map<QString, ReviewItem>> rows;
            for (size_t i = 0; i < t.table.cells.size(); ++i) {
                const extract::Cell& c = t.table.cells[i];
                if (anyHeader ? c.header : c.row == 0)
                    names[c.col] = c.text.trimmed().toLower();
            }
            for (size_t i = 0; i < t.table.cells.size(); ++i) {
                const extract::Cell& c = t.table.cells[i];
                if ((anyHeader ? c.header : c.row == 0) || !names.count(c.col))
                    continue;
                rows[c.row][names[c.col]] = ReviewItem{ReviewKind::Cell, t.cellIds[i]};
            }
            for (auto& [row, cells] : rows)
                out.rows[++number] = std::move(cells);
        }
        return out;
    }

    std::vector<ReviewItem> fieldsNamed(const storage::DocumentResults& results, const QStringList& names)
    {
        std::vector<ReviewItem> out;
        for (const QString& name : names) {
            for (const storage::StoredField& f : results.fields) {
                if (f.field.name == name)
                    out.push_back({ReviewKind::Field, f.id});
            }
        }
        return out;
    }

    void append(std::vector<ReviewItem>& to, const std::vector<ReviewItem>& more)
    {
        to.insert(to.end(), more.begin(), more.end());
    }

    QString checkTitle(const QString& id)
    {
        if (id == u"lines_sum")
            return tr("line amounts add up to the net total");
        if (id == u"totals")
            return tr("net + tax = grand total");
        if (id == u"tax")
            return tr("tax per rate = tax total");
        if (id == u"amount_due")
            return tr("amount due ≤ grand total");
        if (id.startsWith(u"line:"))
            return tr("line %1: quantity × unit price = amount").arg(id.mid(5));
        return id;
    }

    std::vector<ReviewItem> involved(const QString& id, const storage::DocumentResults& results, const LineItems& lines)
    {
        std::vector<ReviewItem> out;
        if (id == u"totals") {
            out = fieldsNamed(results, {QStringLiteral("net_total"), QStringLiteral("tax_total"), QStringLiteral("grand_total")});
        } else if (id == u"amount_due") {
            out = fieldsNamed(results, {QStringLiteral("amount_due"), QStringLiteral("grand_total")});
        } else if (id == u"lines_sum") {
            out = fieldsNamed(results, {QStringLiteral("net_total")});
            append(out, lines.column(QStringLiteral("amount")));
        } else if (id == u"tax") {
            out = fieldsNamed(results, {QStringLiteral("tax_total")});
            append(out, lines.column(QStringLiteral("tax_rate")));
            append(out, lines.column(QStringLiteral("amount")));
        } else if (id.startsWith(u"line:")) {
            const auto row = lines.rows.find(id.mid(5).toInt());
            if (row != lines.rows.end()) {
                for (const char* name : {"quantity", "unit_price", "amount"}) {
                    if (const auto it = row->second.find(QString::fromLatin1(name)); it != row->second.end())
                        out.push_back(it->second);
                }
            }
        }
        return out;
    }

    QString runProblem(const QString& status)
    {
        if (status == u"truncated")
            return tr("cut off at the token limit; what was read is kept, the rest is missing");
        if (status == u"repetition")
            return tr("the model repeated itself; generation was stopped and the loop cut off");
        if (status == u"failed")
            return tr("the model run failed");
        if (status == u"cancelled")
            return tr("the run was cancelled before it finished");
        return {};
    }

} // namespace

std::vector<ValidationEntry> buildValidationReport(const jobs::InvoiceRecheck& checks,
                                                   const storage::DocumentResults& results,
                                                   const std::vector<storage::RunRecord>& runs)
{
    std::vector<ValidationEntry> out;
    const LineItems lines = lineItems(results);
    for (const extract::InvoiceCheck& c : checks.validation.checks) {
        ValidationEntry e;
        e.outcome = c.status == extract::CheckStatus::Passed   ? ValidationEntry::Outcome::Passed
                    : c.status == extract::CheckStatus::Failed ? ValidationEntry::Outcome::Failed
                                                               : ValidationEntry::Outcome::Skipped;
        e.title = checkTitle(c.id);
        e.detail = c.message;
        e.items = involved(c.id, results, lines);
        out.push_back(std::move(e));
    }
    for (const QString& reason : checks.unvalidated) {
        ValidationEntry e;
        e.outcome = ValidationEntry::Outcome::Skipped;
        e.title = tr("checks incomplete");
        e.detail = reason;
        for (const storage::StoredField& f : results.fields) {
            if (f.field.flags.testFlag(extract::Flag::Unvalidated))
                e.items.push_back({ReviewKind::Field, f.id});
        }
        out.push_back(std::move(e));
    }
    for (const storage::StoredField& f : results.fields) {
        if (!f.field.flags.testFlag(extract::Flag::EInvoiceMismatch))
            continue;
        ValidationEntry e;
        e.outcome = ValidationEntry::Outcome::Failed;
        e.title = tr("%1 differs from the e-invoice").arg(f.field.name);
        e.detail = f.modelValue.isEmpty() || f.modelValue == f.field.value
                       ? tr("value %1 disagrees with the PDF's embedded e-invoice").arg(f.field.value)
                       : tr("value %1; the latest run read %2").arg(f.field.value, f.modelValue);
        e.items = {{ReviewKind::Field, f.id}};
        e.page = f.page;
        out.push_back(std::move(e));
    }
    for (const storage::StoredTable& t : results.tables) {
        for (size_t i = 0; i < t.table.cells.size(); ++i) {
            if (!t.table.cells[i].flags.testFlag(extract::Flag::EInvoiceMismatch))
                continue;
            ValidationEntry e;
            e.outcome = ValidationEntry::Outcome::Failed;
            e.title = tr("table cell differs from the e-invoice");
            e.detail = tr("cell %1 disagrees with the PDF's embedded e-invoice").arg(t.table.cells[i].text);
            e.items = {{ReviewKind::Cell, t.cellIds[i]}};
            e.page = t.page;
            out.push_back(std::move(e));
        }
    }
    for (const storage::RunRecord& r : runs) {
        if (r.supersededBy != 0)
            continue;
        const QString problem = runProblem(r.status);
        if (!problem.isEmpty()) {
            ValidationEntry e;
            e.outcome = ValidationEntry::Outcome::Failed;
            e.title = tr("page %1 (%2)").arg(r.pageIndex + 1).arg(r.task);
            e.detail = r.error.isEmpty() ? problem : problem + QStringLiteral(": ") + r.error;
            e.page = r.pageIndex;
            out.push_back(std::move(e));
        }
        for (const QString& note : r.notes) {
            ValidationEntry e;
            e.outcome = ValidationEntry::Outcome::Note;
            e.title = tr("page %1 (%2)").arg(r.pageIndex + 1).arg(r.task);
            e.detail = note;
            e.page = r.pageIndex;
            out.push_back(std::move(e));
        }
    }
    return out;
}

} // namespace folio::ui
