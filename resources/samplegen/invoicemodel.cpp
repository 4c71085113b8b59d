#include "invoicemodel.h"

#include "prng.h"

#include <algorithm>
#include <map>

namespace folio::samplegen {

qint64 roundedDivide(qint64 value, qint64 divisor)
{
    const qint64 half = divisor / 2;
    return value >= 0 ? (value + half) / divisor : -((-value + half) / divisor);
}

qint64 LineItem::amountCents() const
{
    return roundedDivide(quantityMilli * unitPriceCents, 1000);
}

std::vector<TaxGroup> Invoice::taxGroups() const
{
    std::map<int, qint64, std::greater<>> bases;
    for (const LineItem& item : items)
        bases[item.taxRateBasisPoints] += item.amountCents();
    std::vector<TaxGroup> groups;
    for (const auto& [rate, base] : bases)
        groups.push_back({ rate, base, roundedDivide(base * rate, 10000) });
    return groups;
}

qint64 Invoice::netCents() const
{
    qint64 sum = 0;
    for (const LineItem& item : items)
        sum += item.amountCents();
    return sum;
}

qint64 Invoice::taxCents() const
{
    qint64 sum = 0;
    for (const TaxGroup& group : taxGroups())
        sum += group.taxCents;
    return sum;
}

qint64 Invoice::grandCents() const
{
    return netCents() + taxCents();
}

qint64 Invoice::amountDueCents() const
{
    return grandCents() - prepaidCents;
}

namespace {

// One kind of article a seller sells; the PRNG picks quantity and price within its limits.
struct Article {
    const char* description;
    const char* unit;
    int taxRateBasisPoints;
    qint64 minPriceCents;
    qint64 maxPriceCents;
    int maxQuantity;
    bool fractional; // hours and kilograms come in quarters
};

// Draws `count` line items from `catalogue` in catalogue order (no article twice).
std::vector<LineItem> drawItems(const std::vector<Article>& catalogue, std::size_t count, std::uint64_t seed)
{
    Prng prng(seed);
    std::vector<std::size_t> picked(catalogue.size());
    for (std::size_t i = 0; i < picked.size(); ++i)
        picked[i] = i;
    // Fisher–Yates with our own PRNG, then keep the first `count` in catalogue order.
    for (std::size_t i = picked.size() - 1; i > 0; --i)
        std::swap(picked[i], picked[static_cast<std::size_t>(prng.range(0, static_cast<std::int64_t>(i)))]);
    picked.resize(std::min(count, picked.size()));
    std::sort(picked.begin(), picked.end());

    std::vector<LineItem> items;
    for (std::size_t index : picked) {
        const Article& a = catalogue[index];
        LineItem item;
        item.description = QString::fromUtf8(a.description);
        item.unit = QString::fromUtf8(a.unit);
        item.taxRateBasisPoints = a.taxRateBasisPoints;
        // Prices end in 0, 5 or 9 cents, as price lists do.
        const qint64 tens = prng.range(a.minPriceCents / 10, a.maxPriceCents / 10);
        const qint64 endings[] = { 0, 5, 9 };
        item.unitPriceCents = tens * 10 + endings[prng.range(0, 2)];
        item.quantityMilli
            = a.fractional ? prng.range(2, 4 * a.maxQuantity) * 250 : prng.range(1, a.maxQuantity) * 1000;
        items.push_back(item);
    }
    return items;
}

Invoice germanInvoice()
{
    Invoice inv;
    inv.fileStem = QStringLiteral("invoice-de-nordlicht");
    inv.pdfTitle = QStringLiteral("Rechnung RE-2026-00417");
    inv.pageSize = QPageSize::A4;
    inv.accent = QColor(0x1f, 0x4e, 0x79);
    inv.labels = { QStringLiteral("Rechnung"), QStringLiteral("Rechnungsnummer"), QStringLiteral("Rechnungsdatum"),
        QStringLiteral("Fällig am"), QStringLiteral("Ihre Bestellung"), QStringLiteral("Währung"),
        QStringLiteral("Rechnungsempfänger"), QStringLiteral("USt-IdNr."), QStringLiteral("Pos."),
        QStringLiteral("Bezeichnung"), QStringLiteral("Menge"), QStringLiteral("Einheit"),
        QStringLiteral("Einzelpreis"), QStringLiteral("USt."), QStringLiteral("Betrag"), QStringLiteral("Nettobetrag"),
        QStringLiteral("Umsatzsteuer"), QStringLiteral("Gesamtbetrag"), QStringLiteral("Zahlbetrag"),
        QStringLiteral("Zahlungsbedingungen"), QStringLiteral("USt.-Aufstellung"), QStringLiteral("Netto"),
        QStringLiteral("Fortsetzung"), QStringLiteral("Seite"), QStringLiteral("von"), QStringLiteral("Bankverbindung"),
        QStringLiteral("Vielen Dank für Ihren Auftrag!"), QStringLiteral("abzgl. Anzahlung") };
    inv.format = { u',', u'.', QStringLiteral(" %"), DateStyle::Dotted };
    inv.currency = QStringLiteral("EUR");
    inv.number = QStringLiteral("RE-2026-00417");
    inv.issueDate = QDate(2026, 3, 15);
    inv.dueDate = QDate(2026, 4, 14);
    inv.purchaseOrder = QStringLiteral("PO-88213");
    inv.paymentTerms = QStringLiteral("30 Tage netto ohne Abzug");
    inv.seller = { QStringLiteral("Nordlicht Bürotechnik GmbH"),
        { QStringLiteral("Hauptstraße 12"), QStringLiteral("10115 Berlin"), QStringLiteral("Deutschland") },
        QStringLiteral("DE284736915") };
    inv.buyer = { QStringLiteral("Kanzlei Weber & Partner mbB"),
        { QStringLiteral("Lindenallee 7"), QStringLiteral("50667 Köln"), QStringLiteral("Deutschland") },
        QStringLiteral("DE193847562") };
    inv.bankName = QStringLiteral("Berliner Volksbank");
    inv.iban = QStringLiteral("DE89 3704 0044 0532 0130 00");
    inv.bic = QStringLiteral("COBADEFFXXX");
    inv.footerLines
        = { QStringLiteral("Nordlicht Bürotechnik GmbH · Sitz Berlin · Amtsgericht Charlottenburg HRB 204711"),
              QStringLiteral(
                  "Geschäftsführerin: Jana Albers · Tel. +49 30 5550 1234 · buchhaltung@nordlicht-buero.example") };
    const std::vector<Article> catalogue = {
        { "Laserdrucker LX-420 duplex", "Stk.", 1900, 24900, 38900, 2, false },
        { "Tonerkartusche schwarz LX-420", "Stk.", 1900, 6900, 9900, 6, false },
        { "Kopierpapier A4, 80 g, 500 Blatt", "Pck.", 1900, 450, 690, 40, false },
        { "Ordner breit, Karton, blau", "Stk.", 1900, 250, 420, 30, false },
        { "Fachbuch Steuerrecht 2026", "Stk.", 700, 4900, 6900, 3, false },
        { "Fachzeitschrift Büro & Recht, Jahresabo", "Stk.", 700, 11900, 15900, 1, false },
        { "Kaffeebohnen Espresso", "kg", 700, 1890, 2490, 4, true },
        { "Mineralwasser, Kasten 12 × 0,75 l", "Kasten", 700, 590, 890, 10, false },
        { "Installation und Einweisung", "Std.", 1900, 8500, 9800, 3, true },
        { "Schreibtischleuchte LED", "Stk.", 1900, 3900, 7900, 4, false },
    };
    inv.items = drawItems(catalogue, 8, 0x4e4f52444c494348ull);
    return inv;
}

Invoice frenchInvoice()
{
    Invoice inv;
    inv.fileStem = QStringLiteral("invoice-fr-atelier-lumiere");
    inv.pdfTitle = QStringLiteral("Invoice INV-2026-0412");
    inv.pageSize = QPageSize::A4;
    inv.accent = QColor(0x8a, 0x3b, 0x12);
    inv.labels = { QStringLiteral("INVOICE"), QStringLiteral("Invoice no."), QStringLiteral("Invoice date"),
        QStringLiteral("Due date"), QStringLiteral("Purchase order"), QStringLiteral("Currency"),
        QStringLiteral("Bill to"), QStringLiteral("VAT no."), QStringLiteral("#"), QStringLiteral("Description"),
        QStringLiteral("Qty"), QStringLiteral("Unit"), QStringLiteral("Unit price"), QStringLiteral("VAT"),
        QStringLiteral("Amount"), QStringLiteral("Total excl. VAT"), QStringLiteral("Total VAT"),
        QStringLiteral("Total incl. VAT"), QStringLiteral("Amount due"), QStringLiteral("Payment terms"),
        QStringLiteral("VAT summary"), QStringLiteral("Net"), QStringLiteral("continued"), QStringLiteral("Page"),
        QStringLiteral("of"), QStringLiteral("Bank details"), QStringLiteral("Thank you for your business."),
        QStringLiteral("Less advance payment") };
    inv.format = { u'.', u',', QStringLiteral("%"), DateStyle::Iso };
    inv.currency = QStringLiteral("EUR");
    inv.number = QStringLiteral("INV-2026-0412");
    inv.issueDate = QDate(2026, 3, 18);
    inv.dueDate = QDate(2026, 4, 17);
    inv.purchaseOrder = QStringLiteral("BW-PO-5567");
    inv.paymentTerms = QStringLiteral("30 days net, no discount");
    inv.seller = { QStringLiteral("Atelier Lumière SARL"),
        { QStringLiteral("18 rue des Tanneurs"), QStringLiteral("69002 Lyon"), QStringLiteral("France") },
        QStringLiteral("FR32512803477") };
    inv.buyer = { QStringLiteral("Brightwater Hospitality SAS"),
        { QStringLiteral("41 boulevard Haussmann"), QStringLiteral("75009 Paris"), QStringLiteral("France") },
        QStringLiteral("FR61798044215") };
    inv.bankName = QStringLiteral("Crédit Agricole Centre-Est");
    inv.iban = QStringLiteral("FR76 3000 6000 0112 3456 7890 189");
    inv.bic = QStringLiteral("AGRIFRPP");
    inv.footerLines = {
        QStringLiteral("Atelier Lumière SARL · capital 20 000 EUR · RCS Lyon 512 803 477 · SIRET 512 803 477 00021"),
        QStringLiteral("contact@atelier-lumiere.example · +33 4 72 00 15 15")
    };
    const std::vector<Article> catalogue = {
        { "Pendant lamp, brushed brass, 40 cm", "pc", 2000, 18900, 26900, 12, false },
        { "Wall sconce, opal glass", "pc", 2000, 8900, 12900, 24, false },
        { "LED bulb E27 9 W warm white", "pc", 2000, 390, 690, 120, false },
        { "LED strip 2700 K, 5 m roll", "roll", 2000, 2900, 4900, 20, false },
        { "Dimmer switch, rotary", "pc", 2000, 2490, 3990, 30, false },
        { "Floor lamp, linen shade", "pc", 2000, 14900, 21900, 8, false },
        { "Table lamp, ceramic base", "pc", 2000, 7900, 11900, 16, false },
        { "Cable, textile braided, black", "m", 2000, 290, 490, 80, false },
        { "Ceiling rose, porcelain", "pc", 2000, 1490, 2290, 20, false },
        { "Installation, electrician", "h", 2000, 5500, 6500, 24, true },
        { "Lighting design consultation", "h", 2000, 9500, 12000, 8, true },
        { "Transport and delivery, Lyon–Paris", "flat", 2000, 24000, 32000, 1, false },
        { "Spare shades, pleated cotton", "pc", 2000, 2900, 4500, 20, false },
        { "Smart plug, Wi-Fi", "pc", 2000, 1990, 2990, 20, false },
        { "Motion sensor, corridor", "pc", 2000, 3490, 4990, 12, false },
        { "Emergency exit light", "pc", 2000, 6900, 8900, 10, false },
        { "Mounting kit, stainless", "set", 2000, 990, 1590, 30, false },
        { "Photometric survey report", "flat", 2000, 45000, 60000, 1, false },
        { "Book: Light and Space (hardcover)", "pc", 550, 3900, 5500, 10, false },
        { "Guidebook Lyon, FR/EN edition", "pc", 550, 1290, 1890, 40, false },
        { "Welcome pack: apricot jam 250 g", "jar", 550, 490, 690, 60, false },
        { "Welcome pack: Lyon pralines 200 g", "box", 550, 890, 1290, 60, false },
        { "Mineral water, still, 50 cl", "case", 550, 490, 690, 30, false },
        { "Herbal tea assortment, 40 bags", "box", 550, 690, 990, 30, false },
        { "Coffee beans, arabica", "kg", 550, 1990, 2690, 12, true },
        { "Magazine: Hôtellerie Design, 1 year", "sub", 550, 8900, 11900, 2, false },
        { "Hand-blown glass globe, clear", "pc", 2000, 4900, 6900, 24, false },
        { "Track light spot, black", "pc", 2000, 5900, 7900, 30, false },
        { "Track rail 2 m, black", "pc", 2000, 3900, 5500, 12, false },
        { "Warranty extension, 3 years", "flat", 2000, 19000, 26000, 1, false },
        { "Outdoor lantern, IP44", "pc", 2000, 8900, 12900, 8, false },
        { "Recycling of old fixtures", "kg", 2000, 120, 250, 60, true },
    };
    inv.items = drawItems(catalogue, 30, 0x4c554d4945524521ull);
    return inv;
}

Invoice usInvoice()
{
    Invoice inv;
    inv.fileStem = QStringLiteral("invoice-us-cascade");
    inv.pdfTitle = QStringLiteral("Invoice 100382");
    inv.pageSize = QPageSize::Letter;
    inv.accent = QColor(0x0f, 0x6b, 0x5c);
    inv.labels = { QStringLiteral("Invoice"), QStringLiteral("Invoice #"), QStringLiteral("Invoice date"),
        QStringLiteral("Due date"), QStringLiteral("P.O. number"), QStringLiteral("Currency"),
        QStringLiteral("Bill to"), QStringLiteral("Tax ID"), QStringLiteral("#"), QStringLiteral("Description"),
        QStringLiteral("Qty"), QStringLiteral("Unit"), QStringLiteral("Rate"), QStringLiteral("Tax"),
        QStringLiteral("Amount"), QStringLiteral("Subtotal"), QStringLiteral("Sales tax"), QStringLiteral("Total"),
        QStringLiteral("Balance due"), QStringLiteral("Terms"), QStringLiteral("Sales tax summary"),
        QStringLiteral("Taxable"), QStringLiteral("continued"), QStringLiteral("Page"), QStringLiteral("of"),
        QStringLiteral("Remit to"), QStringLiteral("Thank you for your business!"),
        QStringLiteral("Less deposit received") };
    inv.format = { u'.', u',', QStringLiteral("%"), DateStyle::UsLong };
    inv.currency = QStringLiteral("USD");
    inv.currencySymbol = QStringLiteral("$");
    inv.number = QStringLiteral("100382");
    inv.issueDate = QDate(2026, 3, 16);
    inv.dueDate = QDate(2026, 4, 15);
    inv.purchaseOrder = QStringLiteral("HLD-20417");
    inv.paymentTerms = QStringLiteral("Net 30");
    inv.seller = { QStringLiteral("Cascade Print & Supply Co."),
        { QStringLiteral("2200 Westlake Ave N, Suite 310"), QStringLiteral("Seattle, WA 98109"),
            QStringLiteral("USA") },
        QString() };
    inv.buyer = { QStringLiteral("Harbor Lane Dental Group"),
        { QStringLiteral("815 Pine Street"), QStringLiteral("Tacoma, WA 98402"), QStringLiteral("USA") }, QString() };
    inv.bankName = QStringLiteral("Puget Sound Bank · ACH routing 125000024 · account 4401 2297 1830");
    inv.footerLines
        = { QStringLiteral("Cascade Print & Supply Co. · WA UBI 604 118 273 · billing@cascadeprint.example"),
              QStringLiteral("Questions about this invoice? Call (206) 555-0148, Mon–Fri 8 am–5 pm PT.") };
    inv.prepaidCents = 50000;
    const std::vector<Article> catalogue = {
        { "Appointment cards, 2-sided, 1000 ct", "box", 1025, 4900, 6900, 6, false },
        { "Letterhead, 24 lb, 500 sheets", "ream", 1025, 3900, 5900, 10, false },
        { "#10 window envelopes, printed", "box", 1025, 5400, 7900, 8, false },
        { "Patient intake forms, 3-part NCR", "pad", 1025, 1290, 1890, 40, false },
        { "Vinyl window lettering", "sq ft", 1025, 1200, 1800, 30, false },
        { "Retractable banner stand", "ea", 1025, 17900, 24900, 2, false },
        { "Toner, black, high yield", "ea", 1025, 8900, 12900, 6, false },
        { "Copy paper, 8.5 x 11, case", "case", 1025, 4290, 5490, 12, false },
        { "Graphic design services", "hr", 0, 7500, 9500, 10, true },
        { "Delivery, Tacoma zone 3", "trip", 0, 3500, 4500, 2, false },
        { "Prepress file preparation", "hr", 0, 6500, 7500, 4, true },
        { "Recall postcards, 4x6, mailed", "ea", 1025, 45, 75, 900, false },
        { "Lobby poster, 24x36, mounted", "ea", 1025, 6900, 8900, 4, false },
        { "Rush production fee", "flat", 0, 7500, 12500, 1, false },
    };
    inv.items = drawItems(catalogue, 12, 0x4341534341444521ull);
    return inv;
}

} // namespace

std::vector<Invoice> sampleInvoices()
{
    return { germanInvoice(), frenchInvoice(), usInvoice() };
}

} // namespace folio::samplegen
