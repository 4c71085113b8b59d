#pragma once
// The canonical invoice vocabulary: the field names every invoice source (model, e-invoice,
// user) writes, and the columns of the `line_items` table (row 0 is a header row of these
// names, then one row per item). Normalised values: dates YYYY-MM-DD, amounts plain decimals
// with two decimals for money ("1234.50"), currency ISO 4217, tax rates as percent ("19", "7.5").
// Constants only; thread-safe.

#include <QString>

#include <array>

namespace folio::extract {

inline constexpr std::array<QLatin1StringView, 18> kInvoiceFields {
    QLatin1StringView("invoice_number"),
    QLatin1StringView("issue_date"),
    QLatin1StringView("due_date"),
    QLatin1StringView("currency"),
    QLatin1StringView("seller_name"),
    QLatin1StringView("seller_address"),
    QLatin1StringView("seller_vat_id"),
    QLatin1StringView("buyer_name"),
    QLatin1StringView("buyer_address"),
    QLatin1StringView("buyer_vat_id"),
    QLatin1StringView("purchase_order"),
    QLatin1StringView("payment_terms"),
    QLatin1StringView("iban"),
    QLatin1StringView("bic"),
    QLatin1StringView("net_total"),
    QLatin1StringView("tax_total"),
    QLatin1StringView("grand_total"),
    QLatin1StringView("amount_due"),
};

inline constexpr QLatin1StringView kLineItemsTable("line_items");

enum class LineItemColumn { Description, Quantity, Unit, UnitPrice, TaxRate, Amount };

inline constexpr std::array<QLatin1StringView, 6> kLineItemColumns {
    QLatin1StringView("description"),
    QLatin1StringView("quantity"),
    QLatin1StringView("unit"),
    QLatin1StringView("unit_price"),
    QLatin1StringView("tax_rate"),
    QLatin1StringView("amount"),
};

} // namespace folio::extract
