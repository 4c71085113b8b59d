#include "storage/invoicesheets.h"

#include "storage/sqlrows.h"

#include <map>

namespace folio::storage {

namespace {

const QStringList invoiceFields = { QStringLiteral("invoice_number"), QStringLiteral("issue_date"),
    QStringLiteral("due_date"), QStringLiteral("currency"), QStringLiteral("seller_name"),
    QStringLiteral("seller_address"), QStringLiteral("seller_vat_id"), QStringLiteral("buyer_name"),
    QStringLiteral("buyer_address"), QStringLiteral("buyer_vat_id"), QStringLiteral("purchase_order"),
    QStringLiteral("payment_terms"), QStringLiteral("iban"), QStringLiteral("bic"), QStringLiteral("net_total"),
    QStringLiteral("tax_total"), QStringLiteral("grand_total"), QStringLiteral("amount_due") };

const QStringList lineItemColumns = { QStringLiteral("description"), QStringLiteral("quantity"), QStringLiteral("unit"),
    QStringLiteral("unit_price"), QStringLiteral("tax_rate"), QStringLiteral("amount") };

const QString lineItemsTable = QStringLiteral("line_items");

ColumnKind kindOf(const QString& name)
{
    if (name.endsWith(QLatin1String("_date")))
        return ColumnKind::Date;
    static const QStringList numbers = { QStringLiteral("net_total"), QStringLiteral("tax_total"),
        QStringLiteral("grand_total"), QStringLiteral("amount_due"), QStringLiteral("quantity"),
        QStringLiteral("unit_price"), QStringLiteral("tax_rate"), QStringLiteral("amount"),
        QStringLiteral("document_id"), QStringLiteral("page"), QStringLiteral("item") };
    return numbers.contains(name) ? ColumnKind::Number : ColumnKind::Text;
}

std::vector<SheetColumn> columnsOf(const QStringList& names)
{
    std::vector<SheetColumn> out;
    for (const QString& name : names)
        out.push_back({ name, kindOf(name) });
    return out;
}

QString bestValue(const QString& normalized, const QString& raw)
{
    return normalized.isEmpty() ? raw : normalized;
}

// The first state in `order` that any of `states` has; `otherwise` when none.
QString worstOf(const QStringList& states, const QStringList& order, const QString& otherwise)
{
    for (const QString& s : order)
        if (states.contains(s))
            return s;
    return otherwise;
}

QStringList whoAndWhen(const EditRecord* edit)
{
    if (!edit)
        return { QString(), QString() };
    return { edit->author.isEmpty() ? QStringLiteral("(unnamed)") : edit->author, timeToText(edit->at) };
}

const EditRecord* later(const EditRecord* a, const EditRecord* b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return b->id > a->id ? b : a;
}

} // namespace

Sheet invoiceSheet(const std::vector<ExportDocument>& documents)
{
    Sheet sheet;
    sheet.columns = columnsOf(QStringList { QStringLiteral("document_id"), QStringLiteral("file_name") } + invoiceFields
        + QStringList { QStringLiteral("review_status"), QStringLiteral("last_edited_by"), QStringLiteral("last_edited_at") });
    for (const ExportDocument& doc : documents) {
        QStringList row { QString::number(doc.detail.doc.id), doc.detail.doc.fileName };
        QStringList states;
        const EditRecord* last = nullptr;
        for (const QString& name : invoiceFields) {
            QString value;
            // Results are ordered by page, so the first match is on the earliest page.
            for (const StoredField& f : doc.results.fields) {
                if (f.field.name == name) {
                    value = bestValue(f.field.normalized, f.field.value);
                    states << reviewState(f.reviewStatus, f.field.flags);
                    last = later(last, doc.lastEdit(QStringLiteral("field"), f.id));
                    break;
                }
            }
            row << value;
        }
        row << (states.isEmpty() ? QString()
                                 : worstOf(states, { QStringLiteral("conflict"), kReviewFlagged, kReviewPending },
                                       QStringLiteral("reviewed")));
        row << whoAndWhen(last);
        sheet.rows.push_back(row);
    }
    return sheet;
}

Sheet lineItemSheet(const std::vector<ExportDocument>& documents)
{
    Sheet sheet;
    sheet.columns = columnsOf(QStringList { QStringLiteral("document_id"), QStringLiteral("file_name"),
                                  QStringLiteral("page"), QStringLiteral("item") }
        + lineItemColumns + QStringList { QStringLiteral("review_status") });
    for (const ExportDocument& doc : documents) {
        int item = 0;
        for (const StoredTable& stored : doc.results.tables) {
            const extract::Table& table = stored.table;
            if (table.name != lineItemsTable)
                continue;
            // Grid column → canonical column index, from the header cells.
            std::map<int, qsizetype> columnOf;
            bool hasHeader = false;
            for (const extract::Cell& cell : table.cells) {
                if (!cell.header)
                    continue;
                hasHeader = true;
                const qsizetype index = lineItemColumns.indexOf(bestValue(cell.normalized, cell.text).trimmed());
                if (index >= 0)
                    columnOf[cell.col] = index;
            }
            if (!hasHeader) {
                for (qsizetype i = 0; i < lineItemColumns.size(); ++i)
                    columnOf[int(i)] = i;
            }
            std::map<int, QStringList> rows; // grid row → values in canonical order
            std::map<int, QStringList> rowStates;
            for (std::size_t i = 0; i < table.cells.size(); ++i) {
                const extract::Cell& cell = table.cells[i];
                if (cell.header)
                    continue;
                rowStates[cell.row] << reviewState(stored.cellReviewStatus[i], cell.flags);
                const auto column = columnOf.find(cell.col);
                if (column == columnOf.end())
                    continue;
                QStringList& values = rows[cell.row];
                if (values.isEmpty())
                    values = QStringList(lineItemColumns.size(), QString());
                values[column->second] = bestValue(cell.normalized, cell.text);
            }
            for (const auto& [gridRow, values] : rows) {
                sheet.rows.push_back(QStringList { QString::number(doc.detail.doc.id), doc.detail.doc.fileName,
                                         QString::number(stored.page + 1), QString::number(++item) }
                    + values
                    + QStringList { worstOf(rowStates[gridRow],
                        { QStringLiteral("conflict"), kReviewFlagged, kReviewPending, QStringLiteral("edited") },
                        kReviewAccepted) });
            }
        }
    }
    return sheet;
}

Sheet fieldSheet(const std::vector<ExportDocument>& documents)
{
    Sheet sheet;
    for (const char* name : { "document_id", "file_name", "page", "field", "value", "normalized", "review_status", "flags",
             "model_value", "last_edited_by", "last_edited_at" })
        sheet.columns.push_back({ QString::fromLatin1(name),
            QLatin1String(name) == QLatin1String("document_id") || QLatin1String(name) == QLatin1String("page")
                ? ColumnKind::Number
                : ColumnKind::Text });
    for (const ExportDocument& doc : documents)
        for (const StoredField& f : doc.results.fields)
            sheet.rows.push_back(QStringList { QString::number(doc.detail.doc.id), doc.detail.doc.fileName,
                                     QString::number(f.page + 1), f.field.name, f.field.value, f.field.normalized,
                                     reviewState(f.reviewStatus, f.field.flags),
                                     extract::flagsToStrings(f.field.flags).join(QLatin1Char(' ')), f.modelValue }
                + whoAndWhen(doc.lastEdit(QStringLiteral("field"), f.id)));
    return sheet;
}

} // namespace folio::storage
