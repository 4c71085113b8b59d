#include "tablesample.h"

#include "gridtable.h"
#include "localeformat.h"
#include "pagecanvas.h"
#include "pdfdocument.h"
#include "prng.h"
#include "truthwriter.h"

#include <QDir>
#include <QPen>

#include <array>

namespace folio::samplegen {

namespace {

constexpr qreal kMargin = 50;
constexpr qreal kRowHeight = 15;
constexpr qreal kFirstTop = 150;
constexpr qreal kContinuedTop = 96;
constexpr qreal kBottomReserve = 70;
constexpr int kRows = 64;
const QColor kAccent(0x3c, 0x4a, 0x5a);

struct Article {
    QString number;
    QString description;
    int pack = 0;
    qint64 priceCents = 0;
    int minOrder = 0;
};

std::vector<Article> articles()
{
    const std::array<const char*, 8> kinds
        = { "Hex bolt DIN 933", "Socket cap screw DIN 912", "Hex nut DIN 934", "Washer DIN 125",
              "Wood screw, countersunk", "Threaded rod DIN 976", "Spring washer DIN 127", "Flange nut DIN 6923" };
    const std::array<const char*, 8> sizes = { "M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20" };
    const std::array<const char*, 3> finishes = { "zinc plated", "A2 stainless", "A4 stainless" };
    const std::array<int, 4> packs = { 50, 100, 200, 500 };
    Prng prng(0x505249434553ull);
    std::vector<Article> out;
    for (int i = 0; i < kRows; ++i) {
        const auto kind = static_cast<std::size_t>(i / 8);
        const auto size = static_cast<std::size_t>(i % 8);
        const auto finish = static_cast<std::size_t>(prng.range(0, 2));
        Article a;
        a.number = QStringLiteral("KF-%1").arg(1100 + i * 7, 4, 10, QChar(u'0'));
        a.description = QString::fromLatin1(kinds[kind]) + u' ' + QString::fromLatin1(sizes[size])
            + QStringLiteral(", ") + QString::fromLatin1(finishes[finish]);
        a.pack = packs[static_cast<std::size_t>(prng.range(0, 3))];
        // Bigger sizes and stainless cost more; prices in cents per pack.
        a.priceCents = (180 + static_cast<qint64>(size) * 140) * (1 + static_cast<qint64>(finish)) * a.pack / 100
            + prng.range(0, 99);
        a.minOrder = static_cast<int>(prng.range(1, 10));
        out.push_back(a);
    }
    return out;
}

} // namespace

Result<void> writeTableSample(const FontSet& fonts, const QString& dir)
{
    const QString stem = QStringLiteral("price-list-kessler");
    const QSizeF pageSize = QPageSize(QPageSize::A4).size(QPageSize::Point);
    const std::vector<Article> rows = articles();
    const LocaleFormat format; // English: 1,234.50
    const GridTable table(
        { { QStringLiteral("Article no."), 62, Qt::AlignLeft }, { QStringLiteral("Description"), 228, Qt::AlignLeft },
            { QStringLiteral("Pack (pcs)"), 55, Qt::AlignRight }, { QStringLiteral("EUR / pack"), 85, Qt::AlignRight },
            { QStringLiteral("Min. packs"), pageSize.width() - 2 * kMargin - 430, Qt::AlignRight } },
        fonts.latin(8, true), fonts.latin(8.5), kRowHeight, kAccent);

    // Rows per page: as many as fit above the bottom reserve.
    const qreal bottom = pageSize.height() - kBottomReserve;
    const auto firstPageRows = static_cast<std::size_t>((bottom - kFirstTop - table.headerHeight()) / kRowHeight);
    const auto laterPageRows = static_cast<std::size_t>((bottom - kContinuedTop - table.headerHeight()) / kRowHeight);
    const auto pageFirstRow = [&](int page) {
        return page == 0 ? std::size_t { 0 } : firstPageRows + static_cast<std::size_t>(page - 1) * laterPageRows;
    };
    int pageCount = 1;
    while (pageFirstRow(pageCount) < rows.size())
        ++pageCount;

    TruthDocument truth;
    truth.file = stem + QStringLiteral(".pdf");
    truth.kind = QStringLiteral("table");
    truth.pagesPt.assign(static_cast<std::size_t>(pageCount), pageSize);
    truth.tables.push_back({ QStringLiteral("price_list"), 1,
        { QStringLiteral("article_no"), QStringLiteral("description"), QStringLiteral("pack"),
            QStringLiteral("unit_price"), QStringLiteral("min_order") },
        {} });
    TruthTable& priceList = truth.tables.back();

    auto paint = [&](QPainter& painter, int index) -> Result<void> {
        PageCanvas canvas(painter, index + 1, pageSize);
        const qreal right = pageSize.width() - kMargin;
        qreal y;
        if (index == 0) {
            canvas.text(QStringLiteral("Kessler Fasteners GmbH"), fonts.latin(16, true), QPointF(kMargin, 62),
                Qt::AlignLeft, kAccent);
            canvas.text(
                QStringLiteral("Industriestraße 40 · 70565 Stuttgart · Germany · sales@kessler-fasteners.example"),
                fonts.latin(8), QPointF(kMargin, 78));
            canvas.text(
                QStringLiteral("Price list 2026 — standard fasteners"), fonts.latin(13, true), QPointF(kMargin, 112));
            canvas.text(
                QStringLiteral("Valid from 2026-01-01 until further notice. Prices in EUR per pack, excl. VAT."),
                fonts.latin(8.5), QPointF(kMargin, 128));
            y = kFirstTop;
        } else {
            canvas.text(QStringLiteral("Price list 2026 — standard fasteners (continued)"), fonts.latin(11, true),
                QPointF(kMargin, 70), Qt::AlignLeft, kAccent);
            y = kContinuedTop;
        }
        y = table.drawHeader(canvas, QPointF(kMargin, y));
        const std::size_t first = pageFirstRow(index);
        const std::size_t end = std::min(pageFirstRow(index + 1), rows.size());
        for (std::size_t i = first; i < end; ++i) {
            const Article& a = rows[i];
            auto cells = table.drawRow(canvas, QPointF(kMargin, y),
                { { a.number, a.number }, { a.description, a.description },
                    { QString::number(a.pack), QString::number(a.pack) },
                    { format.amount(a.priceCents), canonicalAmount(a.priceCents) },
                    { QString::number(a.minOrder), QString::number(a.minOrder) } },
                i % 2 == 1);
            if (!cells)
                return Error { cells.error() };
            priceList.rows.push_back(std::move(*cells));
            y += kRowHeight;
        }
        QPainter& p = canvas.painter();
        p.setPen(QPen(kAccent, 0.8));
        p.drawLine(QPointF(kMargin, pageSize.height() - 48), QPointF(right, pageSize.height() - 48));
        canvas.text(QStringLiteral("Page %1 of %2").arg(index + 1).arg(pageCount), fonts.latin(7.5),
            QPointF(right, pageSize.height() - 34), Qt::AlignRight, Qt::darkGray);
        return {};
    };

    const QDir folder(dir);
    if (auto r = writePdf(folder.filePath(truth.file), QStringLiteral("Kessler Fasteners price list 2026"),
            QPageSize(QPageSize::A4), QPageLayout::Portrait, pageCount, paint);
        !r)
        return r;
    return writeTruth(truth, folder.filePath(stem + QStringLiteral(".truth.json")));
}

} // namespace folio::samplegen
