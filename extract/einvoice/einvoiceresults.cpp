#include "extract/einvoice/einvoiceresults.h"

#include <algorithm>
#include <map>

namespace folio::extract {

std::vector<PageResult> eInvoicePageResults(const EInvoice& invoice)
{
    std::map<int, PageResult> pages;
    pages[0].page = 0;
    const auto pageOf = [](const Box& box) { return box.valid() ? box.page : 0; };
    const auto resultFor = [&](int page) -> PageResult& {
        PageResult& r = pages[page];
        r.page = page;
        return r;
    };
    for (const Field& f : invoice.fields)
        resultFor(pageOf(f.box)).fields.push_back(f);

    std::map<int, Table> parts;
    for (const Cell& c : invoice.lineItems.cells) {
        Table& part = parts[pageOf(c.box)];
        part.name = invoice.lineItems.name;
        part.cells.push_back(c);
        part.box = part.box.united(c.box);
    }
    // A table of nothing but its header row says nothing; the invoice had no lines.
    const bool hasLines = std::any_of(
        invoice.lineItems.cells.begin(), invoice.lineItems.cells.end(), [](const Cell& c) { return !c.header; });
    if (hasLines) {
        for (auto& [page, part] : parts)
            resultFor(page).tables.push_back(std::move(part));
    }

    std::vector<PageResult> out;
    for (auto& [page, result] : pages)
        out.push_back(std::move(result));
    return out;
}

} // namespace folio::extract
