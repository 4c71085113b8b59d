#include "storage/xlsxexport.h"

#include "storage/invoicesheets.h"

#include <QDate>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <xlsxwriter.h>

#include <algorithm>
#include <map>

namespace folio::storage {

namespace {

constexpr int maxSheetName = 31;

struct Formats {
    lxw_format* header = nullptr;
    lxw_format* date = nullptr;
};

// Writes cells and remembers the widest content of each column.
class SheetWriter {
public:
    SheetWriter(lxw_worksheet* sheet, const Formats& formats)
        : m_sheet(sheet)
        , m_formats(formats)
    {
    }

    // Writes `text`, as a number or date when `kind` asks and it parses; else as text.
    lxw_error write(int row, int col, const QString& text, ColumnKind kind, bool header = false)
    {
        if (text.isEmpty())
            return LXW_NO_ERROR;
        note(col, text.size());
        lxw_format* format = header ? m_formats.header : nullptr;
        if (kind == ColumnKind::Number) {
            bool ok = false;
            const double number = QLocale::c().toDouble(text, &ok);
            if (ok)
                return worksheet_write_number(m_sheet, lxw_row_t(row), lxw_col_t(col), number, format);
        }
        if (kind == ColumnKind::Date) {
            const QDate date = QDate::fromString(text, Qt::ISODate);
            if (date.isValid() && date.year() >= 1900) {
                lxw_datetime dt { date.year(), date.month(), date.day(), 0, 0, 0.0 };
                return worksheet_write_datetime(m_sheet, lxw_row_t(row), lxw_col_t(col), &dt, m_formats.date);
            }
        }
        const QByteArray utf8 = text.toUtf8();
        return worksheet_write_string(m_sheet, lxw_row_t(row), lxw_col_t(col), utf8.constData(), format);
    }

    lxw_error merge(int row, int col, int lastRow, int lastCol, const QString& text, bool header)
    {
        const QByteArray utf8 = text.toUtf8();
        return worksheet_merge_range(m_sheet, lxw_row_t(row), lxw_col_t(col), lxw_row_t(lastRow), lxw_col_t(lastCol),
            utf8.constData(), header ? m_formats.header : nullptr);
    }

    void note(int col, qsizetype width) { m_widths[col] = std::max(m_widths[col], width); }

