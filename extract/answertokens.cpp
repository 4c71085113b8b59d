#include "extract/answertokens.h"

#include "extract/invoicevocabulary.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

namespace folio::extract {

std::optional<double> AnswerTokens::weakestLogprob(qsizetype begin, qsizetype end) const
{
    if (!known() || begin >= end)
        return std::nullopt;
    std::optional<double> weakest;
    qsizetype start = 0;
    for (size_t t = 0; t < bytes.size() && start < end; ++t) {
        const qsizetype stop = start + bytes[t];
        // A token that wrote nothing (the first part of a split character) belongs to the text
        // at its position: it chose the bytes the next token completes.
        const bool inside = stop > start ? (start < end && stop > begin) : (start >= begin && start < end);
        if (inside)
            weakest = std::min(weakest.value_or(0.0), double(logprobs[t]));
        start = stop;
    }
    return start >= end ? weakest : std::nullopt;
}

void AnswerTokens::writeTo(QJsonObject& runParams) const
{
    QJsonArray lp, b;
    for (float v : logprobs)
        lp.append(double(v));
    for (int v : bytes)
        b.append(v);
    runParams.insert(QStringLiteral("token_logprobs"), lp);
    runParams.insert(QStringLiteral("token_bytes"), b);
}

AnswerTokens AnswerTokens::readFrom(const QJsonObject& runParams)
{
    AnswerTokens t;
    for (const QJsonValue& v : runParams.value(QStringLiteral("token_logprobs")).toArray())
        t.logprobs.push_back(float(v.toDouble()));
    for (const QJsonValue& v : runParams.value(QStringLiteral("token_bytes")).toArray())
        t.bytes.push_back(v.toInt());
    return t;
}

namespace {

    // UTF-8 offset of every UTF-16 position of `text` (a surrogate pair is 4 bytes, 2 each).
    std::vector<qsizetype> utf8Offsets(const QString& text)
    {
        std::vector<qsizetype> at(size_t(text.size()) + 1, 0);
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t c = text[i].unicode();
            at[size_t(i) + 1] = at[size_t(i)] + (c < 0x80 ? 1 : c < 0x800 ? 2 : QChar::isSurrogate(c) ? 2 : 3);
        }
        return at;
    }

    QString jsonEscaped(const QString& value)
    {
        QString s = value;
        s.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        s.replace(QLatin1Char('\n'), QLatin1String("\\n")).replace(QLatin1Char('\t'), QLatin1String("\\t"));
        return s;
    }

    struct Span {
        qsizetype begin = -1, end = -1;
    };

    class Locator {
    public:
        Locator(const QString& raw, const AnswerTokens& tokens)
            : m_raw(raw)
            , m_tokens(tokens)
            , m_bytes(utf8Offsets(raw))
        {
        }

        // The value's span at or after `from`, as written or JSON-escaped.
        Span find(const QString& value, qsizetype from) const
        {
            for (const QString& form : {value, jsonEscaped(value)}) {
                const qsizetype at = m_raw.indexOf(form, from);
                if (at >= 0)
                    return {at, at + form.size()};
            }
            return {};
        }

        // Where `"key"` is first written at or after `from`; the end of the key, or -1.
        qsizetype key(const QString& name, qsizetype from) const
        {
            const QString quoted = QLatin1Char('"') + jsonEscaped(name) + QLatin1Char('"');
            const qsizetype at = m_raw.indexOf(quoted, from);
            return at < 0 ? -1 : at + quoted.size();
        }

        void attach(const QString& value, Span span, ConfidenceEvidence& e) const
        {
            using T = ConfidenceEvidence::Tokens;
            if (value.trimmed().isEmpty())
                return;
            if (!m_tokens.known()) {
                e.tokens = T::NotReported;
                return;
            }
            const auto weakest = span.begin < 0 ? std::nullopt : m_tokens.weakestLogprob(m_bytes[size_t(span.begin)], m_bytes[size_t(span.end)]);
            e.tokens = weakest ? T::Measured : T::NotLocated;
            e.weakestLogprob = weakest.value_or(0.0);
        }

    private:
        const QString& m_raw;
        const AnswerTokens& m_tokens;
        std::vector<qsizetype> m_bytes;
    };

} // namespace

void attachTokenEvidence(PageResult& result, const QString& rawText, const AnswerTokens& tokens)
{
    const Locator locate(rawText, tokens);
    for (Field& f : result.fields) {
        const qsizetype afterKey = locate.key(f.name, 0);
        locate.attach(f.value, locate.find(f.value, std::max<qsizetype>(0, afterKey)), f.evidence);
    }
    qsizetype cursor = 0; // lines and generic table cells: in answer order
    for (TextLine& l : result.lines) {
        const Span s = locate.find(l.text, cursor);
        locate.attach(l.text, s, l.evidence);
        cursor = s.end >= 0 ? s.end : cursor;
    }
    for (Table& t : result.tables) {
        const bool lineItems = t.name == QLatin1String(kLineItemsTable);
        std::map<int, qsizetype> columnCursor; // line items: the last row's key of each column
        for (Cell& c : t.cells) {
            if (c.header && lineItems)
                continue;
            if (lineItems) {
                const QString column = QString(kLineItemColumns[size_t(c.col)]);
                const qsizetype afterKey = locate.key(column, columnCursor[c.col]);
                if (afterKey >= 0)
                    columnCursor[c.col] = afterKey;
                Span s = afterKey < 0 ? Span{} : locate.find(c.text, afterKey);
                // Not past the next row's key of this column: that would be another row's value.
                const qsizetype nextKey = afterKey < 0 ? -1 : locate.key(column, afterKey);
                if (nextKey >= 0 && s.end > nextKey - column.size() - 2)
                    s = Span{};
                locate.attach(c.text, s, c.evidence);
                continue;
            }
            const Span s = locate.find(c.text, cursor);
            locate.attach(c.text, s, c.evidence);
            cursor = s.end >= 0 ? s.end : cursor;
        }
    }
}

} // namespace folio::extract
