#include "storage/csvexport.h"

#include "storage/exportfile.h"
#include "storage/invoicesheets.h"

#include <QRegularExpression>

namespace folio::storage {

namespace {

bool isNegativeNumber(const QString& value)
{
    static const QRegularExpression number(QStringLiteral("^-[0-9]+([.,][0-9]+)*$"));
    return number.match(value).hasMatch();
}

std::vector<QStringList> withHeader(const Sheet& sheet)
{
    QStringList header;
    for (const SheetColumn& column : sheet.columns)
        header << column.name;
    std::vector<QStringList> records { header };
    records.insert(records.end(), sheet.rows.begin(), sheet.rows.end());
    return records;
}

} // namespace

QString csvField(const QString& value)
{
    QString out = value;
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!out.isEmpty() && formulaStarts.contains(out.front()) && !isNegativeNumber(out))
        out.prepend(QLatin1Char('\''));
    static const QRegularExpression needsQuotes(QStringLiteral("[,\"\r\n]"));
    if (out.contains(needsQuotes)) {
        out.replace(QLatin1String("\""), QLatin1String("\"\""));
        out = QLatin1Char('"') + out + QLatin1Char('"');
    }
    return out;
}

QByteArray csvText(const std::vector<QStringList>& records, const CsvOptions& options)
{
    QByteArray out;
    if (options.byteOrderMark)
        out += "\xEF\xBB\xBF";
    for (const QStringList& record : records) {
        QStringList fields;
        for (const QString& value : record)
            fields << csvField(value);
        out += fields.join(QLatin1Char(',')).toUtf8();
        out += "\r\n";
    }
    return out;
}

std::vector<QStringList> tableGrid(const extract::Table& table)
{
    std::vector<QStringList> grid(static_cast<std::size_t>(table.rows()), QStringList(table.cols(), QString()));
    for (const extract::Cell& cell : table.cells) {
        if (cell.row >= 0 && cell.col >= 0)
            grid[static_cast<std::size_t>(cell.row)][cell.col] = cell.text;
    }
    return grid;
}

Result<void> exportTableCsv(const extract::Table& table, const QString& path, const CsvOptions& options)
{
    return writeExportFile(path, csvText(tableGrid(table), options));
}

Result<void> exportInvoicesCsv(const std::vector<ExportDocument>& documents, const QString& invoicesPath,
    const QString& lineItemsPath, const CsvOptions& options, const QString& fieldsPath)
{
    if (auto r = writeExportFile(invoicesPath, csvText(withHeader(invoiceSheet(documents)), options)); !r)
        return r;
    if (!fieldsPath.isEmpty())
        if (auto r = writeExportFile(fieldsPath, csvText(withHeader(fieldSheet(documents)), options)); !r)
            return r;
    return writeExportFile(lineItemsPath, csvText(withHeader(lineItemSheet(documents)), options));
}

} // namespace folio::storage
