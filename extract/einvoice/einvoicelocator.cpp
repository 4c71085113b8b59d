#include "extract/einvoice/einvoicelocator.h"

#include "extract/invoicevocabulary.h"

#include <QDate>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace folio::extract {

namespace {

// What a word or a token of a value is compared by: no white space, no punctuation or symbols
// at either end (currency signs, "%", trailing commas, a minus sign), case folded.
QString matchKey(QStringView text)
{
    QString s;
    for (const QChar c : text) {
        if (!c.isSpace())
            s.append(c);
    }
    qsizetype begin = 0;
    qsizetype end = s.size();
    while (begin < end && !s.at(begin).isLetterOrNumber())
        ++begin;
    while (end > begin && !s.at(end - 1).isLetterOrNumber())
        --end;
    return s.mid(begin, end - begin).toCaseFolded();
}

QStringList tokenKeys(const QString& value)
{
    QStringList keys;
    for (const QString& token : value.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        const QString key = matchKey(token);
        if (!key.isEmpty())
            keys << key;
    }
    return keys;
}

struct WordRef {
    int page = 0;
    int index = 0;
};

// A match: consecutive words of one search order, all on one page.
struct Run {
    qsizetype start = 0; // position of the first word in the search order (earlier wins)
    qsizetype end = 0; // one past the last position the run consumed
    std::vector<WordRef> words;
    Box box;
};

class TextLayer {
public:
    explicit TextLayer(const PageWords& pages)
        : m_pages(pages)
    {
        m_keys.resize(pages.size());
        m_used.resize(pages.size());
        for (std::size_t p = 0; p < pages.size(); ++p) {
            for (const ingest::Word& w : pages[p])
                m_keys[p].push_back(matchKey(w.text));
            m_used[p].assign(pages[p].size(), false);
        }
    }

    // Every word of the document in reading order.
    std::vector<WordRef> readingOrder() const
    {
        std::vector<WordRef> order;
        for (std::size_t p = 0; p < m_pages.size(); ++p) {
            for (std::size_t i = 0; i < m_pages[p].size(); ++i)
                order.push_back({ static_cast<int>(p), static_cast<int>(i) });
        }
        return order;
    }

    // The unused words of `page` whose vertical centre lies in the band [y0, y1] (with a little
    // slack for baseline differences), left to right.
    std::vector<WordRef> band(int page, double y0, double y1) const
    {
        const double slack = (y1 - y0) * 0.25;
        std::vector<WordRef> order;
        const auto& words = m_pages[static_cast<std::size_t>(page)];
        for (std::size_t i = 0; i < words.size(); ++i) {
            const double cy = words[i].box.center().y();
            if (cy >= y0 - slack && cy <= y1 + slack && !used({ page, static_cast<int>(i) }))
                order.push_back({ page, static_cast<int>(i) });
        }
        std::stable_sort(order.begin(), order.end(),
            [&](const WordRef& a, const WordRef& b) { return word(a).box.left() < word(b).box.left(); });
        return order;
    }

    // All non-overlapping runs of unused words in `order` that spell `tokens`: each token is
    // one word or several consecutive words (a text layer may split "1 234,50" or an IBAN's
    // groups); words with an empty key ("×", "–") inside a run are skipped.
    std::vector<Run> find(const QStringList& tokens, const std::vector<WordRef>& order) const
    {
        std::vector<Run> runs;
        if (tokens.isEmpty())
            return runs;
        for (qsizetype s = 0; s < static_cast<qsizetype>(order.size()); ++s) {
            if (key(order[s]).isEmpty() || used(order[s]))
                continue;
            if (std::optional<Run> run = matchAt(tokens, order, s)) {
                s = run->end - 1;
                runs.push_back(std::move(*run));
            }
        }
        return runs;
    }

    const QRectF& box(const WordRef& w) const { return word(w).box; }

