#include "extract/textlayercheck.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"

#include <limits>

namespace folio::extract {

namespace {

    QString compact(const QString& s)
    {
        QString out;
        out.reserve(s.size());
        for (const QChar c : s.toCaseFolded())
            if (c.isLetterOrNumber())
                out += c;
        return out;
    }

    Box toBox(const QRectF& r, int page) { return Box{page, r.left(), r.top(), r.right(), r.bottom()}; }

    struct Span {
        int first = 0;
        int last = 0; // inclusive
        Box box;
    };

    // How a value may also match: by its normalised date or amount, not only letter for letter.
    enum class ValueKind { Text, Date, Amount };

    // A date or amount is printed in at most this many words ("15. März 2026", "EUR 1 234,56").
    constexpr int kMaxValueWords = 4;

    class PageText {
    public:
        PageText(const std::vector<ingest::Word>& words, int page)
            : m_words(words)
            , m_page(page)
        {
            for (const ingest::Word& w : words)
                m_compact << compact(w.text);
        }

        // Every run of consecutive words whose letters and digits equal `target`, or (dates and
        // amounts) whose text normalises to `normalized`.
        std::vector<Span> find(const QString& target, const QString& normalized, ValueKind kind) const
        {
            std::vector<Span> spans;
            if (target.isEmpty())
                return spans;
            const int n = int(m_words.size());
            for (int i = 0; i < n; ++i) {
                QString joined;
                Box box;
                for (int j = i; j < n && j < i + 40; ++j) {
                    joined += m_compact[j];
                    box = box.united(toBox(m_words[size_t(j)].box, m_page));
                    const bool exact = joined == target;
                    const bool sameValue = kind != ValueKind::Text && j - i < kMaxValueWords
                        && windowValue(kind, i, j - i + 1) == normalized;
                    if (exact || sameValue) {
                        spans.push_back(Span{i, j, box});
                        break;
                    }
                    if (joined.size() > target.size() + 24)
                        break;
                }
            }
            return spans;
        }

        // The words whose centre lies inside `box` (grown a little: models draw tight boxes).
        QString textUnder(const Box& box) const
        {
            const double gx = 0.25 * box.width(), gy = 0.5 * box.height();
            QString out;
            for (size_t i = 0; i < m_words.size(); ++i) {
                const QPointF c = m_words[i].box.center();
                if (c.x() >= box.x0 - gx && c.x() <= box.x1 + gx && c.y() >= box.y0 - gy && c.y() <= box.y1 + gy)
                    out += m_compact[int(i)];
            }
            return out;
        }

    private:
        // The normalised date or amount of words [first, first + count), computed once per page:
        // every value on the page is compared with the same windows, and normalising is the
        // expensive part (a dense table page has hundreds of cells and words).
        const QString& windowValue(ValueKind kind, int first, int count) const
        {
            std::vector<QString>& cache = kind == ValueKind::Date ? m_dates : m_amounts;
            if (cache.empty()) {
                cache.resize(m_words.size() * kMaxValueWords);
                m_known.assign(2 * cache.size(), false);
            }
            const size_t slot = size_t(first) * kMaxValueWords + size_t(count - 1);
            const size_t known = slot + (kind == ValueKind::Date ? 0 : cache.size());
            if (!m_known[known]) {
                QStringList parts;
                for (int k = first; k < first + count; ++k)
                    parts << m_words[size_t(k)].text;
                const QString raw = parts.join(QLatin1Char(' '));
                cache[slot] = kind == ValueKind::Date ? normalizeDate(raw).value : normalizeAmount(raw).value;
                m_known[known] = true;
            }
            return cache[slot];
        }

        const std::vector<ingest::Word>& m_words;
        int m_page;
        QStringList m_compact;
        mutable std::vector<QString> m_dates;
        mutable std::vector<QString> m_amounts;
        mutable std::vector<bool> m_known;
    };

    double distance(const Box& a, const Box& b)
    {
        const double dx = (a.x0 + a.x1 - b.x0 - b.x1) / 2, dy = (a.y0 + a.y1 - b.y0 - b.y1) / 2;
        return dx * dx + dy * dy;
    }

    // Checks one value against the page and counts the outcome in `stats`.
    void checkValue(const PageText& text, const QString& value, const QString& normalized, ValueKind kind,
                    Box& box, double& confidence, Flags& flags, TextLayerCheckStats& stats)
    {
        // Multi-line values (addresses) are printed line by line: match each line, unite.
        const QStringList parts = value.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (parts.isEmpty())
            return;
        ++stats.checked;
        Box found;
        bool overlapsModelBox = false;
        for (const QString& part : parts) {
            const std::vector<Span> spans = text.find(compact(part), normalized, parts.size() == 1 ? kind : ValueKind::Text);
            if (spans.empty()) {
                found = Box{};
                break;
            }
            // The occurrence closest to where the model pointed.
            const Span* best = &spans.front();
            double bestScore = std::numeric_limits<double>::max();
            for (const Span& s : spans) {
                const double score = box.valid() ? (s.box.intersectionArea(box) > 0 ? -s.box.iou(box) : distance(s.box, box)) : 0;
                if (score < bestScore)
                    bestScore = score, best = &s;
            }
            overlapsModelBox = overlapsModelBox || (box.valid() && best->box.intersectionArea(box) > 0);
            found = found.united(best->box);
        }

        if (found.valid()) {
            if (overlapsModelBox || !box.valid()) {
                ++stats.agreed;
                confidence = std::max(confidence, 0.95);
            } else {
                ++stats.moved;
                confidence = std::max(confidence, 0.85);
            }
            // The box is now the printed words' own: an overshoot of the model's box no longer applies.
            flags &= ~(Flags(Flag::NotOnPage) | Flag::OutOfBounds);
            box = found;
            return;
        }
        if (box.valid() && !text.textUnder(box).isEmpty()) {
            ++stats.mismatched;
            flags |= Flag::TextMismatch;
            confidence *= 0.4;
        } else {
            ++stats.notOnPage;
            flags |= Flag::NotOnPage;
            confidence = std::min(confidence, 0.2);
        }
    }

    bool looksLikeDate(const QString& normalized)
    {
        return normalized.size() == 10 && normalized[4] == QLatin1Char('-') && normalized[7] == QLatin1Char('-');
    }

} // namespace

TextLayerCheckStats checkAgainstTextLayer(PageResult& result, const std::vector<ingest::Word>& words)
{
    TextLayerCheckStats stats;
    if (words.empty())
        return stats;
    const PageText text(words, result.page);
    const auto check = [&](const QString& value, const QString& normalized, Box& box, double& confidence, Flags& flags) {
        if (box.valid())
            box.page = result.page;
        bool numeric = false;
        normalized.toDouble(&numeric);
        const ValueKind kind = looksLikeDate(normalized) ? ValueKind::Date : numeric ? ValueKind::Amount : ValueKind::Text;
        checkValue(text, value, normalized, kind, box, confidence, flags, stats);
    };
    for (Field& f : result.fields)
        check(f.value, f.normalized, f.box, f.confidence, f.flags);
    for (Table& t : result.tables)
        for (Cell& c : t.cells)
            if (!c.header && !c.text.isEmpty())
                check(c.text, c.normalized, c.box, c.confidence, c.flags);
    for (TextLine& l : result.lines)
        check(l.text, QString(), l.box, l.confidence, l.flags);
    return stats;
}

} // namespace folio::extract
