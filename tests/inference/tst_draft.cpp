// The n-gram draft sources, the Drafter that picks among them and the draft length policy:
// plain token arithmetic, no model.
#include "inference/answerdraft.h"
#include "inference/drafter.h"
#include "inference/draftlength.h"
#include "inference/ngramindex.h"
#include "inference/pagewordsdraft.h"
#include "inference/promptdraft.h"

#include "testregistry.h"

#include <QTest>

using namespace folio::inference;
using Ids = std::vector<int64_t>;

class TstDraft : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void longestMatchLatestOccurrence()
    {
        NgramIndex index(4);
        index.append(Ids{1, 2, 3, 9, 1, 2, 3, 7, 8, 2, 3, 5});
        // [1 2 3] last seen at 4..6, followed by 7 8 ...; the 2-gram [2 3] alone was seen later.
        NgramIndex::Match m = index.longestSuffixMatch(Ids{40, 1, 2, 3});
        QCOMPARE(m.length, std::size_t(3));
        QCOMPARE(index.continuation(m, 3), (Ids{7, 8, 2}));
        m = index.longestSuffixMatch(Ids{40, 2, 3});
        QCOMPARE(m.length, std::size_t(2));
        QCOMPARE(index.continuation(m, 9), (Ids{5}));
        QCOMPARE(index.longestSuffixMatch(Ids{40, 2, 3}, /*minN=*/3).length, std::size_t(0));
        // The last token has no successor, so a suffix equal to the sequence's end is no match.
        QCOMPARE(index.longestSuffixMatch(Ids{77, 5}).length, std::size_t(0));
        QCOMPARE(index.longestSuffixMatch(Ids{}).length, std::size_t(0));
        QVERIFY(index.continuation({}, 4).empty());
    }

    void maxNBoundsTheMatch()
    {
        NgramIndex index(2);
        index.append(Ids{1, 2, 3, 4});
        const NgramIndex::Match m = index.longestSuffixMatch(Ids{1, 2, 3});
        QCOMPARE(m.length, std::size_t(2));
        QCOMPARE(index.continuation(m, 5), (Ids{4}));
    }

    void pageWordsDraft()
    {
        // "Nordlicht Bürotechnik GmbH" as ids 10 11 12, "Berlin" 20.
        PageWordsDraft page(Ids{10, 11, 12, 30, 20, 31}, 4);
        const Ids prompt{1, 2, 3};
        Draft d = page.propose(Ids{1, 2, 3, 50, 10}, prompt.size(), 8);
        QCOMPARE(d.matchLength, std::size_t(1));
        QCOMPARE(d.tokens, (Ids{11, 12, 30, 20, 31}));
        d = page.propose(Ids{1, 2, 3, 50, 10, 11}, prompt.size(), 2);
        QCOMPARE(d.matchLength, std::size_t(2));
        QCOMPARE(d.tokens, (Ids{12, 30}));
        QVERIFY(page.propose(Ids{1, 2, 3, 99}, prompt.size(), 8).tokens.empty());
    }

    void promptDraftReadsOnlyThePrompt()
    {
        PromptDraft prompt(4);
        // Prompt 5 6 7 8; the answer (after index 4) repeats 5 6 but must not be indexed.
        Draft d = prompt.propose(Ids{5, 6, 7, 8, 5, 6}, 4, 8);
        QCOMPARE(d.matchLength, std::size_t(2));
        QCOMPARE(d.tokens, (Ids{7, 8}));
        d = prompt.propose(Ids{5, 6, 7, 8, 5, 6, 9, 1}, 4, 8);
        QVERIFY(d.tokens.empty());
    }

    void answerDraftFollowsTheAnswer()
    {
        AnswerDraft answer(4);
        // Prompt 1 2 (never drafted from); answer: 7 8 9 7 8 -> after "7 8" comes 9.
        QVERIFY(answer.propose(Ids{1, 2, 7}, 2, 8).tokens.empty());
        Draft d = answer.propose(Ids{1, 2, 7, 8, 9, 7, 8}, 2, 8);
        QCOMPARE(d.matchLength, std::size_t(2));
        QCOMPARE(d.tokens, (Ids{9, 7, 8}));
        // Tokens seen since the last call are indexed too.
        d = answer.propose(Ids{1, 2, 7, 8, 9, 7, 8, 9, 4, 7, 8, 9}, 2, 2);
        QCOMPARE(d.matchLength, std::size_t(3));
        QCOMPARE(d.tokens, (Ids{4, 7}));
        QVERIFY(answer.propose(Ids{1, 2, 7, 8, 9, 7, 8, 9, 4, 7, 8, 9, 1, 2}, 2, 8).tokens.empty()); // 1 2 is prompt
    }

    // The longest match wins; on a tie the earlier source; short matches are not drafted.
    void drafterPicksLongestMatch()
    {
        const Ids page{40, 41, 42, 43, 7, 8, 60};
        auto drafter = Drafter::standard(page, DraftLengthPolicy(DraftLengthPolicy::linearCosts(8, 0.0)));
        // Prompt 40 41 99; answer 7 8 50 ... 40 41 -> page has "40 41" then 42 (prompt: 99).
        const Ids prompt{40, 41, 99};
        Ids seq = prompt;
        seq.insert(seq.end(), {7, 8, 50, 51, 40, 41});
        Draft d = drafter->propose(seq, prompt.size(), 4);
        QCOMPARE(d.matchLength, std::size_t(2));
        QCOMPARE(d.tokens, (Ids{42, 43, 7, 8})); // page and prompt tie at 2; page is asked first
        // "7 8" is in the answer (then 50) and on the page (then 60): a tie, the answer is asked first.
        seq.insert(seq.end(), {7, 8});
        d = drafter->propose(seq, prompt.size(), 4);
        QCOMPARE(d.tokens, (Ids{50, 51, 40, 41}));
        // "8 42" is nowhere; "42" alone (page, then 43) is too short a match to draft from.
        seq.push_back(42);
        QVERIFY(drafter->propose(seq, prompt.size(), 4).tokens.empty());
    }

    void lengthFollowsAcceptance()
    {
        // Verifying L tokens costs 1 + 0.1 (L - 1).
        DraftLengthPolicy policy(DraftLengthPolicy::linearCosts(16, 0.1));
        const std::size_t start = policy.length();
        QVERIFY(start >= 1);
        for (int i = 0; i < 30; ++i)
            policy.update(8, 8); // every draft fully right
        QVERIFY2(policy.acceptance() > 0.95, qPrintable(QString::number(policy.acceptance())));
        const std::size_t high = policy.length();
        QVERIFY2(high > start, qPrintable(QStringLiteral("%1 -> %2").arg(start).arg(high)));
        for (int i = 0; i < 60; ++i)
            policy.update(4, 0); // every draft wrong from its first token
        QVERIFY(policy.acceptance() < 0.1);
        QCOMPARE(policy.length(), std::size_t(0)); // a wider step does not pay
        for (int i = 0; i < 60; ++i)
            policy.update(0, 0); // nothing tried: back toward the prior, so drafting resumes
        QVERIFY(policy.length() >= 1);
    }

    void lengthFollowsCost()
    {
        // At acceptance 0.8 a free wider step is always worth more tokens; an expensive one is not.
        DraftLengthPolicy free(DraftLengthPolicy::linearCosts(8, 0.0));
        DraftLengthPolicy costly(DraftLengthPolicy::linearCosts(8, 1.0));
        for (int i = 0; i < 30; ++i) {
            free.update(5, 4);
            costly.update(5, 4);
        }
        QCOMPARE(free.length(), std::size_t(8));
        QCOMPARE(costly.length(), std::size_t(0));
        // gain(k, a): (1 - a^(k+1)) / (1 - a) tokens over cost(k + 1).
        QVERIFY(qAbs(free.gain(2, 0.5) - 1.75) < 1e-12);
        QVERIFY(qAbs(costly.gain(1, 0.5) - 0.75) < 1e-12);
    }

    void badCostTable()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DraftLengthPolicy(std::vector<double>{}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DraftLengthPolicy(std::vector<double>{1.0, 0.0}));
    }
};

FOLIO_TEST_CLASS(TstDraft)
#include "tst_draft.moc"
