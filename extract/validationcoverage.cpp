#include "extract/validationcoverage.h"

namespace folio::extract {

QStringList markUnvalidated(const InvoiceValidation& validation, const CoverageGaps& gaps, std::vector<PageResult*>& pages)
{
    QStringList reasons;
    if (!gaps.truncatedPages.isEmpty())
        reasons << QStringLiteral("validation incomplete: page %1 was cut off at the token limit, so its line items may be incomplete")
                       .arg(gaps.truncatedPages.join(QStringLiteral(", ")));
    if (!gaps.missingPages.isEmpty())
        reasons << QStringLiteral("validation incomplete: page %1 of the invoice was not read").arg(gaps.missingPages.join(QStringLiteral(", ")));
    // The arithmetic that every invoice has; tax and amount due are optional on many invoices.
    for (const InvoiceCheck& c : validation.checks)
        if (c.status == CheckStatus::Skipped && (c.id == u"lines_sum" || c.id == u"totals" || c.id.startsWith(QLatin1String("line:"))))
            reasons << QStringLiteral("validation incomplete: %1").arg(c.message);

    std::vector<Field*> totals;
    Field* first = nullptr;
    for (PageResult* page : pages)
        for (Field& f : page->fields) {
            first = first ? first : &f;
            f.flags.setFlag(Flag::Unvalidated, false);
            f.evidence.unvalidated = false;
            if (f.name == u"net_total" || f.name == u"tax_total" || f.name == u"grand_total")
                totals.push_back(&f);
        }
    if (totals.empty() && first)
        totals.push_back(first);
    if (!reasons.isEmpty())
        for (Field* f : totals) {
            f->flags |= Flag::Unvalidated;
            f->evidence.unvalidated = true;
        }
    return reasons;
}

} // namespace folio::extract
