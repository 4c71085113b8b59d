#include "extract/lenientjson.h"

#include "extract/codefence.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace folio::extract {

namespace {

// How a value ended. Partial: a container closed because the text ended inside it (kept).
// Cut: a scalar or key the text ended inside (dropped). Missing: no value starts here.
enum class Status { Ok, Partial, Cut, Missing };

struct Parsed {
    Status status;
    QJsonValue value;
};

// CJK models sometimes write the full-width comma and colon as JSON punctuation.
bool isComma(QChar c)
{
    return c == u',' || c == u'\uFF0C';
}

bool isColon(QChar c)
{
    return c == u':' || c == u'\uFF1A';
}

bool isStructural(QChar c)
{
    return isComma(c) || isColon(c) || c == u'}' || c == u']' || c == u'/';
}

bool isQuote(QChar c)
{
    return c == u'"' || c == u'\'' || c == u'\u201C' || c == u'\u201D' || c == u'\u2018' || c == u'\u2019'
        || c == u'\u201E';
}

bool isKeyChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$' || c == u'-' || c == u'.';
}

class Parser {
public:
    explicit Parser(QStringView text) : m_s(text) {}

    // Parses one top-level object or array starting at `start` (which holds '{' or '[').
    Parsed parseTop(qsizetype start)
    {
        m_i = start;
        return parseValue(0, false);
    }

    qsizetype position() const { return m_i; }
    JsonRepairs repairs() const { return m_repairs; }
    bool tooDeep() const { return m_tooDeep; }

    // Skips whitespace and comments.
    void skipSpace()
    {
        while (m_i < m_s.size()) {
            const QChar c = m_s[m_i];
            if (c.isSpace() || c == u'\uFEFF' || c == u'\u200B') {
                ++m_i;
            } else if (c == u'/' && m_i + 1 < m_s.size() && m_s[m_i + 1] == u'/') {
                m_repairs |= JsonRepair::Comments;
                while (m_i < m_s.size() && m_s[m_i] != u'\n')
                    ++m_i;
            } else if (c == u'/' && m_i + 1 < m_s.size() && m_s[m_i + 1] == u'*') {
                m_repairs |= JsonRepair::Comments;
                const qsizetype end = m_s.indexOf(u"*/", m_i + 2);
                m_i = end < 0 ? m_s.size() : end + 2;
            } else {
                break;
            }
        }
    }

private:
    bool atEnd() const { return m_i >= m_s.size(); }
    QChar peek() const { return m_s[m_i]; }

    Parsed parseValue(int depth, bool inObjectValue)
    {
        skipSpace();
        if (atEnd())
            return {Status::Cut, {}};
        const QChar c = peek();
        if (c == u'{' || c == u'[') {
            if (depth >= kMaxJsonDepth) {
                // Abort the whole parse: every caller unwinds on Cut.
                m_tooDeep = true;
                m_i = m_s.size();
                return {Status::Cut, {}};
            }
            return c == u'{' ? parseObject(depth + 1) : parseArray(depth + 1);
        }
        if (isQuote(c)) {
            QString s;
            if (!parseString(s))
                return {Status::Cut, {}};
            return {Status::Ok, s};
        }
        if (c.isDigit() || c == u'-' || c == u'+' || c == u'.')
            return parseNumber(inObjectValue);
        if (c.isLetter() || c == u'_')
            return parseWord(inObjectValue);
        return {Status::Missing, {}};
    }

    // A closing bracket of the wrong kind closes the innermost container. It is left for an
    // outer container it does match (`opener`), or consumed when there is none.
    void onMismatchedCloser(QChar opener)
    {
        m_repairs |= JsonRepair::MismatchedBrackets;
        for (qsizetype k = qsizetype(m_stack.size()) - 2; k >= 0; --k) {
            if (m_stack[size_t(k)] == opener)
                return;
        }
        ++m_i;
    }