    void claim(const Run& run)
    {
        for (const WordRef& w : run.words)
            m_used[static_cast<std::size_t>(w.page)][static_cast<std::size_t>(w.index)] = true;
    }

private:
    const ingest::Word& word(const WordRef& w) const
    {
        return m_pages[static_cast<std::size_t>(w.page)][static_cast<std::size_t>(w.index)];
    }
    const QString& key(const WordRef& w) const
    {
        return m_keys[static_cast<std::size_t>(w.page)][static_cast<std::size_t>(w.index)];
    }
    bool used(const WordRef& w) const
    {
        return m_used[static_cast<std::size_t>(w.page)][static_cast<std::size_t>(w.index)];
    }

    std::optional<Run> matchAt(const QStringList& tokens, const std::vector<WordRef>& order, qsizetype s) const
    {
        Run run;
        run.start = s;
        const int page = order[static_cast<std::size_t>(s)].page;
        qsizetype pos = s;
        for (const QString& token : tokens) {
            QString acc;
            while (acc != token) {
                if (pos >= static_cast<qsizetype>(order.size()))
                    return std::nullopt;
                const WordRef& w = order[static_cast<std::size_t>(pos)];
                if (w.page != page || used(w))
                    return std::nullopt;
                const QString& k = key(w);
                if (k.isEmpty() && acc.isEmpty() && !run.words.empty()) {
                    ++pos; // a lone symbol between two tokens
                    continue;
                }
                acc += k;
                if (!token.startsWith(acc))
                    return std::nullopt;
                run.words.push_back(w);
                ++pos;
            }
        }
        run.end = pos;
        for (const WordRef& w : run.words) {
            const QRectF& r = word(w).box;
            run.box = run.box.united(Box { w.page, r.left(), r.top(), r.right(), r.bottom() });
        }
        return run;
    }

