#pragma once
// ReviewQueue: the review policy of one document's results, out of the window so it can be
// tested. It decides the state of every field and table cell (ReviewState) and the order a
// reviewer visits the ones that need review: lowest confidence first, then page, then
// position on the page (top to bottom, left to right), then stored order.
//
// What needs review: a pending value with a flag other than `edited` (a check failed, a date
// is ambiguous, a re-run disagrees...), or a pending value the reviewer did not type whose
// confidence is below the threshold (Settings → "Needs review below"). A value the reviewer
// typed is theirs; accepted and flagged values have been looked at.
// Plain value type over a copy of the results; no thread affinity.

#include "storage/resultrecords.h"
#include "ui/reviewitem.h"

#include <QHash>
#include <QString>

#include <optional>
#include <vector>

namespace folio::ui {

enum class ReviewState { NeedsReview, Pending, Edited, Accepted, Flagged };

// "needs review", "pending", "edited", "accepted", "flagged": what the grid shows.
QString reviewStateText(ReviewState state);

class ReviewQueue {
public:
    static constexpr double kDefaultThreshold = 0.9;

    explicit ReviewQueue(double threshold = kDefaultThreshold) : m_threshold(threshold) {}

    // The policy for one value (reviewStatus is storage's kReview* name).
    static ReviewState stateOf(const QString& reviewStatus, extract::Flags flags, double confidence, double threshold);

    void setResults(const storage::DocumentResults& results);
    void setThreshold(double threshold);
    double threshold() const { return m_threshold; }

    ReviewState state(const ReviewItem& item) const;
    bool needsReview(const ReviewItem& item) const { return state(item) == ReviewState::NeedsReview; }
    // Every field and cell, in review order.
    std::vector<ReviewItem> order() const;
    // The next (previous) item needing review after (before) `current` in review order,
    // wrapping around; from a null or unknown item, the first (last) one. nullopt when none.
    std::optional<ReviewItem> next(const ReviewItem& current) const;
    std::optional<ReviewItem> previous(const ReviewItem& current) const;
    int needingReview() const;
    // Whether any field or cell is still pending (not accepted or flagged): the document
    // then stays "needs_review" in the library.
    bool anyPending() const;

private:
    struct Entry {
        ReviewItem item;
        QString reviewStatus;
        extract::Flags flags;
        double confidence = 1.0;
        int page = 0;
        double top = 0;
        double left = 0;
        int stored = 0; // position in DocumentResults (fields, then tables' cells)
        ReviewState state = ReviewState::Pending;
    };
    void sortAndClassify();
    std::optional<ReviewItem> step(const ReviewItem& current, int direction) const;

    double m_threshold;
    std::vector<Entry> m_entries; // in review order
    QHash<ReviewItem, int> m_index;
};

} // namespace folio::ui
