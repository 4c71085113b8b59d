#include "chineseinvoice.h"

#include "gridtable.h"
#include "invoicemodel.h"
#include "localeformat.h"
#include "pagecanvas.h"
#include "pdfdocument.h"
#include "truthwriter.h"

#include <QDir>
#include <QPen>

#include <array>

namespace folio::samplegen {

namespace {

const QColor kInk(0x9c, 0x3a, 0x2c); // the brownish red of printed fapiao forms
constexpr qreal kLeft = 30;
constexpr qreal kRowHeight = 17;

struct Item {
    const char* name;
    const char* spec;
    const char* unit;
    qint64 quantityMilli;
    qint64 unitPriceCents;
    int rateBasisPoints;

    qint64 amountCents() const { return roundedDivide(quantityMilli * unitPriceCents, 1000); }
    qint64 taxCents() const { return roundedDivide(amountCents() * rateBasisPoints, 10000); }
};

const std::array<Item, 5> kItems = { {
    { "*计算机外部设备*激光打印机", "LX-420", "台", 2000, 230000, 1300 },
    { "*纸制品*复印纸", "A4 70g", "箱", 10000, 18500, 1300 },
    { "*信息技术服务*软件维护服务", "年度", "项", 1000, 600000, 600 },
    { "*现代服务*技术咨询费", "远程", "次", 3000, 80000, 600 },
    { "*办公用品*文件柜", "四门", "个", 2000, 125000, 1300 },
} };

} // namespace

QString chineseCapitalAmount(qint64 cents)
{
    static const std::array<const char16_t*, 10> digits
        = { u"零", u"壹", u"贰", u"叁", u"肆", u"伍", u"陆", u"柒", u"捌", u"玖" };
    static const std::array<const char16_t*, 4> places = { u"", u"拾", u"佰", u"仟" };
    static const std::array<const char16_t*, 3> groups = { u"", u"万", u"亿" };
    auto digit = [](qint64 d) { return QString::fromUtf16(digits[static_cast<std::size_t>(d)]); };

    const qint64 yuan = cents / 100;
    std::array<qint64, 3> group = { yuan % 10000, yuan / 10000 % 10000, yuan / 100000000 };
    QString out;
    bool zero = false; // a zero was skipped since the last digit written
    for (int g = 2; g >= 0; --g) {
        const qint64 value = group[static_cast<std::size_t>(g)];
        if (value == 0) {
            zero = zero || !out.isEmpty();
            continue;
        }
        qint64 divisor = 1000;
        for (int place = 3; place >= 0; --place, divisor /= 10) {
            const qint64 d = value / divisor % 10;
            if (d == 0) {
                zero = zero || !out.isEmpty();
                continue;
            }
            if (zero)
                out += digit(0);
            zero = false;
            out += digit(d) + QString::fromUtf16(places[static_cast<std::size_t>(place)]);
        }
        out += QString::fromUtf16(groups[static_cast<std::size_t>(g)]);
    }
    if (!out.isEmpty())
        out += QStringLiteral("圆");
    const qint64 jiao = cents / 10 % 10;
    const qint64 fen = cents % 10;
    if (jiao == 0 && fen == 0)
        return (out.isEmpty() ? QStringLiteral("零圆") : out) + QStringLiteral("整");
    if (jiao > 0)
        out += digit(jiao) + QStringLiteral("角");
    else if (!out.isEmpty())
        out += digit(0);
    if (fen > 0)
        out += digit(fen) + QStringLiteral("分");
    return out;
}

Result<void> writeChineseInvoice(const FontSet& fonts, const QString& dir)
{
    const QString stem = QStringLiteral("invoice-cn-mingyuan");
    // An electronic fapiao printed on A4 landscape, the form in the upper part of the sheet.
    const QPageSize pageSize(QPageSize::A4);
    const QSizeF size = pageSize.size(QPageSize::Point).transposed();
    const LocaleFormat format { u'.', QChar(), QStringLiteral("%"), DateStyle::Chinese };
    const QDate issued(2026, 3, 15);

    TruthDocument truth;
    truth.file = stem + QStringLiteral(".pdf");
    truth.kind = QStringLiteral("invoice");
    truth.pagesPt = { size };

    auto paint = [&](QPainter& painter, int) -> Result<void> {
        PageCanvas canvas(painter, 1, size);
        auto field = [&truth](const char* name, TruthValue v) {
            truth.fields.push_back({ QString::fromLatin1(name), v });
        };
        const qreal right = size.width() - kLeft;
        const QFont label = fonts.cjk(9);
        const QFont value = fonts.cjk(9.5);
        QPainter& p = canvas.painter();

        // Title with the form's double rule, number and date top right.
        canvas.text(QStringLiteral("电子发票（增值税专用发票）"), fonts.cjk(15, true),
            QPointF(size.width() / 2 - 20, 50), Qt::AlignHCenter, kInk);
        p.setPen(QPen(kInk, 0.8));
        p.drawLine(QPointF(size.width() / 2 - 135, 58), QPointF(size.width() / 2 + 95, 58));
        p.drawLine(QPointF(size.width() / 2 - 135, 61), QPointF(size.width() / 2 + 95, 61));
        const qreal infoX = right - 160;
        auto labelled = [&](const QString& text, qreal x, qreal y) {
            canvas.text(text, label, QPointF(x, y), Qt::AlignLeft, kInk);
            return x + canvas.advance(text, label);
        };
        const QString number = QStringLiteral("26312000000041735216");
        field("invoice_number",
            canvas.value(number, number, value, QPointF(labelled(QStringLiteral("发票号码："), infoX, 40), 40)));
        field("issue_date",
            canvas.value(format.date(issued), canonicalDate(issued), value,
                QPointF(labelled(QStringLiteral("开票日期："), infoX, 56), 56)));

        // Frame and the buyer/seller band.
        // The frame's height follows its content; its outline is drawn last.
        const QRectF frame(kLeft, 74, size.width() - 2 * kLeft, 0);
        p.setPen(QPen(kInk, 1));
        const qreal bandBottom = frame.top() + 64;
        p.drawLine(QPointF(frame.left(), bandBottom), QPointF(frame.right(), bandBottom));
        const qreal mid = size.width() / 2;
        p.drawLine(QPointF(mid, frame.top()), QPointF(mid, bandBottom));
        struct PartyBlock {
            const char* title;
            qreal x;
            const char* nameField;
            const char* name;
            const char* idField;
            const char* id;
        };
        const PartyBlock parties[] = {
            { "购买方信息", frame.left(), "buyer_name", "杭州青禾文化传媒有限公司", "buyer_vat_id",
                "91330106MA2H3C8L5T" },
            { "销售方信息", mid, "seller_name", "上海明远信息科技有限公司", "seller_vat_id", "91310115MA1K4B7X2Q" },
        };
        for (const PartyBlock& party : parties) {
            p.setPen(QPen(kInk, 1));
            p.drawLine(QPointF(party.x + 20, frame.top()), QPointF(party.x + 20, bandBottom));
            QStringList vertical;
            for (const QChar c : QString::fromUtf8(party.title))
                vertical << QString(c);
            canvas.lines(vertical, fonts.cjk(8), QPointF(party.x + 10, frame.top() + 14), 11.5, Qt::AlignHCenter, kInk);
            const qreal x = party.x + 28;
            const QString name = QString::fromUtf8(party.name);
            const QString id = QString::fromUtf8(party.id);
            field(party.nameField,
                canvas.value(name, name, value,
                    QPointF(labelled(QStringLiteral("名称："), x, frame.top() + 24), frame.top() + 24)));
            field(party.idField,
                canvas.value(id, id, value,
                    QPointF(labelled(QStringLiteral("统一社会信用代码/纳税人识别号："), x, frame.top() + 48),
                        frame.top() + 48)));
        }

        // Items.
        const qreal w = frame.width();
        const GridTable table(
            { { QStringLiteral("项目名称"), w - 440, Qt::AlignLeft }, { QStringLiteral("规格型号"), 62, Qt::AlignLeft },
                { QStringLiteral("单位"), 36, Qt::AlignLeft }, { QStringLiteral("数量"), 44, Qt::AlignRight },
                { QStringLiteral("单价"), 70, Qt::AlignRight }, { QStringLiteral("金额"), 80, Qt::AlignRight },
                { QStringLiteral("税率/征收率"), 70, Qt::AlignRight }, { QStringLiteral("税额"), 78, Qt::AlignRight } },
            fonts.cjk(8.5, true), fonts.cjk(8.5), kRowHeight, kInk);
        truth.tables.push_back({ QStringLiteral("line_items"), 1,
            { QStringLiteral("description"), QStringLiteral("quantity"), QStringLiteral("unit"),
                QStringLiteral("unit_price"), QStringLiteral("tax_rate"), QStringLiteral("amount") },
            {} });
        TruthTable& items = truth.tables.back();
        qreal y = table.drawHeader(canvas, QPointF(frame.left(), bandBottom));
        qint64 net = 0;
        qint64 tax = 0;
        for (const Item& item : kItems) {
            const QString name = QString::fromUtf8(item.name);
            const QString unit = QString::fromUtf8(item.unit);
            const QString spec = QString::fromUtf8(item.spec);
            const auto cells = table.drawRow(canvas, QPointF(frame.left(), y),
                { { name, name }, { spec, spec }, { unit, unit },
                    { format.quantity(item.quantityMilli), canonicalQuantity(item.quantityMilli) },
                    { format.amount(item.unitPriceCents), canonicalAmount(item.unitPriceCents) },
                    { format.amount(item.amountCents()), canonicalAmount(item.amountCents()) },
                    { format.rate(item.rateBasisPoints), canonicalRate(item.rateBasisPoints) },
                    { format.amount(item.taxCents()), canonicalAmount(item.taxCents()) } },
                false);
            if (!cells)
                return Error { cells.error() };
            // Canonical columns: description, quantity, unit, unit_price, tax_rate, amount.
            const std::vector<TruthValue>& c = *cells;
            items.rows.push_back({ c[0], c[3], c[2], c[4], c[6], c[5] });
            net += item.amountCents();
            tax += item.taxCents();
            y += kRowHeight;
        }

        // 合计: the yuan sign drawn on its own so the amounts' boxes hold the figures only.
        const qreal totalsY = y + 14;
        canvas.text(QStringLiteral("合　　计"), label, QPointF(frame.left() + 40, totalsY), Qt::AlignLeft, kInk);
        const qreal amountRight = frame.left() + w - 148 - 4;
        const qreal taxRight = frame.right() - 4;
        auto yuanAmount = [&](const char* name, qint64 cents, qreal rightEdge, qreal baseline, const QFont& font) {
            const QString figures = format.amount(cents);
            const TruthValue v
                = canvas.value(figures, canonicalAmount(cents), font, QPointF(rightEdge, baseline), Qt::AlignRight);
            const TruthValue sign = canvas.value(QStringLiteral("¥"), QStringLiteral("CNY"), font,
                QPointF(rightEdge - canvas.advance(figures, font) - 2, baseline), Qt::AlignRight);
            field(name, v);
            return sign;
        };
        yuanAmount("net_total", net, amountRight, totalsY, value);
        yuanAmount("tax_total", tax, taxRight, totalsY, value);
        const qreal sumBottom = totalsY + 8;
        p.setPen(QPen(kInk, 1));
        p.drawLine(QPointF(frame.left(), sumBottom), QPointF(frame.right(), sumBottom));

        // 价税合计 in words and figures.
        const qreal grandY = sumBottom + 17;
        labelled(QStringLiteral("价税合计（大写）"), frame.left() + 8, grandY);
        canvas.text(chineseCapitalAmount(net + tax), fonts.cjk(10, true), QPointF(frame.left() + 120, grandY));
        labelled(QStringLiteral("（小写）"), frame.right() - 190, grandY);
        const TruthValue currency
            = yuanAmount("grand_total", net + tax, frame.right() - 20, grandY, fonts.cjk(10, true));
        field("currency", currency);
        const qreal grandBottom = grandY + 9;
        p.setPen(QPen(kInk, 1));
        p.drawLine(QPointF(frame.left(), grandBottom), QPointF(frame.right(), grandBottom));

        // 备注 and the issuer.
        QStringList remarks = { QStringLiteral("购方开户银行：招商银行杭州分行营业部　银行账号：571912345610801"),
            QStringLiteral("销方开户银行：中国工商银行上海张江支行　银行账号：1001234509000012345") };
        labelled(QStringLiteral("备注"), frame.left() + 8, grandBottom + 18);
        canvas.lines(remarks, fonts.cjk(8), QPointF(frame.left() + 40, grandBottom + 18), 13);
        const qreal frameBottom = grandBottom + 18 + 13 * remarks.size() + 6;
        p.setPen(QPen(kInk, 1));
        p.drawRect(QRectF(frame.topLeft(), QPointF(frame.right(), frameBottom)));
        labelled(QStringLiteral("开票人：王芳"), kLeft + 8, frameBottom + 22);
        return {};
    };

    const QDir folder(dir);
    if (auto r = writePdf(folder.filePath(truth.file), QStringLiteral("电子发票 26312000000041735216"), pageSize,
            QPageLayout::Landscape, 1, paint);
        !r)
        return r;
    return writeTruth(truth, folder.filePath(stem + QStringLiteral(".truth.json")));
}

} // namespace folio::samplegen
