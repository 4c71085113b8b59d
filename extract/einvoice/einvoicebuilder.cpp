#include "extract/einvoice/einvoicebuilder.h"

#include "extract/invoicevocabulary.h"

#include <algorithm>
#include <iterator>

namespace folio::extract {

namespace {

QString withoutSpaces(const QString& s)
{
    QString out;
    for (const QChar c : s) {
        if (!c.isSpace())
            out.append(c);
    }
    return out;
}

Cell makeCell(int row, int col, const QString& text, const std::optional<QString>& normalized)
{
    Cell cell;
    cell.row = row;
    cell.col = col;
    cell.text = text;
    cell.normalized = normalized.value_or(QString());
    if (!text.isEmpty() && !normalized)
        cell.flags |= Flag::Unparsed;
    return cell;
}

int canonicalIndex(const QString& name)
{
    const auto it = std::find(kInvoiceFields.begin(), kInvoiceFields.end(), name);
    return static_cast<int>(std::distance(kInvoiceFields.begin(), it));
}

} // namespace

EInvoiceBuilder::EInvoiceBuilder(QString syntax, QString profile)
{
    m_invoice.syntax = std::move(syntax);
    m_invoice.profile = std::move(profile);
    m_invoice.lineItems.name = kLineItemsTable;
    for (std::size_t col = 0; col < kLineItemColumns.size(); ++col) {
        Cell header = makeCell(0, static_cast<int>(col), kLineItemColumns[col], QString(kLineItemColumns[col]));
        header.header = true;
        m_invoice.lineItems.cells.push_back(header);
    }
}

void EInvoiceBuilder::add(QLatin1StringView name, const QString& value, const std::optional<QString>& normalized)
{
    Field field;
    field.name = name;
    field.value = value;
    field.normalized = normalized.value_or(QString());
    field.confidence = 1.0;
    field.source = kEInvoiceSource;
    if (!normalized)
        field.flags |= Flag::Unparsed;
    m_invoice.fields.push_back(field);
}

void EInvoiceBuilder::addText(QLatin1StringView name, const QString& value)
{
    if (!value.isEmpty())
        add(name, value, value.simplified());
}

void EInvoiceBuilder::addCode(QLatin1StringView name, const QString& value)
{
    if (!value.isEmpty())
        add(name, value, value.trimmed().toUpper());
}

void EInvoiceBuilder::addId(QLatin1StringView name, const QString& value)
{
    if (!value.isEmpty())
        add(name, value, withoutSpaces(value).toUpper());
}

void EInvoiceBuilder::addMoney(QLatin1StringView name, const QString& value)
{
    if (!value.isEmpty())
        add(name, value, canonicalDecimal(value, 2));
}

void EInvoiceBuilder::addCiiDate(QLatin1StringView name, const QString& value, const QString& format)
{
    if (!value.isEmpty())
        add(name, value, canonicalCiiDate(value, format));
}

void EInvoiceBuilder::addIsoDate(QLatin1StringView name, const QString& value)
{
    if (!value.isEmpty())
        add(name, value, canonicalIsoDate(value));
}

void EInvoiceBuilder::addAddress(QLatin1StringView name, const PostalAddress& address)
{
    if (!address.isEmpty())
        add(name, address.raw(), address.printedParts().join(QStringLiteral(", ")));
}

void EInvoiceBuilder::addLine(const EInvoiceLine& line)
{
    const int row = ++m_lines;
    auto cell = [&](LineItemColumn column, const QString& text, const std::optional<QString>& normalized) {
        m_invoice.lineItems.cells.push_back(makeCell(row, static_cast<int>(column), text, normalized));
    };
    cell(LineItemColumn::Description, line.description, line.description.simplified());
    cell(LineItemColumn::Quantity, line.quantity, canonicalDecimal(line.quantity, 0));
    cell(LineItemColumn::Unit, line.unitCode, unitName(line.unitCode));
    cell(LineItemColumn::UnitPrice, line.unitPrice, canonicalDecimal(line.unitPrice, 2));
    cell(LineItemColumn::TaxRate, line.taxRate, canonicalDecimal(line.taxRate, 0));
    cell(LineItemColumn::Amount, line.amount, canonicalDecimal(line.amount, 2));
}

void EInvoiceBuilder::setTypeCode(const QString& code)
{
    // 381 credit note, 396 factored credit note; every other code is a kind of invoice
    // (380 commercial, 384 corrected, 389 self-billed, 875/876/877 partial).
    const QString c = code.trimmed();
    m_invoice.documentType = c == QLatin1String("381") || c == QLatin1String("396") ? QStringLiteral("credit_note")
                                                                                      : QStringLiteral("invoice");
}

EInvoice EInvoiceBuilder::take()
{
    std::stable_sort(m_invoice.fields.begin(), m_invoice.fields.end(),
        [](const Field& a, const Field& b) { return canonicalIndex(a.name) < canonicalIndex(b.name); });
    return std::move(m_invoice);
}

} // namespace folio::extract
