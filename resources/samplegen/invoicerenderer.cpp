#include "invoicerenderer.h"

#include "gridtable.h"
#include "pagecanvas.h"
#include "pdfdocument.h"
#include "truthwriter.h"

#include <QDir>
#include <QFontMetricsF>
#include <QPen>

#include <algorithm>
#include <cstdlib>

namespace folio::samplegen {

namespace {

constexpr qreal kMargin = 50;
constexpr qreal kRowHeight = 16;
constexpr qreal kTableTopFirst = 272; // below the buyer block
constexpr qreal kTableTopContinued = 112; // below the slim header of later pages
constexpr qreal kFooterHeight = 100; // reserved at the bottom of every page
constexpr qreal kTotalsHeight = 170; // tax breakdown, totals, terms, thanks
const QColor kGrey(0x55, 0x55, 0x55);

const QStringList kLineItemColumns = { QStringLiteral("description"), QStringLiteral("quantity"),
    QStringLiteral("unit"), QStringLiteral("unit_price"), QStringLiteral("tax_rate"), QStringLiteral("amount") };

QString withoutSpaces(QString s)
{
    return s.remove(u' ');
}

TruthTable& tableNamed(TruthDocument& truth, const QString& name, const QStringList& columns, int page)
{
    for (TruthTable& t : truth.tables)
        if (t.name == name)
            return t;
    truth.tables.push_back({ name, page, columns, {} });
    return truth.tables.back();
}

GridTable lineItemTable(const Invoice& inv, const FontSet& fonts, qreal width)
{
    const InvoiceLabels& l = inv.labels;
    const qreal fixed = 24 + 44 + 44 + 66 + 46 + 72;
    return GridTable(
        { { l.position, 24, Qt::AlignRight }, { l.description, width - fixed, Qt::AlignLeft },
            { l.quantity, 44, Qt::AlignRight }, { l.unit, 44, Qt::AlignLeft }, { l.unitPrice, 66, Qt::AlignRight },
            { l.taxRate, 46, Qt::AlignRight }, { l.amount, 72, Qt::AlignRight } },
        fonts.latin(8, true), fonts.latin(8.5), kRowHeight, inv.accent);
}

} // namespace

InvoiceRenderer::InvoiceRenderer(const Invoice& invoice, const FontSet& fonts)
    : m_invoice(invoice)
    , m_fonts(fonts)
{
    // Plan the pages the way they will be painted: rows while they fit above the footer, then
    // the totals block, on a new page if it no longer fits.
    const qreal bottom = pageSizePt().height() - kFooterHeight;
    PagePlan page;
    const qreal header = lineItemTable(invoice, fonts, pageSizePt().width() - 2 * kMargin).headerHeight();
    qreal y = kTableTopFirst + header;
    for (std::size_t i = 0; i < invoice.items.size(); ++i) {
        if (y + kRowHeight > bottom) {
            page.endItem = i;
            m_pages.push_back(page);
            page = PagePlan { i, i, false };
            y = kTableTopContinued + header;
        }
        y += kRowHeight;
    }
    page.endItem = invoice.items.size();
    if (y + kTotalsHeight > bottom) {
        m_pages.push_back(page);
        page = PagePlan { page.endItem, page.endItem, false };
    }
    page.totals = true;
    m_pages.push_back(page);
}

QSizeF InvoiceRenderer::pageSizePt() const
{
    return QPageSize(m_invoice.pageSize).size(QPageSize::Point);
}

TruthDocument InvoiceRenderer::emptyTruth(const QString& file) const
{
    TruthDocument truth;
    truth.file = file;
    truth.kind = QStringLiteral("invoice");
    truth.pagesPt.assign(m_pages.size(), pageSizePt());
    return truth;
}

void InvoiceRenderer::paintLogo(PageCanvas& canvas, QRectF box) const
{
    QPainter& p = canvas.painter();
    p.setPen(Qt::NoPen);
    p.setBrush(m_invoice.accent);
    p.drawRoundedRect(box, 6, 6);
    p.setBrush(Qt::NoBrush);
    // Initials of the first two words of the seller's name.
    const QStringList words = m_invoice.seller.name.split(u' ');
    QString initials;
    for (qsizetype i = 0; i < words.size() && initials.size() < 2; ++i)
        initials += words[i].front().toUpper();
    const QFont font = m_fonts.latin(box.height() * 0.38, true);
    const QFontMetricsF metrics(font, p.device());
    canvas.text(initials, font,
        QPointF(box.center().x(), box.center().y() + (metrics.ascent() - metrics.descent()) / 2), Qt::AlignHCenter,
        Qt::white);
}

qreal InvoiceRenderer::paintFirstHeader(PageCanvas& canvas, TruthDocument& truth) const
{
    const Invoice& inv = m_invoice;
    const InvoiceLabels& l = inv.labels;
    const qreal right = canvas.size().width() - kMargin;
    auto field = [&truth](const char* name, TruthValue v) { truth.fields.push_back({ QString::fromLatin1(name), v }); };

    // Seller: logo, name, address, VAT id.
    paintLogo(canvas, QRectF(kMargin, 40, 46, 46));
    const qreal sx = kMargin + 58;
    field("seller_name", canvas.value(inv.seller.name, inv.seller.name, m_fonts.latin(13, true), QPointF(sx, 54)));
    const QFont small = m_fonts.latin(8.5);
    field("seller_address",
        canvas.value(
            inv.seller.addressLines, inv.seller.addressLines.join(QStringLiteral(", ")), small, QPointF(sx, 68), 11));
    if (!inv.seller.vatId.isEmpty()) {
        const QString label = l.vatId + u' ';
        canvas.text(label, small, QPointF(sx, 104), Qt::AlignLeft, kGrey);
        field("seller_vat_id",
            canvas.value(inv.seller.vatId, withoutSpaces(inv.seller.vatId), small,
                QPointF(sx + canvas.advance(label, small), 104)));
    }

    // Title and the invoice's own data, right-aligned.
    canvas.text(l.title, m_fonts.latin(22, true), QPointF(right, 60), Qt::AlignRight, inv.accent);
    const QFont labelFont = m_fonts.latin(8.5);
    const QFont valueFont = m_fonts.latin(8.5, true);
    const qreal labelX = right - 205;
    qreal y = 86;
    auto infoRow = [&](const QString& label, const char* name, const QString& value, const QString& normalized) {
        canvas.text(label, labelFont, QPointF(labelX, y), Qt::AlignLeft, kGrey);
        field(name, canvas.value(value, normalized, valueFont, QPointF(right, y), Qt::AlignRight));
        y += 14;
    };
    infoRow(l.invoiceNumber, "invoice_number", inv.number, inv.number);
    infoRow(l.issueDate, "issue_date", inv.format.date(inv.issueDate), canonicalDate(inv.issueDate));
    infoRow(l.dueDate, "due_date", inv.format.date(inv.dueDate), canonicalDate(inv.dueDate));
    infoRow(l.purchaseOrder, "purchase_order", inv.purchaseOrder, inv.purchaseOrder);
    infoRow(l.currency, "currency", inv.currency, inv.currency);

    QPainter& p = canvas.painter();
    p.setPen(QPen(inv.accent, 1.2));
    p.drawLine(QPointF(kMargin, 164), QPointF(right, 164));

    // Buyer block.
    canvas.text(l.billTo, m_fonts.latin(8), QPointF(kMargin, 184), Qt::AlignLeft, kGrey);
    field("buyer_name", canvas.value(inv.buyer.name, inv.buyer.name, m_fonts.latin(10.5, true), QPointF(kMargin, 200)));
    const QFont body = m_fonts.latin(9.5);
    field("buyer_address",
        canvas.value(inv.buyer.addressLines, inv.buyer.addressLines.join(QStringLiteral(", ")), body,
            QPointF(kMargin, 214), 12));
    if (!inv.buyer.vatId.isEmpty()) {
        const QString label = l.vatId + u' ';
        canvas.text(label, small, QPointF(kMargin, 252), Qt::AlignLeft, kGrey);
        field("buyer_vat_id",
            canvas.value(inv.buyer.vatId, withoutSpaces(inv.buyer.vatId), small,
                QPointF(kMargin + canvas.advance(label, small), 252)));
    }
    return kTableTopFirst;
}

qreal InvoiceRenderer::paintContinuedHeader(PageCanvas& canvas) const
{
    const Invoice& inv = m_invoice;
    const qreal right = canvas.size().width() - kMargin;
    paintLogo(canvas, QRectF(kMargin, 40, 30, 30));
    canvas.text(inv.seller.name, m_fonts.latin(11, true), QPointF(kMargin + 40, 60));
    canvas.text(inv.labels.title + u' ' + inv.number + QStringLiteral(" (") + inv.labels.continued + u')',
        m_fonts.latin(10, true), QPointF(right, 60), Qt::AlignRight, inv.accent);
    QPainter& p = canvas.painter();
    p.setPen(QPen(inv.accent, 1.2));
    p.drawLine(QPointF(kMargin, 84), QPointF(right, 84));
    return kTableTopContinued;
}

Result<void> InvoiceRenderer::paintTotals(PageCanvas& canvas, qreal top, TruthDocument& truth) const
{
    const Invoice& inv = m_invoice;
    const InvoiceLabels& l = inv.labels;
    const LocaleFormat& f = inv.format;
    const qreal right = canvas.size().width() - kMargin;
    auto field = [&truth](const char* name, TruthValue v) { truth.fields.push_back({ QString::fromLatin1(name), v }); };

    // Tax breakdown, left.
    canvas.text(l.taxBreakdown, m_fonts.latin(8.5, true), QPointF(kMargin, top + 10));
    const GridTable breakdown(
        { { l.taxRate, 54, Qt::AlignRight }, { l.taxBase, 84, Qt::AlignRight }, { l.taxLine, 84, Qt::AlignRight } },
        m_fonts.latin(8, true), m_fonts.latin(8.5), kRowHeight, inv.accent);
    TruthTable& table = tableNamed(truth, QStringLiteral("tax_breakdown"),
        { QStringLiteral("tax_rate"), QStringLiteral("net"), QStringLiteral("tax") }, canvas.pageNumber());
    qreal y = breakdown.drawHeader(canvas, QPointF(kMargin, top + 16));
    for (const TaxGroup& g : inv.taxGroups()) {
        auto row = breakdown.drawRow(canvas, QPointF(kMargin, y),
            { { f.rate(g.rateBasisPoints), canonicalRate(g.rateBasisPoints) },
                { f.amount(g.baseCents), canonicalAmount(g.baseCents) },
                { f.amount(g.taxCents), canonicalAmount(g.taxCents) } },
            false);
        if (!row)
            return Error { row.error() };
        table.rows.push_back(std::move(*row));
        y += kRowHeight;
    }

    // Totals, right.
    const qreal labelX = right - 215;
    const QString suffix = inv.currencySymbol.isEmpty() ? QStringLiteral(" (") + inv.currency + u')' : QString();
    auto money = [&](qint64 cents) {
        const QString sign = cents < 0 ? QStringLiteral("-") : QString();
        return sign + inv.currencySymbol + f.amount(std::abs(cents));
    };
    const QFont regular = m_fonts.latin(9.5);
    const QFont bold = m_fonts.latin(10, true);
    qreal ty = top + 12;
    auto totalRow = [&](const QString& label, const char* name, qint64 cents, const QFont& font, const QColor& color) {
        canvas.text(label, font, QPointF(labelX, ty), Qt::AlignLeft, color);
        TruthValue v
            = canvas.value(money(cents), canonicalAmount(cents), font, QPointF(right, ty), Qt::AlignRight, color);
        if (name)
            field(name, v);
        ty += 17;
    };
    totalRow(l.netTotal, "net_total", inv.netCents(), regular, Qt::black);
    totalRow(l.taxLine, "tax_total", inv.taxCents(), regular, Qt::black);
    QPainter& p = canvas.painter();
    p.setPen(QPen(Qt::black, 0.8));
    p.drawLine(QPointF(labelX, ty - 11), QPointF(right, ty - 11));
    ty += 2;
    totalRow(l.grandTotal + suffix, "grand_total", inv.grandCents(), bold, Qt::black);
    if (inv.prepaidCents != 0)
        totalRow(l.prepaid, nullptr, -inv.prepaidCents, regular, Qt::black);
    p.fillRect(QRectF(labelX - 6, ty - 14, right - labelX + 12, 20), QColor(0xee, 0xee, 0xee));
    totalRow(l.amountDue + suffix, "amount_due", inv.amountDueCents(), bold, inv.accent);

    // Terms and thanks, below both.
    const qreal by = std::max(y, ty) + 26;
    const QFont body = m_fonts.latin(9);
    const QString label = l.paymentTerms + QStringLiteral(": ");
    canvas.text(label, m_fonts.latin(9, true), QPointF(kMargin, by));
    field("payment_terms",
        canvas.value(inv.paymentTerms, inv.paymentTerms, body,
            QPointF(kMargin + canvas.advance(label, m_fonts.latin(9, true)), by)));
    canvas.text(l.thanks, body, QPointF(kMargin, by + 16), Qt::AlignLeft, kGrey);
    return {};
}

void InvoiceRenderer::paintFooter(PageCanvas& canvas, int index, TruthDocument& truth) const
{
    const Invoice& inv = m_invoice;
    const QSizeF size = canvas.size();
    const qreal right = size.width() - kMargin;
    const qreal top = size.height() - kFooterHeight + 20;
    QPainter& p = canvas.painter();
    p.setPen(QPen(inv.accent, 0.8));
    p.drawLine(QPointF(kMargin, top), QPointF(right, top));

    // Bank line: label, bank, then IBAN and BIC as separate runs so each value has its own box.
    const QFont label = m_fonts.latin(7.5, true);
    const QFont text = m_fonts.latin(7.5);
    qreal x = kMargin;
    const qreal y = top + 14;
    auto run = [&](const QString& s, const QFont& font) {
        const QRectF r = canvas.text(s, font, QPointF(x, y), Qt::AlignLeft, kGrey);
        x += canvas.advance(s, font);
        return r;
    };
    run(inv.labels.bank + QStringLiteral(": "), label);
    run(inv.bankName, text);
    if (!inv.iban.isEmpty()) {
        run(QStringLiteral("  ·  IBAN "), label);
        const QRectF iban = run(inv.iban, text);
        run(QStringLiteral("  ·  BIC "), label);
        const QRectF bic = run(inv.bic, text);
        if (index == 0) {
            truth.fields.push_back({ QStringLiteral("iban"), { inv.iban, withoutSpaces(inv.iban), 1, iban } });
            truth.fields.push_back({ QStringLiteral("bic"), { inv.bic, inv.bic, 1, bic } });
        }
    }
    canvas.lines(inv.footerLines, text, QPointF(kMargin, y + 12), 10, Qt::AlignLeft, kGrey);
    canvas.text(inv.labels.page + u' ' + QString::number(index + 1) + u' ' + inv.labels.of + u' '
            + QString::number(pageCount()),
        text, QPointF(right, size.height() - 24), Qt::AlignRight, kGrey);
}

Result<void> InvoiceRenderer::paintPage(QPainter& painter, int index, TruthDocument& truth) const
{
    PageCanvas canvas(painter, index + 1, pageSizePt());
    const PagePlan& plan = m_pages.at(static_cast<std::size_t>(index));
    qreal y = index == 0 ? paintFirstHeader(canvas, truth) : paintContinuedHeader(canvas);

    if (plan.endItem > plan.firstItem) {
        const GridTable table = lineItemTable(m_invoice, m_fonts, canvas.size().width() - 2 * kMargin);
        TruthTable& items = tableNamed(truth, QStringLiteral("line_items"), kLineItemColumns, canvas.pageNumber());
        y = table.drawHeader(canvas, QPointF(kMargin, y));
        const LocaleFormat& f = m_invoice.format;
        for (std::size_t i = plan.firstItem; i < plan.endItem; ++i) {
            const LineItem& item = m_invoice.items[i];
            auto cells = table.drawRow(canvas, QPointF(kMargin, y),
                { { QString::number(i + 1), QString::number(i + 1) }, { item.description, item.description },
                    { f.quantity(item.quantityMilli), canonicalQuantity(item.quantityMilli) }, { item.unit, item.unit },
                    { f.amount(item.unitPriceCents), canonicalAmount(item.unitPriceCents) },
                    { f.rate(item.taxRateBasisPoints), canonicalRate(item.taxRateBasisPoints) },
                    { f.amount(item.amountCents()), canonicalAmount(item.amountCents()) } },
                i % 2 == 1);
            if (!cells)
                return Error { cells.error() };
            cells->erase(cells->begin()); // the position number is not a canonical column
            items.rows.push_back(std::move(*cells));
            y += kRowHeight;
        }
    }
    if (plan.totals)
        if (auto totals = paintTotals(canvas, y + 14, truth); !totals)
            return totals;
    paintFooter(canvas, index, truth);
    return {};
}

Result<void> writeInvoiceSample(const Invoice& invoice, const FontSet& fonts, const QString& dir)
{
    const InvoiceRenderer renderer(invoice, fonts);
    const QString pdfName = invoice.fileStem + QStringLiteral(".pdf");
    TruthDocument truth = renderer.emptyTruth(pdfName);
    const QDir out(dir);
    if (auto written = writePdf(out.filePath(pdfName), invoice.pdfTitle, QPageSize(invoice.pageSize),
            QPageLayout::Portrait, renderer.pageCount(),
            [&](QPainter& painter, int index) { return renderer.paintPage(painter, index, truth); });
        !written)
        return written;
    return writeTruth(truth, out.filePath(invoice.fileStem + QStringLiteral(".truth.json")));
}

} // namespace folio::samplegen
