#pragma once
// SearchQuery: what the user typed into a search box.
//
// Text in double quotes is one phrase ("Harbor Lane": those words side by side, in that
// order); the rest is split on white space into words. Every phrase and word must occur in an
// entry (AND), ignoring case, as a plain substring; entries where all of them stand side by side
// as typed rank first (`Net 30` before "30 days net"). Nothing else is query syntax: AND / OR /
// NOT, *, -, ^, parentheses and colons are just characters; an unpaired quote is a character.
// Terms of 3+ characters are matched through the FTS5 trigram index (a phrase is a trigram
// phrase, i.e. a substring); shorter ones (a 2-character Chinese word such as 发票) cannot be,
// so the Library filters them with a substring test instead.
//
// A query may also carry canonical values (an amount or date the caller read the text as, with
// extract's normalisers: jobs/searchvalues.h); the Library then also finds entries whose
// normalised value is the same, however it is printed.

#include "storage/textline.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace folio::storage {

// An amount or date the query stands for, in the index's canonical form (ValueRecord).
struct SearchValue {
    QString kind;  // "amount" or "date"
    QString value; // "3395.23", "2026-03-15"
};

class SearchQuery {
public:
    explicit SearchQuery(const QString& userText, std::vector<SearchValue> values = {});

    const std::vector<SearchValue>& values() const { return m_values; }
    // The terms side by side as typed, case-folded ("net 30"): what ranks an entry first.
    QString foldedAdjacent() const;
    // Whether `text` has the terms side by side as typed (a phrase hit); always false for a
    // single unquoted word, which is a word hit.
    bool isPhraseHit(const QString& text) const;

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
    bool m_quoted = false; // a phrase was typed in quotes
    std::vector<SearchValue> m_values;
};

} // namespace folio::storage