    const PageWords& m_pages;
    std::vector<QStringList> m_keys;
    std::vector<std::vector<bool>> m_used;
};

enum class ValueKind { Text, Date, Number, Address };

ValueKind kindOf(const QString& field)
{
    if (field == QLatin1String("issue_date") || field == QLatin1String("due_date"))
        return ValueKind::Date;
    if (field == QLatin1String("net_total") || field == QLatin1String("tax_total")
        || field == QLatin1String("grand_total") || field == QLatin1String("amount_due"))
        return ValueKind::Number;
    if (field == QLatin1String("seller_address") || field == QLatin1String("buyer_address"))
        return ValueKind::Address;
    return ValueKind::Text;
}

QStringList forms(ValueKind kind, const QString& normalized, const QString& value)
{
    switch (kind) {
    case ValueKind::Date:
        return printedDateForms(normalized);
    case ValueKind::Number:
        return printedNumberForms(normalized);
    case ValueKind::Text:
    case ValueKind::Address:
        break;
    }
    QStringList out { normalized };
    if (value != normalized)
        out << value;
    return out;
}

// Every run of any of the forms in `order`, earliest first.
std::vector<Run> findForms(const TextLayer& layer, const QStringList& printed, const std::vector<WordRef>& order)
{
    std::vector<Run> runs;
    for (const QString& form : printed) {
        std::vector<Run> found = layer.find(tokenKeys(form), order);
        runs.insert(runs.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.start < b.start; });
    return runs;
}

std::optional<Run> claimFirst(TextLayer& layer, const QStringList& printed, const std::vector<WordRef>& order)
{
    std::vector<Run> runs = findForms(layer, printed, order);
    if (runs.empty())
        return std::nullopt;
    layer.claim(runs.front());
    return std::move(runs.front());
}

// Invoice totals stand in the right-hand column; the same amount further left is usually a
// tax-breakdown row (one tax rate: group tax = tax total). So of the occurrences, the
// rightmost ones are preferred (within a small tolerance for alignment), then reading order.
std::optional<Run> claimRightmost(TextLayer& layer, const QStringList& printed, const std::vector<WordRef>& order)
{
    constexpr double kAlignmentTolerance = 0.02; // of the page width
    std::vector<Run> runs = findForms(layer, printed, order);
    if (runs.empty())
        return std::nullopt;
    double right = 0;
    for (const Run& r : runs)
        right = std::max(right, r.box.x1);
    const auto it
        = std::find_if(runs.begin(), runs.end(), [&](const Run& r) { return r.box.x1 >= right - kAlignmentTolerance; });
    layer.claim(*it);
    return std::move(*it);
}

// An address is printed as several lines, possibly apart in reading order: each part
// (street, "postcode city", country) is found on its own, the later ones nearest to the part
// before them and no more than a few lines away, and the box covers them all.
Box locateAddress(TextLayer& layer, const QString& normalized, const std::vector<WordRef>& order)
{
    constexpr double kMaxLineGap = 0.05; // of the page height, about four lines of body text
    Box box;
    std::optional<Run> previous;
    for (const QString& part : normalized.split(QStringLiteral(", "), Qt::SkipEmptyParts)) {
        std::vector<Run> runs = findForms(layer, { part }, order);
        if (previous) {
            std::erase_if(runs, [&](const Run& r) {
                return r.box.page != previous->box.page || std::abs(r.box.y0 - previous->box.y0) > kMaxLineGap;
            });
            std::stable_sort(runs.begin(), runs.end(), [&](const Run& a, const Run& b) {
                return std::abs(a.box.y0 - previous->box.y0) < std::abs(b.box.y0 - previous->box.y0);
            });
        }
        if (runs.empty())
            continue;
        layer.claim(runs.front());
        box = box.united(runs.front().box);
        previous = runs.front();
    }
    return box;
}

Cell* cellAt(Table& table, int row, LineItemColumn column)
{
    for (Cell& c : table.cells) {
        if (c.row == row && c.col == static_cast<int>(column))
            return &c;
    }
    return nullptr;
}

// One line item: the description anywhere, then the other cells on its text line — right of
// the description first (the usual layout), left of it when not found there (quantity first).
void locateRow(TextLayer& layer, Table& table, int row, const std::vector<WordRef>& order)
{
    Cell* description = cellAt(table, row, LineItemColumn::Description);
    if (!description || description->normalized.isEmpty())
        return;
    const std::optional<Run> anchor = claimFirst(layer, { description->normalized }, order);
    if (!anchor)
        return;
    description->box = anchor->box;

    const Box& d = anchor->box;
    for (LineItemColumn column : { LineItemColumn::Quantity, LineItemColumn::Unit, LineItemColumn::UnitPrice,
             LineItemColumn::TaxRate, LineItemColumn::Amount }) {
        Cell* cell = cellAt(table, row, column);
        if (!cell || cell->normalized.isEmpty())
            continue;
        const QStringList printed = column == LineItemColumn::Unit ? QStringList { cell->text, cell->normalized }
                                                                   : printedNumberForms(cell->normalized);
        std::vector<WordRef> right = layer.band(d.page, d.y0, d.y1);
        std::vector<WordRef> left;
        std::erase_if(right, [&](const WordRef& w) {
            const bool isLeft = layer.box(w).left() < d.x1;
            if (isLeft)
                left.push_back(w);
            return isLeft;
        });
        std::optional<Run> run = claimFirst(layer, printed, right);
        if (!run)
            run = claimFirst(layer, printed, left);
        if (run)
            cell->box = run->box;
    }
}

QString withoutLeadingZero(const QString& digits)
{
    return digits.startsWith(u'0') ? digits.mid(1) : digits;
}

} // namespace

