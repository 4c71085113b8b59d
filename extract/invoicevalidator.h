#pragma once
// Arithmetic checks of an invoice in the spirit of EN 16931's business rules, with exact
// decimal arithmetic in integer cents (never floating point):
//   "line:<n>"    quantity × unit_price = amount of line n (1-based), within 0.01
//   "lines_sum"   Σ line amounts = net_total
//   "totals"      net_total + tax_total = grand_total
//   "tax"         Σ over tax-rate groups of round(base × rate / 100) = tax_total, rounded to
//                 cents half away from zero, allowing 1 cent per line (invoices that round
//                 tax per line differ from per-group rounding by up to that much)
//   "amount_due"  amount_due <= grand_total (prepayments make it smaller, never larger)
// A failed check adds its flag (LineMismatch, SumMismatch, TotalMismatch, TaxMismatch) to
// every field and cell involved and counts it in their evidence (checksFailed); a passed check
// counts in checksPassed. The confidence itself is computed from the evidence afterwards
// (extract/confidence.h). Values are never modified.
// A check whose inputs are missing or unreadable is reported as skipped, with the reason.
//
// Inputs: fields named net_total, tax_total, grand_total, amount_due; the line_items table
// with a header row (cells with header = true, else row 0) naming its columns description,
// quantity, unit, unit_price, tax_rate, amount, and one row per item. Each value is read from
// `normalized` when set (plain decimal; tax rate in percent), else from the raw text through
// normalizeAmount / normalizePercent. Runs on the caller's thread; mutates only flags and
// evidence of the given fields and cells.

#include "extract/types/pageresult.h"

#include <QString>

#include <vector>

namespace folio::extract {

enum class CheckStatus { Passed, Failed, Skipped };

struct InvoiceCheck {
    QString id;      // "line:3", "lines_sum", "totals", "tax", "amount_due"
    CheckStatus status = CheckStatus::Skipped;
    QString message; // for the user, with the numbers involved
};

struct InvoiceValidation {
    std::vector<InvoiceCheck> checks; // in the order listed above

    int count(CheckStatus status) const;
    const InvoiceCheck* find(const QString& id) const; // nullptr if not run
};

// `lineItems` may be null (an invoice without a line table); then only the totals are checked.
InvoiceValidation validateInvoice(std::vector<Field>& fields, Table* lineItems);

} // namespace folio::extract
