#include "ui/jobs/searchvalues.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace folio::jobs {

namespace {

    // A date or amount is printed in at most this many words ("15. März 2026", "EUR 3 395,23").
    constexpr size_t kMaxValueWords = 4;

    bool hasDigit(const QString& s)
    {
        return std::any_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
    }

} // namespace

std::vector<storage::SearchValue> readSearchValues(const QString& text)
{
    std::vector<storage::SearchValue> out;
    if (!hasDigit(text))
        return out;
    // A date first: 15.03.2026 must not become the amount 15.03.
    const extract::NormalizedValue date = extract::normalizeDate(text);
    if (date.ok()) {
        out.push_back({QStringLiteral("date"), date.value});
        if (date.flags.testFlag(extract::Flag::AmbiguousDate)) {
            const extract::NormalizedValue other = extract::normalizeDate(text, extract::DateOrder::MonthFirst);
            if (other.ok() && other.value != date.value)
                out.push_back({QStringLiteral("date"), other.value});
        }
        return out;
    }
    const extract::NormalizedValue amount = extract::normalizeAmount(text);
    if (amount.ok())
        out.push_back({QStringLiteral("amount"), amount.value});
    return out;
}

std::vector<storage::ValueRecord> pageValues(const std::vector<storage::WordRecord>& words)
{
    std::vector<storage::ValueRecord> out;
    std::set<std::tuple<int, QString, QString>> seen; // line, kind, value
    for (size_t i = 0; i < words.size(); ++i) {
        QString text;
        QRectF box;
        bool digit = false;
        for (size_t j = i; j < words.size() && j < i + kMaxValueWords && words[j].lineIndex == words[i].lineIndex; ++j) {
            text += (j > i ? QStringLiteral(" ") : QString()) + words[j].text;
            box = box.united(words[j].box.normalized());
            digit = digit || hasDigit(words[j].text);
            if (!digit)
                continue;
            for (const storage::SearchValue& v : readSearchValues(text))
                if (seen.insert({words[i].lineIndex, v.kind, v.value}).second)
                    out.push_back(storage::ValueRecord{v.kind, v.value, text, box, words[i].lineIndex, words[i].ocr});
        }
    }
    return out;
}

storage::SearchQuery searchQuery(const QString& userText)
{
    QString text = userText;
    text.remove(QLatin1Char('"'));
    return storage::SearchQuery(userText, readSearchValues(text.simplified()));
}

} // namespace folio::jobs
