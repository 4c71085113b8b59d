#pragma once
// InvoiceModel: the data of the sample invoices, made deterministically from fixed seeds, and
// their arithmetic in integer cents (line amount = quantity × unit price, tax per rate group =
// group base × rate, both rounded half away from zero to the cent). Rendering lives in
// InvoiceRenderer; this file knows nothing about pages.
// Plain value types and free functions; thread-safe.

#include "localeformat.h"

#include <QColor>
#include <QDate>
#include <QPageSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace folio::samplegen {

struct Party {
    QString name;
    QStringList addressLines; // printed one per line; the truth value joins them with "\n"
    QString vatId; // empty where the party has none (US seller, private buyer)
};

struct LineItem {
    QString description;
    qint64 quantityMilli = 0; // 2.5 h → 2500
    QString unit;
    qint64 unitPriceCents = 0;
    int taxRateBasisPoints = 0; // 19 % → 1900

    qint64 amountCents() const; // net, rounded half away from zero
};

struct TaxGroup {
    int rateBasisPoints = 0;
    qint64 baseCents = 0;
    qint64 taxCents = 0;
};

// The words printed around the values, in the invoice's language.
struct InvoiceLabels {
    QString title, invoiceNumber, issueDate, dueDate, purchaseOrder, currency, billTo, vatId;
    QString position, description, quantity, unit, unitPrice, taxRate, amount;
    QString netTotal, taxLine, grandTotal, amountDue, paymentTerms, taxBreakdown, taxBase;
    QString continued, page, of, bank, thanks, prepaid;
};

struct Invoice {
    QString fileStem; // "invoice-de-nordlicht": sample file name without extension
    QString pdfTitle;
    QPageSize::PageSizeId pageSize = QPageSize::A4;
    QColor accent;
    InvoiceLabels labels;
    LocaleFormat format;
    QString currency; // ISO 4217, printed in the header block
    QString currencySymbol; // printed before the grand total and amount due where customary ("$")

    QString number;
    QDate issueDate;
    QDate dueDate;
    QString purchaseOrder;
    QString paymentTerms;
    Party seller;
    Party buyer;
    QString bankName;
    QString iban; // empty for the US seller, who prints routing and account numbers instead
    QString bic;
    QStringList footerLines; // registration, contact: printed but not part of the truth
    std::vector<LineItem> items;
    qint64 prepaidCents = 0; // amount due = grand total − prepaid

    std::vector<TaxGroup> taxGroups() const; // ordered by descending rate
    qint64 netCents() const;
    qint64 taxCents() const;
    qint64 grandCents() const;
    qint64 amountDueCents() const;
};

// Rounds value / divisor half away from zero (divisor > 0).
qint64 roundedDivide(qint64 value, qint64 divisor);

// The three bundled invoices: German (EUR, 19 % / 7 %, one page), French seller in English
// (EUR, 20 % / 5.5 %, 30 items on two pages), US (USD, US letter, 10.25 % / 0 % sales tax).
std::vector<Invoice> sampleInvoices();

} // namespace folio::samplegen
