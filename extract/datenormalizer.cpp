#include "extract/datenormalizer.h"

#include <QDate>
#include <QRegularExpression>

#include <array>
#include <optional>
#include <vector>

namespace folio::extract {

namespace {

struct MonthName {
    const char* name; // lower case, without diacritics
    int month;
};

// Full names and the usual abbreviations; any prefix of 3+ letters of a full name also works.
constexpr std::array<MonthName, 103> kMonths{{
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6}, {"july", 7},
    {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12}, // en
    {"januar", 1}, {"jaenner", 1}, {"janner", 1}, {"februar", 2}, {"marz", 3}, {"maerz", 3}, {"mrz", 3},
    {"mai", 5}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12}, {"okt", 10}, {"dez", 12}, // de
    {"janvier", 1}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"juin", 6}, {"juillet", 7}, {"aout", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12}, {"janv", 1}, {"fevr", 2},
    {"avr", 4}, {"juil", 7}, // fr
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
    {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11},
    {"diciembre", 12}, {"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12}, // es
    {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7},
    {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12}, {"gen", 1}, {"mag", 5}, {"giu", 6}, {"lug", 7},
    {"set", 9}, {"ott", 10}, // it
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5}, {"augustus", 8}, {"mrt", 3}, // nl
    {"janeiro", 1}, {"fevereiro", 2}, {"marco", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7},
    {"setembro", 9}, {"outubro", 10}, {"novembro", 11}, {"dezembro", 12}, {"fev", 2}, {"out", 10}, // pt
    {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9},
    {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
}};

// Words that carry no date information: ordinal suffixes, fillers, weekdays.
const QStringList& noiseWords()
{
    static const QStringList words{
        QStringLiteral("st"), QStringLiteral("nd"), QStringLiteral("rd"), QStringLiteral("th"), QStringLiteral("of"),
        QStringLiteral("the"), QStringLiteral("de"), QStringLiteral("del"), QStringLiteral("den"),
        QStringLiteral("der"), QStringLiteral("le"), QStringLiteral("el"), QStringLiteral("er"),
        QStringLiteral("monday"), QStringLiteral("tuesday"), QStringLiteral("wednesday"),
        QStringLiteral("thursday"), QStringLiteral("friday"), QStringLiteral("saturday"), QStringLiteral("sunday"),
        QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("tues"), QStringLiteral("wed"),
        QStringLiteral("thu"), QStringLiteral("thur"), QStringLiteral("thurs"), QStringLiteral("fri"),
        QStringLiteral("sat"), QStringLiteral("sun"), QStringLiteral("montag"), QStringLiteral("dienstag"),
        QStringLiteral("mittwoch"), QStringLiteral("donnerstag"), QStringLiteral("freitag"),
        QStringLiteral("samstag"), QStringLiteral("sonntag"), QStringLiteral("lundi"), QStringLiteral("mardi"),
        QStringLiteral("mercredi"), QStringLiteral("jeudi"), QStringLiteral("vendredi"), QStringLiteral("samedi"),
        QStringLiteral("dimanche"),
    };
    return words;
}

QString foldWord(const QString& word)
{
    QString out;
    for (const QChar c : word.normalized(QString::NormalizationForm_KD)) {
        if (c.category() != QChar::Mark_NonSpacing)
            out += c.toLower();
    }
    // "märz" written as "maerz" is in the table; "märz" folds to "marz", also in the table.
    return out;
}

std::optional<int> monthOf(const QString& folded)
{
    for (const MonthName& m : kMonths) {
        if (folded == QLatin1String(m.name))
            return m.month;
    }
    if (folded.size() < 3)
        return std::nullopt;
    std::optional<int> found;
    for (const MonthName& m : kMonths) {
        if (QLatin1String(m.name).startsWith(folded)) {
            if (found && *found != m.month)
                return std::nullopt; // an ambiguous prefix
            found = m.month;
        }
    }
    return found;
}

struct Number {
    int value;
    int length; // digits as written
};

NormalizedValue failure(const QString& raw, const QString& why)
{
    NormalizedValue v;
    v.flags = Flag::Unparsed;
    v.error = QStringLiteral("\"%1\" is not a date: %2.").arg(raw, why);
    return v;
}

std::optional<int> fullYear(const Number& n)
{
    if (n.length == 4)
        return n.value;
    if (n.length == 2)
        return n.value < 70 ? 2000 + n.value : 1900 + n.value;
    return std::nullopt;
}

} // namespace