    // Fits every column to its widest cell, within reason.
    lxw_error fitColumns()
    {
        for (const auto& [col, width] : m_widths) {
            const double fitted = std::clamp(double(width) + 2.0, 8.0, 60.0);
            if (lxw_error e = worksheet_set_column(m_sheet, lxw_col_t(col), lxw_col_t(col), fitted, nullptr))
                return e;
        }
        return LXW_NO_ERROR;
    }

private:
    lxw_worksheet* m_sheet;
    const Formats& m_formats;
    std::map<int, qsizetype> m_widths;
};

lxw_error writeSheet(lxw_worksheet* worksheet, const Formats& formats, const Sheet& sheet)
{
    SheetWriter writer(worksheet, formats);
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
        if (lxw_error e = writer.write(0, int(c), sheet.columns[c].name, ColumnKind::Text, true))
            return e;
        if (sheet.columns[c].kind == ColumnKind::Date)
            writer.note(int(c), 10); // yyyy-mm-dd
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
        for (std::size_t c = 0; c < sheet.columns.size() && c < std::size_t(sheet.rows[r].size()); ++c) {
            if (lxw_error e = writer.write(int(r + 1), int(c), sheet.rows[r][c], sheet.columns[c].kind))
                return e;
        }
    }
    worksheet_freeze_panes(worksheet, 1, 0);
    return writer.fitColumns();
}

// How to store a table cell: its normalised value as a number or date when it is one, else
// its text as read.
std::pair<QString, ColumnKind> cellValue(const extract::Cell& cell)
{
    static const QRegularExpression isoDate(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    static const QRegularExpression decimal(QStringLiteral("^-?\\d+(\\.\\d+)?$"));
    if (!cell.header && decimal.match(cell.normalized).hasMatch())
        return { cell.normalized, ColumnKind::Number };
    if (!cell.header && isoDate.match(cell.normalized).hasMatch())
        return { cell.normalized, ColumnKind::Date };
    return { cell.text, ColumnKind::Text };
}

lxw_error writeTable(lxw_worksheet* worksheet, const Formats& formats, const extract::Table& table)
{
    SheetWriter writer(worksheet, formats);
    bool headerRow = false;
    for (const extract::Cell& cell : table.cells) {
        if (cell.row < 0 || cell.col < 0)
            continue;
        headerRow = headerRow || (cell.header && cell.row == 0);
        if (cell.rowSpan > 1 || cell.colSpan > 1) {
            if (lxw_error e = writer.merge(cell.row, cell.col, cell.row + cell.rowSpan - 1, cell.col + cell.colSpan - 1,
                    QString(), cell.header))
                return e;
        }
        const auto [value, kind] = cellValue(cell);
        if (lxw_error e = writer.write(cell.row, cell.col, value, kind, cell.header))
            return e;
    }
    if (headerRow)
        worksheet_freeze_panes(worksheet, 1, 0);
    return writer.fitColumns();
}

} // namespace

QString sheetName(const QString& wanted, const QStringList& taken)
{
    static const QRegularExpression forbidden(QStringLiteral("[\\[\\]:*?/\\\\]"));
    QString base = QString(wanted).replace(forbidden, QStringLiteral("_")).simplified();
    // Excel refuses names that start or end with an apostrophe.
    while (base.startsWith(QLatin1Char('\'')))
        base.remove(0, 1);
    while (base.endsWith(QLatin1Char('\'')))
        base.chop(1);
    if (base.isEmpty())
        base = QStringLiteral("Sheet");
    const auto fit = [](QString name, qsizetype room) {
        if (name.size() > room) {
            name.truncate(room);
            if (name.back().isHighSurrogate())
                name.chop(1);
        }
        return name.trimmed();
    };
    const auto isTaken = [&](const QString& name) { return taken.contains(name, Qt::CaseInsensitive); };
    QString name = fit(base, maxSheetName);
    for (int n = 2; isTaken(name); ++n) {
        const QString suffix = QStringLiteral(" (%1)").arg(n);
        name = fit(base, maxSheetName - suffix.size()) + suffix;
    }
    return name;
}

Result<void> exportWorkbook(const std::vector<ExportDocument>& documents, const QString& path)
{
    const QString partial = path + QStringLiteral(".part");
    const auto failed = [&](const std::string& why) {
        QFile::remove(partial);
        return makeError("Cannot write " + path.toStdString() + ": " + why);
    };
    const QByteArray partialName = QFile::encodeName(partial);
    lxw_workbook* workbook = workbook_new(partialName.constData());
    if (!workbook)
        return failed("the spreadsheet library could not start a workbook (out of memory?)");

    Formats formats;
    formats.header = workbook_add_format(workbook);
    format_set_bold(formats.header);
    formats.date = workbook_add_format(workbook);
    format_set_num_format(formats.date, "yyyy-mm-dd");

    QStringList taken;
    lxw_error error = LXW_NO_ERROR;
    const auto addSheet = [&](const QString& wanted) -> lxw_worksheet* {
        const QString name = sheetName(wanted, taken);
        taken << name;
        const QByteArray utf8 = name.toUtf8();
        return workbook_add_worksheet(workbook, utf8.constData());
    };

    std::string problem;
    const auto check = [&](lxw_worksheet* sheet, const QString& what) {
        if (!sheet && problem.empty())
            problem = "cannot add the sheet " + what.toStdString();
        return sheet != nullptr;
    };
    if (lxw_worksheet* s = addSheet(QStringLiteral("Invoices")); check(s, QStringLiteral("Invoices")))
        error = writeSheet(s, formats, invoiceSheet(documents));
    if (lxw_worksheet* s = addSheet(QStringLiteral("Line items")); !error && check(s, QStringLiteral("Line items")))
        error = writeSheet(s, formats, lineItemSheet(documents));
    for (const ExportDocument& doc : documents) {
        int number = 0;
        for (const StoredTable& stored : doc.results.tables) {
            ++number;
            if (error || !problem.empty() || stored.table.name == QLatin1String("line_items"))
                continue;
            const QString label
                = stored.table.name.isEmpty() ? QStringLiteral("table %1").arg(number) : stored.table.name;
            const QString wanted = QStringLiteral("%1 p%2 %3")
                                       .arg(QFileInfo(doc.detail.doc.fileName).completeBaseName())
                                       .arg(stored.page + 1)
                                       .arg(label);
            if (lxw_worksheet* s = addSheet(wanted); check(s, wanted))
                error = writeTable(s, formats, stored.table);
        }
    }

    // Every field's reviewed state last, so the table sheets keep their places.
    if (error == LXW_NO_ERROR && problem.empty())
        if (lxw_worksheet* s = addSheet(QStringLiteral("Fields")); check(s, QStringLiteral("Fields")))
            error = writeSheet(s, formats, fieldSheet(documents));

    // workbook_close frees the workbook whatever happens, so it is always called.
    const lxw_error closed = workbook_close(workbook);
    if (!problem.empty())
        return failed(problem);
    if (error)
        return failed(lxw_strerror(error));
    if (closed)
        return failed(
            closed == LXW_ERROR_CREATING_XLSX_FILE ? "the file cannot be created there" : lxw_strerror(closed));
    if (QFile::exists(path) && !QFile::remove(path))
        return failed("the existing file cannot be replaced");
    if (!QFile::rename(partial, path))
        return failed("the finished workbook cannot be moved into place");
    return {};
}

} // namespace folio::storage
