// ReviewQueue: which values need review and in what order a reviewer visits them.
#include "testregistry.h"

#include "ui/reviewqueue.h"

#include <QTest>

using namespace folio;
using ui::ReviewItem;
using ui::ReviewKind;
using ui::ReviewState;

Q_DECLARE_METATYPE(folio::ui::ReviewState)
Q_DECLARE_METATYPE(folio::extract::Flags)

namespace {

storage::StoredField field(qint64 id, double confidence, int page, double top, extract::Flags flags = {},
                           const QString& status = storage::kReviewPending)
{
    storage::StoredField f;
    f.id = id;
    f.page = page;
    f.reviewStatus = status;
    f.field.name = QStringLiteral("f%1").arg(id);
    f.field.confidence = confidence;
    f.field.flags = flags;
    f.field.box = extract::Box{page, 0.1, top, 0.3, top + 0.02};
    return f;
}

ReviewItem fieldItem(qint64 id)
{
    return {ReviewKind::Field, id};
}

} // namespace

class TstReviewQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stateOfAValue_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<extract::Flags>("flags");
        QTest::addColumn<double>("confidence");
        QTest::addColumn<ReviewState>("expected");
        const extract::Flags none;
        QTest::newRow("confident, no flags") << storage::kReviewPending << none << 0.95 << ReviewState::Pending;
        QTest::newRow("at the threshold") << storage::kReviewPending << none << 0.9 << ReviewState::Pending;
        QTest::newRow("below the threshold") << storage::kReviewPending << none << 0.89 << ReviewState::NeedsReview;
        QTest::newRow("confident but flagged by a check")
            << storage::kReviewPending << extract::Flags(extract::Flag::TotalMismatch) << 0.99 << ReviewState::NeedsReview;
        QTest::newRow("typed by the reviewer, low model confidence")
            << storage::kReviewPending << extract::Flags(extract::Flag::Edited) << 0.3 << ReviewState::Edited;
        QTest::newRow("typed, but a check still fails")
            << storage::kReviewPending << (extract::Flag::Edited | extract::Flag::SumMismatch) << 0.3
            << ReviewState::NeedsReview;
        QTest::newRow("accepted despite a flag")
            << storage::kReviewAccepted << extract::Flags(extract::Flag::AmbiguousDate) << 0.2 << ReviewState::Accepted;
        QTest::newRow("flagged by the reviewer") << storage::kReviewFlagged << none << 0.99 << ReviewState::Flagged;
    }
    void stateOfAValue()
    {
        QFETCH(QString, status);
        QFETCH(extract::Flags, flags);
        QFETCH(double, confidence);
        QFETCH(ReviewState, expected);
        QCOMPARE(ui::ReviewQueue::stateOf(status, flags, confidence, 0.9), expected);
    }

    void ordersByConfidenceThenPageThenPosition()
    {
        storage::DocumentResults r;
        r.fields = {field(1, 0.5, 1, 0.2), field(2, 0.5, 0, 0.6), field(3, 0.5, 0, 0.1), field(4, 0.3, 1, 0.9),
                    field(5, 0.95, 0, 0.0)};
        storage::StoredTable t;
        t.id = 9;
        t.page = 0;
        extract::Cell c;
        c.text = QStringLiteral("12,00");
        c.confidence = 0.4;
        c.box = extract::Box{0, 0.5, 0.5, 0.6, 0.52};
        t.table.cells = {c};
        t.cellIds = {7};
        t.cellReviewStatus = {storage::kReviewPending};
        t.cellModelValues = {c.text};
        r.tables = {t};
        ui::ReviewQueue queue;
        queue.setResults(r);
        const std::vector<ReviewItem> expected{fieldItem(4), {ReviewKind::Cell, 7}, fieldItem(3), fieldItem(2),
                                               fieldItem(1), fieldItem(5)};
        QCOMPARE(queue.order(), expected);
        QCOMPARE(queue.needingReview(), 5); // all but the confident one
        // Walking forward visits those needing review in that order and wraps; back reverses.
        QCOMPARE(queue.next({}), fieldItem(4));
        QCOMPARE(queue.next(fieldItem(4)), (ReviewItem{ReviewKind::Cell, 7}));
        QCOMPARE(queue.next(fieldItem(1)), fieldItem(4)); // 5 is skipped, then wrap
        QCOMPARE(queue.next(fieldItem(5)), fieldItem(4));
        QCOMPARE(queue.previous(fieldItem(4)), fieldItem(1));
        QCOMPARE(queue.previous({}), fieldItem(1));
        QCOMPARE(queue.previous(fieldItem(2)), fieldItem(3));
        // A higher threshold takes in the confident one.
        queue.setThreshold(0.99);
        QCOMPARE(queue.next(fieldItem(1)), fieldItem(5));
    }

    void doneValuesLeaveTheQueue()
    {
        storage::DocumentResults r;
        r.fields = {field(1, 0.5, 0, 0.1, {}, storage::kReviewAccepted), field(2, 0.6, 0, 0.2),
                    field(3, 0.7, 0, 0.3, {}, storage::kReviewFlagged)};
        ui::ReviewQueue queue;
        queue.setResults(r);
        QCOMPARE(queue.next({}), fieldItem(2));
        QCOMPARE(queue.next(fieldItem(2)), fieldItem(2)); // the only one: it comes round again
        QVERIFY(queue.anyPending());
        r.fields[1].reviewStatus = storage::kReviewAccepted;
        queue.setResults(r);
        QCOMPARE(queue.next(fieldItem(2)), std::nullopt);
        QCOMPARE(queue.needingReview(), 0);
        QVERIFY(!queue.anyPending());
        QCOMPARE(queue.state(fieldItem(3)), ReviewState::Flagged);
    }

    void valueWithoutBoxComesAfterBoxedOnesOfItsPage()
    {
        storage::DocumentResults r;
        r.fields = {field(1, 0.5, 0, 0.9), field(2, 0.5, 0, 0.1)};
        r.fields[1].field.box = {};
        ui::ReviewQueue queue;
        queue.setResults(r);
        QCOMPARE(queue.order(), (std::vector<ReviewItem>{fieldItem(1), fieldItem(2)}));
    }
};

FOLIO_TEST_CLASS(TstReviewQueue)
#include "tst_reviewqueue.moc"