NormalizedValue normalizeDate(const QString& raw, DateOrder order)
{
    // NFKC turns full-width digits and letters into ASCII.
    QString s = raw.normalized(QString::NormalizationForm_KC).trimmed();
    if (s.isEmpty())
        return failure(raw, QStringLiteral("it is empty"));

    // A trailing time of day ("15.03.2026 14:30", "2026-03-15T10:00:00Z") is not part of the date.
    static const QRegularExpression time(
        QStringLiteral(R"((?:[T\s,]+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|am|pm|uhr|h)?\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    s.remove(time);

    // CJK dates are year, month, day by construction.
    static const QRegularExpression cjkMarks(QStringLiteral(u"[年月日년월일]"));
    const bool cjk = s.contains(cjkMarks);
    s.replace(cjkMarks, QStringLiteral(" "));

    std::vector<Number> numbers;
    std::optional<int> month;
    bool dots = false;
    for (qsizetype i = 0; i < s.size();) {
        const QChar c = s[i];
        if (c.isDigit()) {
            qsizetype j = i;
            while (j < s.size() && s[j].isDigit())
                ++j;
            if (j - i > 8)
                return failure(raw, QStringLiteral("a number is too long"));
            numbers.push_back(Number{s.mid(i, j - i).toInt(), int(j - i)});
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i;
            while (j < s.size() && s[j].isLetter())
                ++j;
            const QString word = foldWord(s.mid(i, j - i));
            i = j;
            if (noiseWords().contains(word))
                continue;
            const auto m = monthOf(word);
            if (!m)
                return failure(raw, QStringLiteral("\"%1\" is not a month").arg(word));
            if (month)
                return failure(raw, QStringLiteral("it names two months"));
            month = m;
        } else {
            if (c == u'.' && !numbers.empty())
                dots = true;
            ++i;
        }
    }

    int y = 0, m = 0, d = 0;
    Flags flags;
    if (month) {
        if (numbers.size() != 2)
            return failure(raw, numbers.size() < 2 ? QStringLiteral("it lacks a day or year")
                                                   : QStringLiteral("it has too many numbers"));
        // The year is the four-digit one (or > 31); with two short numbers the day comes first,
        // wherever the month name is: "15 Mar 26", "Mar 15, 26".
        Number day = numbers[0], year = numbers[1];
        if (numbers[0].length == 4 || numbers[0].value > 31)
            std::swap(day, year);
        const auto fy = fullYear(year);
        if (!fy)
            return failure(raw, QStringLiteral("the year %1 has neither 2 nor 4 digits").arg(year.value));
        y = *fy;
        m = *month;
        d = day.value;
    } else if (numbers.size() == 1 && numbers[0].length == 8) {
        // 20260315
        const int v = numbers[0].value;
        y = v / 10000;
        m = v / 100 % 100;
        d = v % 100;
    } else if (numbers.size() == 3) {
        const Number a = numbers[0], b = numbers[1], c = numbers[2];
        if (a.length == 4) {
            y = a.value;
            m = b.value;
            d = c.value;
        } else if (cjk) {
            return failure(raw, QStringLiteral("the year must come first"));
        } else {
            const auto fy = fullYear(c);
            if (!fy)
                return failure(raw, QStringLiteral("the year %1 has neither 2 nor 4 digits").arg(c.value));
            y = *fy;
            bool dayFirst = true;
            if (a.value > 12 && b.value <= 12) {
                dayFirst = true;
            } else if (b.value > 12 && a.value <= 12) {
                dayFirst = false;
            } else if (a.value != b.value) {
                // Both could be the month.
                if (order == DateOrder::MonthFirst) {
                    dayFirst = false;
                    flags |= Flag::AmbiguousDate;
                } else if (order == DateOrder::DayFirst || !dots) {
                    flags |= Flag::AmbiguousDate;
                }
            }
            d = dayFirst ? a.value : b.value;
            m = dayFirst ? b.value : a.value;
        }
    } else {
        return failure(raw, QStringLiteral("expected a day, a month and a year"));
    }

    const QDate date(y, m, d);
    if (!date.isValid())
        return failure(raw, QStringLiteral("there is no day %1 in month %2 of %3").arg(d).arg(m).arg(y));
    NormalizedValue v;
    v.value = date.toString(Qt::ISODate);
    v.flags = flags;
    return v;
}

} // namespace folio::extract