    Parsed parseArray(int depth)
    {
        ++m_i; // '['
        m_stack.push_back(u'[');
        QJsonArray array;
        bool expectValue = true; // after '[' or ','
        bool sawComma = false;
        while (true) {
            skipSpace();
            if (atEnd()) {
                m_stack.pop_back();
                return {Status::Partial, array};
            }
            const QChar c = peek();
            if (c == u']' || c == u'}') {
                if (sawComma && expectValue)
                    m_repairs |= JsonRepair::TrailingComma;
                if (c == u']')
                    ++m_i;
                else
                    onMismatchedCloser(u'{');
                m_stack.pop_back();
                return {Status::Ok, array};
            }
            if (isComma(c)) {
                if (c != u',')
                    m_repairs |= JsonRepair::FullWidthPunctuation;
                if (expectValue)
                    m_repairs |= JsonRepair::ExtraComma;
                ++m_i;
                expectValue = true;
                sawComma = true;
                continue;
            }
            const qsizetype before = m_i;
            Parsed v = parseValue(depth, false);
            switch (v.status) {
            case Status::Ok:
            case Status::Partial:
                if (!expectValue)
                    m_repairs |= JsonRepair::MissingComma;
                array.append(v.value);
                expectValue = false;
                sawComma = false;
                break;
            case Status::Cut:
                m_stack.pop_back();
                return {Status::Partial, array};
            case Status::Missing:
                // Skip at least one character, or the whole token a failed number/word scanned.
                m_repairs |= JsonRepair::SkippedGarbage;
                m_i = std::max(m_i, before + 1);
                break;
            }
        }
    }

    Parsed parseObject(int depth)
    {
        ++m_i; // '{'
        m_stack.push_back(u'{');
        QJsonObject object;
        bool expectMember = true;
        bool sawComma = false;
        const auto finish = [&](Status status) {
            m_stack.pop_back();
            return Parsed{status, object};
        };
        while (true) {
            skipSpace();
            if (atEnd())
                return finish(Status::Partial);
            QChar c = peek();
            if (c == u'}' || c == u']') {
                if (sawComma && expectMember)
                    m_repairs |= JsonRepair::TrailingComma;
                if (c == u'}')
                    ++m_i;
                else
                    onMismatchedCloser(u'[');
                return finish(Status::Ok);
            }
            if (isComma(c)) {
                if (c != u',')
                    m_repairs |= JsonRepair::FullWidthPunctuation;
                if (expectMember)
                    m_repairs |= JsonRepair::ExtraComma;
                ++m_i;
                expectMember = true;
                sawComma = true;
                continue;
            }

            // Key.
            QString key;
            if (isQuote(c)) {
                if (!parseString(key, true))
                    return finish(Status::Partial);
            } else if (isKeyChar(c)) {
                const qsizetype start = m_i;
                while (!atEnd() && isKeyChar(peek()))
                    ++m_i;
                if (atEnd())
                    return finish(Status::Partial);
                key = m_s.mid(start, m_i - start).toString();
                m_repairs |= JsonRepair::UnquotedKeys;
            } else {
                m_repairs |= JsonRepair::SkippedGarbage;
                ++m_i;
                continue;
            }
            if (!expectMember)
                m_repairs |= JsonRepair::MissingComma;
            expectMember = false;
            sawComma = false;

            skipSpace();
            if (atEnd())
                return finish(Status::Partial);
            c = peek();
            if (isColon(c) || c == u'=') {
                if (c == u'\uFF1A')
                    m_repairs |= JsonRepair::FullWidthPunctuation;
                ++m_i;
            } else if (isComma(c) || c == u'}' || c == u']') {
                m_repairs |= JsonRepair::DroppedMembers;
                continue;
            } else {
                m_repairs |= JsonRepair::MissingColon;
            }

            // Value.
            skipSpace();
            if (atEnd())
                return finish(Status::Partial);
            c = peek();
            if (isComma(c) || c == u'}' || c == u']') {
                m_repairs |= JsonRepair::DroppedMembers;
                continue;
            }
            const qsizetype before = m_i;
            Parsed v = parseValue(depth, true);
            switch (v.status) {
            case Status::Ok:
            case Status::Partial:
                object.insert(key, v.value);
                break;
            case Status::Cut:
                return finish(Status::Partial);
            case Status::Missing:
                m_repairs |= JsonRepair::SkippedGarbage | JsonRepair::DroppedMembers;
                m_i = std::max(m_i, before + 1);
                break;
            }
        }
    }

