#pragma once
// SearchQuery: what the user typed into a search box, read as literal words.
//
// The text is split on white space into terms; every term must occur in an entry (AND),
// ignoring case, as a plain substring. Nothing the user types is query syntax: quotes, AND /
// OR / NOT, *, -, ^, parentheses and colons are just characters. Terms of 3+ characters are
// matched through the FTS5 trigram index; shorter ones (a 2-character Chinese word such as
// 发票) cannot be, so the Library filters them with a substring test instead.

#include "storage/textline.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace folio::storage {

class SearchQuery {
public:
    explicit SearchQuery(const QString& userText);

    bool isEmpty() const { return m_terms.isEmpty(); }
    // Distinct terms (case-insensitively), in the order typed.
    const QStringList& terms() const { return m_terms; }

    // The terms of 3+ characters as an FTS5 MATCH expression, each a quoted string joined by
    // AND; empty when there are none.
    QString ftsExpression() const;
    // The terms shorter than 3 characters, case-folded (QString::toCaseFolded) for a substring
    // test against case-folded text.
    QStringList foldedShortTerms() const;

    // Where the terms occur in text (case-insensitive), sorted, overlapping ones merged.
    std::vector<TextLine::Span> matches(const QString& text) const;

    // text with the matches marked «like this», cut to about maxChars around the first match
    // ("…" marks a cut). Text without a match is cut from its start.
    QString snippet(const QString& text, qsizetype maxChars = 80) const;

    // Terms shorter than this many characters (Unicode code points) are not in the index.
    static constexpr qsizetype trigramLength = 3;

private:
    QStringList m_terms;
};

} // namespace folio::storage
