#include "extract/invoicevalidator.h"

#include "extract/amountnormalizer.h"
#include "extract/decimal.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

namespace folio::extract {

namespace {

// A value that was read, or why not.
struct Read {
    std::optional<Decimal> value;
    QString problem; // when !value
};

Read readNumber(const QString& normalized, const QString& raw, bool percent)
{
    if (!normalized.isEmpty()) {
        if (auto d = Decimal::parse(normalized))
            return {d, {}};
        return {std::nullopt, QStringLiteral("the normalised value \"%1\" is not a plain decimal").arg(normalized)};
    }
    if (raw.trimmed().isEmpty())
        return {std::nullopt, QStringLiteral("it is empty")};
    const NormalizedValue n = percent ? normalizePercent(raw) : normalizeAmount(raw);
    if (!n.ok())
        return {std::nullopt, n.error};
    return {Decimal::parse(n.value), {}};
}

// Money is compared in whole cents. Amounts have at most 18 digits, so only sums can overflow.
std::optional<std::int64_t> toCents(const Read& r, QString* why)
{
    if (!r.value) {
        *why = r.problem;
        return std::nullopt;
    }
    const auto c = r.value->toUnits(2);
    if (!c)
        *why = QStringLiteral("%1 is too large").arg(r.value->toString());
    return c;
}

std::optional<std::int64_t> checkedAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out))
        return std::nullopt;
    return out;
}

QString money(std::int64_t cents)
{
    return Decimal{cents, 2}.toString(2);
}

struct Line {
    int number = 0; // 1-based
    Cell* quantity = nullptr;
    Cell* unitPrice = nullptr;
    Cell* taxRate = nullptr;
    Cell* amount = nullptr;
};

// Rows of the line table keyed by column name; header rows are not lines.
std::vector<Line> linesOf(Table& table)
{
    int headerRow = -1;
    for (const Cell& c : table.cells) {
        if (c.header)
            headerRow = std::max(headerRow, c.row + c.rowSpan - 1);
    }
    if (headerRow < 0)
        headerRow = 0; // the vocabulary's layout: row 0 names the columns
    std::map<int, QString> columnName;
    for (const Cell& c : table.cells) {
        if (c.row <= headerRow) {
            const QString name = (c.normalized.isEmpty() ? c.text : c.normalized).trimmed().toLower();
            if (!name.isEmpty())
                columnName[c.col] = name;
        }
    }
    std::map<int, Line> byRow;
    for (Cell& c : table.cells) {
        if (c.row <= headerRow || c.header)
            continue;
        const auto it = columnName.find(c.col);
        if (it == columnName.end())
            continue;
        Line& line = byRow[c.row];
        if (it->second == QLatin1String("quantity"))
            line.quantity = &c;
        else if (it->second == QLatin1String("unit_price"))
            line.unitPrice = &c;
        else if (it->second == QLatin1String("tax_rate"))
            line.taxRate = &c;
        else if (it->second == QLatin1String("amount"))
            line.amount = &c;
    }
    std::vector<Line> lines;
    for (auto& [row, line] : byRow) {
        line.number = int(lines.size()) + 1;
        lines.push_back(line);
    }
    return lines;
}

class Validator {
public:
    explicit Validator(std::vector<Field>& fields) : m_fields(fields) {}

    InvoiceValidation run(Table* lineItems)
    {
        std::vector<Line> lines = lineItems ? linesOf(*lineItems) : std::vector<Line>{};
        for (const Line& line : lines)
            checkLine(line);
        checkLinesSum(lines, lineItems != nullptr);
        checkTotals();
        checkTax(lines, lineItems != nullptr);
        checkAmountDue();
        return std::move(m_result);
    }

private:
    Field* field(const char* name)
    {
        for (Field& f : m_fields) {
            if (f.name == QLatin1String(name))
                return &f;
        }
        return nullptr;
    }

    // The field's amount in cents, or a skip reason.
    std::optional<std::int64_t> cents(const char* name, QString* why)
    {
        Field* f = field(name);
        if (!f) {
            *why = QStringLiteral("there is no %1").arg(QLatin1String(name));
            return std::nullopt;
        }
        QString problem;
        const auto c = toCents(readNumber(f->normalized, f->value, false), &problem);
        if (!c)
            *why = QStringLiteral("%1 cannot be read: %2").arg(QLatin1String(name), problem);
        return c;
    }

    void add(const QString& id, CheckStatus status, const QString& message)
    {
        m_result.checks.push_back(InvoiceCheck{id, status, message});
    }

    void fail(const QString& id, const QString& message, Flag flag, const std::vector<Field*>& fields,
        const std::vector<Cell*>& cells)
    {
        add(id, CheckStatus::Failed, message);
        for (Field* f : fields) {
            if (!f)
                continue;
            f->flags |= flag;
            ++f->evidence.checksFailed;
        }
        for (Cell* c : cells) {
            c->flags |= flag;
            ++c->evidence.checksFailed;
        }
    }