    // Reads a quoted string at m_i into `out`; false when the text ends inside it. A key ends
    // at its first closing quote (keys hold no quotes, and {"a" 1} lacks only a colon).
    bool parseString(QString& out, bool key = false)
    {
        const QChar open = peek();
        ++m_i;
        if (open == u'\'')
            m_repairs |= JsonRepair::SingleQuotes;
        else if (open != u'"')
            m_repairs |= JsonRepair::SmartQuotes;
        const auto closes = [open](QChar c) {
            switch (open.unicode()) {
            case u'"':
                return c == u'"' || c == u'\u201D';
            case u'\'':
                return c == u'\'';
            case u'\u2018':
            case u'\u2019':
                return c == u'\u2019' || c == u'\'';
            default: // “ ” „
                return c == u'\u201D' || c == u'\u201C' || c == u'"';
            }
        };
        while (!atEnd()) {
            const QChar c = peek();
            if (c == u'\\') {
                if (m_i + 1 >= m_s.size())
                    return false;
                readEscape(out);
                continue;
            }
            if (closes(c) && (key || quoteEndsString())) {
                ++m_i;
                return true;
            }
            if (closes(c))
                m_repairs |= JsonRepair::UnescapedQuotes;
            if (c == u'\n' || c == u'\r')
                m_repairs |= JsonRepair::RawNewlines;
            out.append(c);
            ++m_i;
        }
        return false;
    }

    // A closing quote ends the string only where JSON could go on after a string: before
    // , : } ] (or a comment), at the end, or before a line break (a missing comma between
    // lines). Otherwise it is a quote inside the text ("he said "hi"", 'don't').
    bool quoteEndsString() const
    {
        qsizetype j = m_i + 1;
        bool newline = false;
        while (j < m_s.size() && m_s[j].isSpace()) {
            if (m_s[j] == u'\n')
                newline = true;
            ++j;
        }
        return j >= m_s.size() || isStructural(m_s[j]) || newline;
    }

    void readEscape(QString& out)
    {
        const QChar e = m_s[m_i + 1];
        m_i += 2;
        switch (e.unicode()) {
        case u'"':
        case u'\\':
        case u'/':
        case u'\'':
            out.append(e);
            return;
        case u'b':
            out.append(u'\b');
            return;
        case u'f':
            out.append(u'\f');
            return;
        case u'n':
            out.append(u'\n');
            return;
        case u'r':
            out.append(u'\r');
            return;
        case u't':
            out.append(u'\t');
            return;
        case u'u': {
            bool ok = false;
            const ushort unit = m_i + 4 <= m_s.size() ? m_s.mid(m_i, 4).toUShort(&ok, 16) : 0;
            if (ok) {
                // UTF-16 code units go straight in, so a \uD83D\uDE00 pair becomes one character.
                out.append(QChar(unit));
                m_i += 4;
                return;
            }
            break;
        }
        default:
            break;
        }
        m_repairs |= JsonRepair::InvalidEscapes;
        out.append(u'\\');
        out.append(e);
    }

