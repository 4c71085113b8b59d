#pragma once
// InvoiceRenderer: lays out one Invoice on pages (logo box, seller and buyer blocks, header
// data, ruled line-item table that breaks across pages with a "continued" header, tax breakdown,
// totals, footer with bank details) and records the box of every value it prints into a
// TruthDocument. Paints in PDF points on any 72-DPI device, so the same layout serves the PDF
// and the rasterised scan. Holds references to the invoice and fonts (they must outlive it);
// use on the GUI thread.

#include "fontset.h"
#include "invoicemodel.h"
#include "pagecanvas.h"
#include "truthdocument.h"

#include "inference/result.h"

#include <QPainter>
#include <QSizeF>

#include <vector>

namespace folio::samplegen {

class InvoiceRenderer {
public:
    InvoiceRenderer(const Invoice& invoice, const FontSet& fonts);

    int pageCount() const { return static_cast<int>(m_pages.size()); }
    QSizeF pageSizePt() const;

    // A truth document for `file` with the page sizes and no values yet.
    TruthDocument emptyTruth(const QString& file) const;

    // Paints page `index` (0-based) and appends what it printed to `truth`: header fields on the
    // first page, line-item rows where they fall, totals and tax breakdown on the last page.
    // Fails if a value does not fit its table column.
    Result<void> paintPage(QPainter& painter, int index, TruthDocument& truth) const;

private:
    struct PagePlan {
        std::size_t firstItem = 0;
        std::size_t endItem = 0;
        bool totals = false;
    };

    qreal paintFirstHeader(PageCanvas& canvas, TruthDocument& truth) const;
    qreal paintContinuedHeader(PageCanvas& canvas) const;
    Result<void> paintTotals(PageCanvas& canvas, qreal top, TruthDocument& truth) const;
    void paintFooter(PageCanvas& canvas, int index, TruthDocument& truth) const;
    void paintLogo(PageCanvas& canvas, QRectF box) const;

    const Invoice& m_invoice;
    const FontSet& m_fonts;
    std::vector<PagePlan> m_pages;
};

// Writes <dir>/<fileStem>.pdf and <dir>/<fileStem>.truth.json.
Result<void> writeInvoiceSample(const Invoice& invoice, const FontSet& fonts, const QString& dir);

} // namespace folio::samplegen