    // A passed check is evidence too: the values it involved are consistent with each other.
    void pass(const QString& id, const QString& message, const std::vector<Field*>& fields, const std::vector<Cell*>& cells)
    {
        add(id, CheckStatus::Passed, message);
        for (Field* f : fields)
            if (f)
                ++f->evidence.checksPassed;
        for (Cell* c : cells)
            ++c->evidence.checksPassed;
    }

    void checkLine(const Line& line)
    {
        const QString id = QStringLiteral("line:%1").arg(line.number);
        if (!line.quantity || !line.unitPrice || !line.amount) {
            add(id, CheckStatus::Skipped,
                QStringLiteral("Line %1 has no quantity, unit price or amount to check.").arg(line.number));
            return;
        }
        const Read q = readNumber(line.quantity->normalized, line.quantity->text, false);
        const Read p = readNumber(line.unitPrice->normalized, line.unitPrice->text, false);
        const Read a = readNumber(line.amount->normalized, line.amount->text, false);
        const std::array<std::pair<const Read*, const char*>, 3> reads{
            {{&q, "quantity"}, {&p, "unit price"}, {&a, "amount"}}};
        for (const auto& [read, what] : reads) {
            if (!read->value) {
                add(id, CheckStatus::Skipped,
                    QStringLiteral("Line %1: the %2 cannot be read: %3").arg(line.number).arg(QLatin1String(what),
                        read->problem));
                return;
            }
        }
        const auto product = q.value->times(*p.value);
        // |q × p − amount| <= 0.01, compared in units of 10^-scale of the product.
        const int scale = product ? std::max({product->scale, a.value->scale, 2}) : 0;
        const auto productUnits = product ? product->toUnits(scale) : std::nullopt;
        const auto amountUnits = a.value->toUnits(scale);
        const auto tolerance = Decimal{1, 2}.toUnits(scale);
        if (!productUnits || !amountUnits || !tolerance) {
            add(id, CheckStatus::Skipped, QStringLiteral("Line %1: the numbers are too large to check.").arg(line.number));
            return;
        }
        const std::int64_t diff = *productUnits - *amountUnits;
        const QString shown = QStringLiteral("%1 × %2 = %3").arg(q.value->toString(), p.value->toString(2),
            product->toString(2));
        if (diff > *tolerance || -diff > *tolerance) {
            fail(id,
                QStringLiteral("Line %1: %2, but the line amount is %3.").arg(line.number).arg(shown,
                    a.value->toString(2)),
                Flag::LineMismatch, {}, {line.quantity, line.unitPrice, line.amount});
        } else {
            pass(id, QStringLiteral("Line %1: %2.").arg(line.number).arg(shown), {}, {line.quantity, line.unitPrice, line.amount});
        }
    }

    // The sum of the line amounts in cents, or a skip reason.
    std::optional<std::int64_t> lineSum(const std::vector<Line>& lines, QString* why)
    {
        std::int64_t sum = 0;
        for (const Line& line : lines) {
            if (!line.amount) {
                *why = QStringLiteral("line %1 has no amount").arg(line.number);
                return std::nullopt;
            }
            QString problem;
            const auto c = toCents(readNumber(line.amount->normalized, line.amount->text, false), &problem);
            const auto next = c ? checkedAdd(sum, *c) : std::nullopt;
            if (!next) {
                *why = c ? QStringLiteral("the line amounts are too large to add up")
                         : QStringLiteral("the amount of line %1 cannot be read: %2").arg(line.number).arg(problem);
                return std::nullopt;
            }
            sum = *next;
        }
        return sum;
    }

    void checkLinesSum(const std::vector<Line>& lines, bool haveTable)
    {
        const QString id = QStringLiteral("lines_sum");
        if (!haveTable || lines.empty()) {
            add(id, CheckStatus::Skipped, QStringLiteral("There are no line items to add up."));
            return;
        }
        QString why;
        const auto sum = lineSum(lines, &why);
        const auto net = sum ? cents("net_total", &why) : std::nullopt;
        if (!sum || !net) {
            add(id, CheckStatus::Skipped, QStringLiteral("Line amounts not checked against the net total: %1.").arg(why));
            return;
        }
        std::vector<Cell*> amounts;
        for (const Line& line : lines)
            amounts.push_back(line.amount);
        if (*sum != *net) {
            fail(id,
                QStringLiteral("The line amounts add up to %1, but the net total is %2.").arg(money(*sum), money(*net)),
                Flag::SumMismatch, {field("net_total")}, amounts);
        } else {
            pass(id, QStringLiteral("The line amounts add up to the net total %1.").arg(money(*net)), {field("net_total")}, amounts);
        }
    }

    void checkTotals()
    {
        const QString id = QStringLiteral("totals");
        QString why;
        const auto net = cents("net_total", &why);
        const auto tax = net ? cents("tax_total", &why) : std::nullopt;
        const auto grand = tax ? cents("grand_total", &why) : std::nullopt;
        const auto sum = grand ? checkedAdd(*net, *tax) : std::nullopt;
        if (!sum) {
            add(id, CheckStatus::Skipped,
                QStringLiteral("Totals not checked: %1.").arg(grand ? QStringLiteral("they are too large") : why));
            return;
        }
        if (*sum != *grand) {
            fail(id,
                QStringLiteral("Net %1 + tax %2 = %3, but the grand total is %4.")
                    .arg(money(*net), money(*tax), money(*sum), money(*grand)),
                Flag::TotalMismatch, {field("net_total"), field("tax_total"), field("grand_total")}, {});
        } else {
            pass(id, QStringLiteral("Net %1 + tax %2 = grand total %3.").arg(money(*net), money(*tax), money(*grand)),
                {field("net_total"), field("tax_total"), field("grand_total")}, {});
        }
    }

