#include "extract/textlayercheck.h"

#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

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

    // 1 − edit distance / longer length, on the compacted strings: how alike a value and the
    // words under its box are (one wrong digit in ten: 0.9).
    double similarity(const QString& a, const QString& b)
    {
        const qsizetype n = std::min<qsizetype>(a.size(), 200), m = std::min<qsizetype>(b.size(), 200);
        if (n == 0 || m == 0)
            return 0.0;
        std::vector<int> row(size_t(m) + 1);
        for (qsizetype j = 0; j <= m; ++j)
            row[size_t(j)] = int(j);
        for (qsizetype i = 1; i <= n; ++i) {
            int diagonal = row[0];
            row[0] = int(i);
            for (qsizetype j = 1; j <= m; ++j) {
                const int above = row[size_t(j)];
                row[size_t(j)] = std::min({above + 1, row[size_t(j - 1)] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
                diagonal = above;
            }
        }
        return std::max(0.0, 1.0 - double(row[size_t(m)]) / double(std::max(n, m)));
    }

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

        // Whether words [first, last] include OCR words, and their mean recogniser confidence
        // (1 for text-layer words).
        std::pair<bool, double> reader(int first, int last) const
        {
            bool ocr = false;
            double sum = 0;
            for (int k = first; k <= last; ++k) {
                const ingest::Word& w = m_words[size_t(k)];
                ocr = ocr || w.source == ingest::WordSource::Ocr;
                sum += w.source == ingest::WordSource::Ocr ? std::clamp(w.confidence, 0.0, 1.0) : 1.0;
            }
            return {ocr, sum / double(last - first + 1)};
        }

        // Whether any word on the page is OCR's.
        bool anyOcr() const
        {
            return std::any_of(m_words.begin(), m_words.end(), [](const ingest::Word& w) { return w.source == ingest::WordSource::Ocr; });
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
                    Box& box, ConfidenceEvidence& evidence, Flags& flags, TextLayerCheckStats& stats)
    {
        // Multi-line values (addresses) are printed line by line: match each line, unite.
        const QStringList parts = value.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (parts.isEmpty())
            return;
        ++stats.checked;
        Box found;
        bool overlapsModelBox = false;
        bool ocr = false;
        double readerConfidence = 1.0;
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
            const auto [partOcr, partConfidence] = text.reader(best->first, best->last);
            ocr = ocr || partOcr;
            readerConfidence = std::min(readerConfidence, partConfidence);
        }

        using Page = ConfidenceEvidence::Page;
        if (found.valid()) {
            if (overlapsModelBox || !box.valid()) {
                ++stats.agreed;
                evidence.page = Page::Agreed;
            } else {
                ++stats.moved;
                evidence.page = Page::Moved;
            }
            evidence.pageOcr = ocr;
            evidence.pageScore = readerConfidence;
            // The box is now the printed words' own: an overshoot of the model's box no longer applies.
            flags &= ~(Flags(Flag::NotOnPage) | Flag::OutOfBounds);
            box = found;
            return;
        }
        evidence.pageOcr = text.anyOcr();
        const QString under = box.valid() ? text.textUnder(box) : QString();
        if (!under.isEmpty()) {
            ++stats.mismatched;
            flags |= Flag::TextMismatch;
            evidence.page = Page::Mismatch;
            evidence.pageScore = std::min(0.99, similarity(compact(value), under));
        } else {
            ++stats.notOnPage;
            flags |= Flag::NotOnPage;
            evidence.page = Page::NotOnPage;
            evidence.pageScore = 0;
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
    if (words.empty()) {
        // A scan without OCR: the page's own words are a missing signal, said as such.
        const auto none = [](ConfidenceEvidence& e) { e.page = ConfidenceEvidence::Page::NoWords; };
        for (Field& f : result.fields)
            none(f.evidence);
        for (Table& t : result.tables)
            for (Cell& c : t.cells)
                if (!c.header && !c.text.isEmpty())
                    none(c.evidence);
        for (TextLine& l : result.lines)
            none(l.evidence);
        return stats;
    }
    const PageText text(words, result.page);
    const auto check = [&](const QString& value, const QString& normalized, Box& box, ConfidenceEvidence& evidence, Flags& flags) {
        if (box.valid())
            box.page = result.page;
        bool numeric = false;
        normalized.toDouble(&numeric);
        const ValueKind kind = looksLikeDate(normalized) ? ValueKind::Date : numeric ? ValueKind::Amount : ValueKind::Text;
        checkValue(text, value, normalized, kind, box, evidence, flags, stats);
    };
    for (Field& f : result.fields)
        check(f.value, f.normalized, f.box, f.evidence, f.flags);
    for (Table& t : result.tables)
        for (Cell& c : t.cells)
            if (!c.header && !c.text.isEmpty())
                check(c.text, c.normalized, c.box, c.evidence, c.flags);
    for (TextLine& l : result.lines)
        check(l.text, QString(), l.box, l.evidence, l.flags);
    return stats;
}

} // namespace folio::extract
