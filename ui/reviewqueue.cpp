#include "ui/reviewqueue.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace folio::ui {

QString reviewStateText(ReviewState state)
{
    switch (state) {
    case ReviewState::NeedsReview:
        return QStringLiteral("needs review");
    case ReviewState::Pending:
        return QStringLiteral("pending");
    case ReviewState::Edited:
        return QStringLiteral("edited");
    case ReviewState::Accepted:
        return QStringLiteral("accepted");
    case ReviewState::Flagged:
        return QStringLiteral("flagged");
    }
    return {};
}

ReviewState ReviewQueue::stateOf(const QString& reviewStatus, extract::Flags flags, double confidence, double threshold)
{
    if (reviewStatus == storage::kReviewAccepted)
        return ReviewState::Accepted;
    if (reviewStatus == storage::kReviewFlagged)
        return ReviewState::Flagged;
    if (flags & ~extract::Flags(extract::Flag::Edited))
        return ReviewState::NeedsReview;
    if (flags.testFlag(extract::Flag::Edited))
        return ReviewState::Edited; // the reviewer typed it: its confidence is the model's, not theirs
    return confidence < threshold ? ReviewState::NeedsReview : ReviewState::Pending;
}

void ReviewQueue::setResults(const storage::DocumentResults& results)
{
    m_entries.clear();
    const auto add = [this](const ReviewItem& item, const QString& status, extract::Flags flags, double confidence,
                            int page, const extract::Box& box) {
        Entry e;
        e.item = item;
        e.reviewStatus = status;
        e.flags = flags;
        e.confidence = confidence;
        e.page = box.valid() ? box.page : page;
        // A value without a box comes after the boxed ones of its page.
        e.top = box.valid() ? box.y0 : std::numeric_limits<double>::infinity();
        e.left = box.valid() ? box.x0 : 0;
        e.stored = int(m_entries.size());
        m_entries.push_back(e);
    };
    for (const storage::StoredField& f : results.fields)
        add({ReviewKind::Field, f.id}, f.reviewStatus, f.field.flags, f.field.confidence, f.page, f.field.box);
    for (const storage::StoredTable& t : results.tables) {
        for (size_t i = 0; i < t.table.cells.size(); ++i) {
            const extract::Cell& c = t.table.cells[i];
            add({ReviewKind::Cell, t.cellIds[i]}, t.cellReviewStatus[i], c.flags, c.confidence, t.page, c.box);
        }
    }
    sortAndClassify();
}

void ReviewQueue::setThreshold(double threshold)
{
    m_threshold = threshold;
    sortAndClassify();
}

void ReviewQueue::sortAndClassify()
{
    std::sort(m_entries.begin(), m_entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.confidence, a.page, a.top, a.left, a.stored) < std::tie(b.confidence, b.page, b.top, b.left, b.stored);
    });
    m_index.clear();
    for (size_t i = 0; i < m_entries.size(); ++i) {
        Entry& e = m_entries[i];
        e.state = stateOf(e.reviewStatus, e.flags, e.confidence, m_threshold);
        m_index.insert(e.item, int(i));
    }
}

ReviewState ReviewQueue::state(const ReviewItem& item) const
{
    const auto it = m_index.constFind(item);
    return it == m_index.constEnd() ? ReviewState::Pending : m_entries[size_t(*it)].state;
}

std::vector<ReviewItem> ReviewQueue::order() const
{
    std::vector<ReviewItem> out;
    out.reserve(m_entries.size());
    for (const Entry& e : m_entries)
        out.push_back(e.item);
    return out;
}

std::optional<ReviewItem> ReviewQueue::step(const ReviewItem& current, int direction) const
{
    const int n = int(m_entries.size());
    if (n == 0)
        return std::nullopt;
    const auto it = m_index.constFind(current);
    // From nowhere, the first step lands on index 0 going forward and n - 1 going back.
    const int start = it != m_index.constEnd() ? *it : (direction > 0 ? -1 : n);
    for (int k = 1; k <= n; ++k) {
        const int i = ((start + direction * k) % n + n) % n;
        if (m_entries[size_t(i)].state == ReviewState::NeedsReview)
            return m_entries[size_t(i)].item;
    }
    return std::nullopt;
}

std::optional<ReviewItem> ReviewQueue::next(const ReviewItem& current) const
{
    return step(current, +1);
}

std::optional<ReviewItem> ReviewQueue::previous(const ReviewItem& current) const
{
    return step(current, -1);
}

int ReviewQueue::needingReview() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(),
                             [](const Entry& e) { return e.state == ReviewState::NeedsReview; }));
}

bool ReviewQueue::anyPending() const
{
    return std::any_of(m_entries.begin(), m_entries.end(),
                       [](const Entry& e) { return e.reviewStatus == storage::kReviewPending; });
}

} // namespace folio::ui
