#include "storage/searchquery.h"

#include "storage/records.h"

#include <QHash>

#include <algorithm>

namespace folio::storage {

namespace {

bool isShort(const QString& term)
{
    return term.toUcs4().size() < SearchQuery::trigramLength;
}

// Moves a cut position off the middle of a surrogate pair.
qsizetype onCharBoundary(const QString& s, qsizetype pos)
{
    if (pos > 0 && pos < s.size() && s[pos].isLowSurrogate())
        return pos - 1;
    return pos;
}

} // namespace

SearchQuery::SearchQuery(const QString& userText, std::vector<SearchValue> values)
    : m_values(std::move(values))
{
    QString term;
    const auto flush = [&] {
        if (!term.isEmpty() && !m_terms.contains(term, Qt::CaseInsensitive))
            m_terms << term;
        term.clear();
    };
    // QChar::isSpace covers Unicode spaces too, e.g. the ideographic space U+3000 of CJK input.
    for (qsizetype i = 0; i < userText.size(); ++i) {
        const QChar c = userText[i];
        const qsizetype close = c == u'"' ? userText.indexOf(u'"', i + 1) : -1;
        if (close > i) { // a quoted phrase, its white space made single spaces
            flush();
            term = userText.mid(i + 1, close - i - 1).simplified();
            m_quoted = m_quoted || term.contains(u' ');
            flush();
            i = close;
        } else if (c.isSpace()) {
            flush();
        } else {
            term += c;
        }
    }
    flush();
}

QString SearchQuery::foldedAdjacent() const
{
    return m_terms.join(QLatin1Char(' ')).toCaseFolded();
}

bool SearchQuery::isPhraseHit(const QString& text) const
{
    if (m_terms.size() < 2 && !m_quoted)
        return false;
    return text.simplified().toCaseFolded().contains(foldedAdjacent());
}

QString SearchQuery::ftsExpression() const
{
    QStringList quoted;
    for (const QString& term : m_terms) {
        if (isShort(term))
            continue;
        // An FTS5 string is taken literally apart from its quotes, which are doubled.
        QString escaped = term;
        escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
        quoted << QLatin1Char('"') + escaped + QLatin1Char('"');
    }
    return quoted.join(QLatin1String(" AND "));
}

QStringList SearchQuery::foldedShortTerms() const
{
    QStringList out;
    for (const QString& term : m_terms) {
        if (isShort(term))
            out << term.toCaseFolded();
    }
    return out;
}

std::vector<TextLine::Span> SearchQuery::matches(const QString& text) const
{
    std::vector<TextLine::Span> found;
    for (const QString& term : m_terms) {
        for (qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(term, at + 1, Qt::CaseInsensitive))
            found.push_back({ at, term.size() });
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    std::vector<TextLine::Span> merged;
    for (const auto& span : found) {
        if (!merged.empty() && span.start <= merged.back().start + merged.back().length) {
            auto& last = merged.back();
            last.length = std::max(last.start + last.length, span.start + span.length) - last.start;
        } else {
            merged.push_back(span);
        }
    }
    return merged;
}

QString SearchQuery::snippet(const QString& text, qsizetype maxChars) const
{
    const auto spans = matches(text);
    // Show a little context before the first match, then as much after as fits.
    const qsizetype lead = maxChars / 4;
    qsizetype begin = spans.empty() ? 0 : std::max<qsizetype>(0, spans.front().start - lead);
    qsizetype end = std::min(text.size(), begin + maxChars);
    begin = std::max<qsizetype>(0, std::min(begin, end - maxChars));
    // Never cut through a marked match.
    for (const auto& span : spans) {
        if (span.start < end && span.start + span.length > end)
            end = span.start + span.length;
    }
    begin = onCharBoundary(text, begin);
    end = onCharBoundary(text, end);

    QString out;
    if (begin > 0)
        out += QStringLiteral("…");
    qsizetype pos = begin;
    for (const auto& span : spans) {
        if (span.start < begin || span.start >= end)
            continue;
        out += text.mid(pos, span.start - pos);
        out += QStringLiteral("«") + text.mid(span.start, span.length) + QStringLiteral("»");
        pos = span.start + span.length;
    }
    out += text.mid(pos, end - pos);
    if (end < text.size())
        out += QStringLiteral("…");
    return out;
}

QString SearchHit::label() const
{
    static const QHash<QString, QString> where{
        {QStringLiteral("text_layer"), QStringLiteral("text layer")}, {QStringLiteral("ocr"), QStringLiteral("OCR")},
        {QStringLiteral("ocr_line"), QStringLiteral("extracted line")}, {QStringLiteral("field"), QStringLiteral("extracted value")},
        {QStringLiteral("cell"), QStringLiteral("extracted table cell")}};
    static const QHash<QString, QString> how{
        {QStringLiteral("phrase"), QStringLiteral("phrase")}, {QStringLiteral("words"), QStringLiteral("all words")},
        {QStringLiteral("amount"), QStringLiteral("same amount")}, {QStringLiteral("date"), QStringLiteral("same date")}};
    return where.value(kind, kind) + QStringLiteral(" · ") + how.value(match, match);
}

} // namespace folio::storage