QStringList printedDateForms(const QString& isoDate)
{
    const QDate date = QDate::fromString(isoDate, Qt::ISODate);
    if (!date.isValid())
        return {};
    static const std::array<const char*, 12> english { "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December" };
    static const std::array<const char*, 12> german { "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
        "August", "September", "Oktober", "November", "Dezember" };
    const QString yyyy = QString::number(date.year());
    const QString mm = QString::number(date.month()).rightJustified(2, u'0');
    const QString dd = QString::number(date.day()).rightJustified(2, u'0');
    const QString m = withoutLeadingZero(mm);
    const QString d = withoutLeadingZero(dd);
    const auto month = static_cast<std::size_t>(date.month() - 1);
    const QString en = QString::fromUtf8(english[month]);
    const QString de = QString::fromUtf8(german[month]);
    QStringList out { dd + u'.' + mm + u'.' + yyyy, d + u'.' + m + u'.' + yyyy, isoDate, dd + u'/' + mm + u'/' + yyyy,
        mm + u'/' + dd + u'/' + yyyy, d + u'/' + m + u'/' + yyyy, m + u'/' + d + u'/' + yyyy,
        dd + u'-' + mm + u'-' + yyyy, yyyy + u'/' + mm + u'/' + dd, en + u' ' + d + QStringLiteral(", ") + yyyy,
        en.left(3) + u' ' + d + QStringLiteral(", ") + yyyy, d + u' ' + en + u' ' + yyyy,
        d + u' ' + en.left(3) + u' ' + yyyy, d + QStringLiteral(". ") + de + u' ' + yyyy,
        yyyy + QStringLiteral("年") + mm + QStringLiteral("月") + dd + QStringLiteral("日"),
        yyyy + QStringLiteral("年") + m + QStringLiteral("月") + d + QStringLiteral("日") };
    out.removeDuplicates();
    return out;
}

QStringList printedNumberForms(const QString& decimal)
{
    QString s = decimal.trimmed();
    if (s.startsWith(u'-') || s.startsWith(u'+'))
        s.remove(0, 1);
    const qsizetype dot = s.indexOf(u'.');
    const QString integer = dot < 0 ? s : s.left(dot);
    const QString fraction = dot < 0 ? QString() : s.mid(dot + 1);
    if (integer.isEmpty())
        return {};

    auto grouped = [&](const QString& separator) {
        QString out;
        for (qsizetype i = 0; i < integer.size(); ++i) {
            if (i > 0 && (integer.size() - i) % 3 == 0)
                out += separator;
            out += integer.at(i);
        }
        return out;
    };
    const std::array<std::pair<QString, QChar>, 7> styles { {
        { QStringLiteral("."), u',' },
        { QStringLiteral(","), u'.' },
        { QString(), u',' },
        { QString(), u'.' },
        { QStringLiteral(" "), u',' },
        { QStringLiteral(" "), u'.' },
        { QStringLiteral("'"), u'.' },
    } };
    QStringList out;
    for (const auto& [separator, point] : styles) {
        const QString whole = grouped(separator);
        if (fraction.isEmpty())
            out << whole << whole + point + QStringLiteral("00");
        else
            out << whole + point + fraction;
    }
    out.removeDuplicates();
    return out;
}

void locateOnPage(EInvoice& invoice, const PageWords& pages)
{
    TextLayer layer(pages);
    const std::vector<WordRef> order = layer.readingOrder();

    // Line items first: their rows pin small numbers to their line, so a total that equals
    // one line's amount is not taken from the table.
    Table& table = invoice.lineItems;
    for (int row = 1; row < table.rows(); ++row)
        locateRow(layer, table, row, order);
    table.box = Box {};
    for (const Cell& c : table.cells) {
        if (c.box.valid() && (!table.box.valid() || c.box.page == table.box.page))
            table.box = table.box.united(c.box);
    }

    for (Field& field : invoice.fields) {
        if (field.normalized.isEmpty())
            continue;
        const ValueKind kind = kindOf(field.name);
        const QStringList printed = forms(kind, field.normalized, field.value);
        std::optional<Run> run;
        if (kind == ValueKind::Address)
            field.box = locateAddress(layer, field.normalized, order);
        else if (kind == ValueKind::Number)
            run = claimRightmost(layer, printed, order);
        else
            run = claimFirst(layer, printed, order);
        if (run)
            field.box = run->box;
    }
}

} // namespace folio::extract