    Parsed parseNumber(bool inObjectValue)
    {
        const qsizetype start = m_i;
        while (!atEnd()) {
            const QChar c = peek();
            if (!(c.isDigit() || c == u'-' || c == u'+' || c == u'.' || c == u'e' || c == u'E'))
                break;
            ++m_i;
        }
        // A number running into the end of the text may have lost digits.
        if (atEnd())
            return {Status::Cut, {}};
        // {"total": 1,234.56}: a comma followed by a digit cannot start a member, so this is a
        // number with grouping; keep it as written for the amount normaliser.
        if (inObjectValue && peek() == u',' && m_i + 1 < m_s.size() && m_s[m_i + 1].isDigit())
            return readBareValue(start);
        bool ok = false;
        const double d = m_s.mid(start, m_i - start).toDouble(&ok);
        if (ok)
            return {Status::Ok, d};
        if (inObjectValue)
            return readBareValue(start);
        return {Status::Missing, {}}; // m_i stays after the token: skipped as a whole
    }

    Parsed parseWord(bool inObjectValue)
    {
        const qsizetype start = m_i;
        while (!atEnd() && (peek().isLetterOrNumber() || peek() == u'_'))
            ++m_i;
        const QStringView word = m_s.mid(start, m_i - start);
        static const std::array<std::pair<const char16_t*, int>, 6> kLiterals{{
            {u"true", 1}, {u"false", 0}, {u"null", -1}, {u"True", 1}, {u"False", 0}, {u"None", -1}}};
        for (size_t k = 0; k < kLiterals.size(); ++k) {
            const QStringView lit(kLiterals[k].first);
            if (word == lit) {
                if (k >= 3)
                    m_repairs |= JsonRepair::PythonLiterals;
                const int v = kLiterals[k].second;
                return {Status::Ok, v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v == 1)};
            }
            if (atEnd() && lit.startsWith(word))
                return {Status::Cut, {}};
        }
        if (inObjectValue)
            return readBareValue(start);
        return {Status::Missing, {}}; // m_i stays after the word: skipped as a whole
    }

    // An unquoted value: everything up to the next , } ] or line end, trimmed, as a string.
    Parsed readBareValue(qsizetype start)
    {
        m_i = start;
        while (!atEnd()) {
            const QChar c = peek();
            if (c == u'}' || c == u']' || c == u'\n' || c == u'\uFF0C')
                break;
            // Keep digit groups together: "1,234.56".
            if (c == u',' && !(m_i + 1 < m_s.size() && m_s[m_i + 1].isDigit() && m_i > start && m_s[m_i - 1].isDigit()))
                break;
            ++m_i;
        }
        if (atEnd())
            return {Status::Cut, {}};
        m_repairs |= JsonRepair::BareValues;
        return {Status::Ok, m_s.mid(start, m_i - start).trimmed().toString()};
    }

    QStringView m_s;
    qsizetype m_i = 0;
    std::vector<QChar> m_stack; // open containers, '[' or '{'
    JsonRepairs m_repairs;
    bool m_tooDeep = false;
};

// A '{' or '[' in prose starts JSON only if what follows looks like JSON ("[1] see above"
// still does; "[sic]" and "{name}" placeholders do not).
bool plausibleStart(QStringView s, qsizetype at)
{
    qsizetype j = at + 1;
    while (j < s.size() && s[j].isSpace())
        ++j;
    if (j >= s.size())
        return true; // cut right after the bracket
    const QChar c = s[j];
    if (c == u'/')
        return true; // a comment
    if (s[at] == u'{') {
        if (c == u'}' || isQuote(c))
            return true;
        // An unquoted key must be followed by a colon.
        while (j < s.size() && isKeyChar(s[j]))
            ++j;
        while (j < s.size() && s[j].isSpace())
            ++j;
        return j < s.size() && isColon(s[j]);
    }
    return c == u']' || c == u'{' || c == u'[' || isQuote(c) || c.isDigit() || c == u'-' || c == u'.'
        || QStringView(u"tfnTFN").contains(c);
}

