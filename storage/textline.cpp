#include "storage/textline.h"

#include <QChar>

namespace folio::storage {

namespace {

bool writtenWithoutSpaces(char32_t c)
{
    switch (QChar::script(c)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
        return true;
    default:
        return false;
    }
}

char32_t firstCodePoint(const QString& s)
{
    if (s.size() >= 2 && s[0].isHighSurrogate() && s[1].isLowSurrogate())
        return QChar::surrogateToUcs4(s[0], s[1]);
    return s[0].unicode();
}

char32_t lastCodePoint(const QString& s)
{
    const qsizetype n = s.size();
    if (n >= 2 && s[n - 2].isHighSurrogate() && s[n - 1].isLowSurrogate())
        return QChar::surrogateToUcs4(s[n - 2], s[n - 1]);
    return s[n - 1].unicode();
}

} // namespace

TextLine::TextLine(const std::vector<QString>& words)
{
    m_spans.reserve(words.size());
    for (const QString& word : words) {
        // Empty words keep their place (an empty span) but add no separator.
        if (!word.isEmpty() && !m_text.isEmpty()
            && !(writtenWithoutSpaces(lastCodePoint(m_text)) && writtenWithoutSpaces(firstCodePoint(word))))
            m_text += QLatin1Char(' ');
        m_spans.push_back({ m_text.size(), word.size() });
        m_text += word;
    }
}

} // namespace folio::storage