    void checkTax(const std::vector<Line>& lines, bool haveTable)
    {
        const QString id = QStringLiteral("tax");
        if (!haveTable || lines.empty()) {
            add(id, CheckStatus::Skipped, QStringLiteral("There are no line items with tax rates."));
            return;
        }
        // Base per rate; the rate as written in percent ("19", "7.5").
        struct Group {
            Decimal rate;
            std::int64_t base = 0;
            int lines = 0;
        };
        std::map<QString, Group> groups;
        std::vector<Cell*> rateCells;
        for (const Line& line : lines) {
            if (!line.taxRate || !line.amount) {
                add(id, CheckStatus::Skipped, QStringLiteral("Tax not checked: line %1 has no tax rate.").arg(line.number));
                return;
            }
            const Read r = readNumber(line.taxRate->normalized, line.taxRate->text, true);
            QString problem = r.problem;
            const auto amount = r.value ? toCents(readNumber(line.amount->normalized, line.amount->text, false), &problem)
                                        : std::nullopt;
            Group& g = groups[r.value ? r.value->toString() : QString()];
            const auto base = amount ? checkedAdd(g.base, *amount) : std::nullopt;
            if (!base) {
                add(id, CheckStatus::Skipped,
                    QStringLiteral("Tax not checked: line %1: %2").arg(line.number)
                        .arg(amount ? QStringLiteral("the amounts are too large") : problem));
                return;
            }
            g.rate = *r.value;
            g.base = *base;
            ++g.lines;
            rateCells.push_back(line.taxRate);
        }
        QString why;
        const auto stated = cents("tax_total", &why);
        if (!stated) {
            add(id, CheckStatus::Skipped, QStringLiteral("Tax not checked: %1.").arg(why));
            return;
        }
        std::int64_t expected = 0;
        int lineCount = 0;
        QStringList parts;
        for (const auto& [key, g] : groups) {
            // base × rate / 100 in cents: base · mantissa / (100 · 10^scale).
            std::int64_t num = 0;
            const auto den = Decimal{100, 0}.toUnits(g.rate.scale);
            if (__builtin_mul_overflow(g.base, g.rate.mantissa, &num) || !den) {
                add(id, CheckStatus::Skipped, QStringLiteral("Tax not checked: the numbers are too large."));
                return;
            }
            const std::int64_t groupTax = divideRoundHalfAway(num, *den);
            expected += groupTax;
            lineCount += g.lines;
            parts << QStringLiteral("%1 % of %2 = %3").arg(key, money(g.base), money(groupTax));
        }
        const std::int64_t diff = *stated - expected;
        Field* taxTotal = field("tax_total");
        if (diff > lineCount || -diff > lineCount) {
            fail(id,
                QStringLiteral("Tax should be %1 (%2), but the tax total is %3.")
                    .arg(money(expected), parts.join(QStringLiteral("; ")), money(*stated)),
                Flag::TaxMismatch, {taxTotal}, rateCells);
        } else {
            pass(id, QStringLiteral("Tax total %1 matches %2.").arg(money(*stated), parts.join(QStringLiteral("; "))), {taxTotal}, rateCells);
        }
    }

    void checkAmountDue()
    {
        const QString id = QStringLiteral("amount_due");
        QString why;
        if (!field("amount_due")) {
            add(id, CheckStatus::Skipped, QStringLiteral("There is no amount due."));
            return;
        }
        const auto due = cents("amount_due", &why);
        const auto grand = due ? cents("grand_total", &why) : std::nullopt;
        if (!grand) {
            add(id, CheckStatus::Skipped, QStringLiteral("Amount due not checked: %1.").arg(why));
            return;
        }
        if (*due > *grand) {
            fail(id,
                QStringLiteral("The amount due %1 is more than the grand total %2.").arg(money(*due), money(*grand)),
                Flag::TotalMismatch, {field("amount_due"), field("grand_total")}, {});
        } else {
            pass(id, QStringLiteral("The amount due %1 is within the grand total %2.").arg(money(*due), money(*grand)),
                {field("amount_due"), field("grand_total")}, {});
        }
    }

    std::vector<Field>& m_fields;
    InvoiceValidation m_result;
};

} // namespace

int InvoiceValidation::count(CheckStatus status) const
{
    return int(std::count_if(checks.begin(), checks.end(), [status](const InvoiceCheck& c) { return c.status == status; }));
}

const InvoiceCheck* InvoiceValidation::find(const QString& id) const
{
    for (const InvoiceCheck& c : checks) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

InvoiceValidation validateInvoice(std::vector<Field>& fields, Table* lineItems)
{
    return Validator(fields).run(lineItems);
}

} // namespace folio::extract