// Parses the first plausible JSON container in `text`; nullopt when there is none. Sets
// *surrounded when anything but whitespace comes before or after it.
std::optional<LenientJsonResult> parseRegion(const QString& text, bool* surrounded)
{
    for (qsizetype at = 0; at < text.size(); ++at) {
        const QChar c = text[at];
        if ((c != u'{' && c != u'[') || !plausibleStart(text, at))
            continue;
        Parser parser(text);
        const Parsed parsed = parser.parseTop(at);
        LenientJsonResult result;
        if (parser.tooDeep()) {
            result.error = QStringLiteral("The model's JSON is nested deeper than %1 levels.").arg(kMaxJsonDepth);
            return result;
        }
        result.value = parsed.value;
        result.truncated = parsed.status != Status::Ok;
        result.repairs = parser.repairs();
        parser.skipSpace();
        *surrounded = !QStringView(text).left(at).trimmed().isEmpty()
            || (!result.truncated && parser.position() < text.size());
        return result;
    }
    return std::nullopt;
}

} // namespace

QStringList jsonRepairNames(JsonRepairs repairs)
{
    static const std::array<std::pair<JsonRepair, const char*>, 19> kNames{{
        {JsonRepair::Fence, "code fence"},
        {JsonRepair::Prose, "text around the JSON"},
        {JsonRepair::TrailingComma, "trailing comma"},
        {JsonRepair::ExtraComma, "extra comma"},
        {JsonRepair::MissingComma, "missing comma"},
        {JsonRepair::MissingColon, "missing colon"},
        {JsonRepair::SingleQuotes, "single quotes"},
        {JsonRepair::SmartQuotes, "typographic quotes"},
        {JsonRepair::UnquotedKeys, "unquoted keys"},
        {JsonRepair::PythonLiterals, "Python literals"},
        {JsonRepair::Comments, "comments"},
        {JsonRepair::RawNewlines, "line breaks inside strings"},
        {JsonRepair::UnescapedQuotes, "unescaped quotes inside strings"},
        {JsonRepair::InvalidEscapes, "invalid escapes"},
        {JsonRepair::MismatchedBrackets, "mismatched brackets"},
        {JsonRepair::BareValues, "unquoted values"},
        {JsonRepair::SkippedGarbage, "skipped stray characters"},
        {JsonRepair::DroppedMembers, "keys without values"},
        {JsonRepair::FullWidthPunctuation, "full-width commas or colons"},
    }};
    QStringList names;
    for (const auto& [r, name] : kNames) {
        if (repairs.testFlag(r))
            names << QString::fromLatin1(name);
    }
    return names;
}

LenientJsonResult parseLenientJson(const QString& modelText)
{
    // The first fenced block that holds JSON wins; fences labelled otherwise (```python) are
    // skipped unless their content is plainly JSON.
    const std::vector<CodeFence> fences = findCodeFences(modelText);
    const QString trimmedText = modelText.trimmed();
    for (const CodeFence& fence : fences) {
        const QString trimmed = fence.content.trimmed();
        const bool jsonish = trimmed.startsWith(u'{') || trimmed.startsWith(u'[');
        if (!(fence.label.isEmpty() || fence.label.startsWith(QLatin1String("json"), Qt::CaseInsensitive) || jsonish))
            continue;
        bool surrounded = false;
        std::optional<LenientJsonResult> r = parseRegion(fence.content, &surrounded);
        if (!r)
            continue;
        if (r->ok()) {
            r->repairs |= JsonRepair::Fence;
            const bool outside = fences.size() > 1 || !trimmedText.startsWith(QLatin1String("```"))
                || (fence.closed && !trimmedText.endsWith(QLatin1String("```")));
            if (surrounded || outside)
                r->repairs |= JsonRepair::Prose;
        }
        return *r;
    }
    bool surrounded = false;
    std::optional<LenientJsonResult> r = parseRegion(modelText, &surrounded);
    if (!r) {
        LenientJsonResult none;
        none.error = QStringLiteral("The model output contains no JSON object or array.");
        return none;
    }
    if (r->ok() && surrounded)
        r->repairs |= JsonRepair::Prose;
    return *r;
}

} // namespace folio::extract
