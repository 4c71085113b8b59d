#pragma once
// TextLine: the searchable text of one text-layer line, built from its words, with the span of
// each word in that text. The Library builds it when it indexes a line and again when it maps
// a search hit back to the words it covers, so both sides must agree: this is the one place
// that decides how words are joined.

#include <QString>

#include <vector>

namespace folio::storage {

class TextLine {
public:
    struct Span {
        qsizetype start = 0; // in UTF-16 code units of text()
        qsizetype length = 0;
    };

    // Joins words with a space, except between two characters of scripts written without
    // spaces (Han, Hiragana, Katakana), so a Chinese or Japanese phrase split into several
    // words by the PDF stays searchable as one string.
    explicit TextLine(const std::vector<QString>& words);

    const QString& text() const { return m_text; }
    // One span per input word, in input order.
    const std::vector<Span>& wordSpans() const { return m_spans; }

private:
    QString m_text;
    std::vector<Span> m_spans;
};

} // namespace folio::storage
