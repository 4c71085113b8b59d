#pragma once
// ReviewItem: names one thing drawn on a page and listed for review — a text-layer word, an
// extracted text line, a field or a table cell — by its kind and its library row id. The page
// view, the results panel and the undo commands pass these between each other.
// Plain value type, no thread affinity.

#include <QHash>
#include <QtGlobal>

namespace folio::ui {

enum class ReviewKind { Word, Line, Field, Cell };

struct ReviewItem {
    ReviewKind kind = ReviewKind::Field;
    qint64 id = 0; // word: its index on the page; the others: the stored row id

    bool isNull() const { return id == 0 && kind != ReviewKind::Word; }
    // Fields and cells are what a reviewer edits; words and lines are shown only.
    bool editable() const { return kind == ReviewKind::Field || kind == ReviewKind::Cell; }
    friend bool operator==(const ReviewItem&, const ReviewItem&) = default;
};

inline size_t qHash(const ReviewItem& item, size_t seed = 0)
{
    return ::qHash(item.id, seed) ^ size_t(item.kind);
}

} // namespace folio::ui
