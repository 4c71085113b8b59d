// The n-gram draft sources, the Drafter that picks among them and the draft length policy:
// plain token arithmetic, no model.
#include "inference/answerdraft.h"
#include "inference/drafter.h"
#include "inference/draftlength.h"
#include "inference/ngramindex.h"
#include "inference/pagewordsdraft.h"
#include "inference/promptdraft.h"
#include "inference/tokenizer.h"

#include "testregistry.h"

#include <QTest>

#include <cmath>

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
        PageWordsDraft page({Ids{10, 11, 12, 30, 20, 31}}, 4);
        const Ids prompt{1, 2, 3};
        Draft d = page.propose(Ids{1, 2, 3, 50, 10}, prompt.size(), 8);
        QCOMPARE(d.matchLength, std::size_t(1));
        QCOMPARE(d.tokens, (Ids{11, 12, 30, 20, 31}));
        d = page.propose(Ids{1, 2, 3, 50, 10, 11}, prompt.size(), 2);
        QCOMPARE(d.matchLength, std::size_t(2));
        QCOMPARE(d.tokens, (Ids{12, 30}));
        QVERIFY(page.propose(Ids{1, 2, 3, 99}, prompt.size(), 8).tokens.empty());
    }

    // The page in the spellings a JSON answer writes it, with the real tokenizer: a value that
    // starts mid-line (no space before it) and a line break written as \n are drafted from.
    void pageWordsInAnswerSpellings()
    {
        auto tokenizer = Tokenizer::load((folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny/tokenizer.json")).toStdString());
        QVERIFY2(tokenizer.ok(), tokenizer.ok() ? "" : tokenizer.error().c_str());
        const Tokenizer& tok = **tokenizer;
        const std::string page = "Rechnung RE-2026-00417\nHauptstraße 12\n10115 Berlin";
        const auto segments = PageWordsDraft::tokenize(tok, page);
        QCOMPARE(segments.size(), std::size_t(2 + 1 + 1 + 1)); // text, escaped, one suffix per line after its first word
        auto ids = [&](const std::string& text) {
            const std::vector<int32_t> e = tok.encode(text);
            return Ids(e.begin(), e.end());
        };
        auto text = [&](const Ids& d) { return tok.decode(std::vector<int32_t>(d.begin(), d.end())); };
        PageWordsDraft draft(segments, 6);
        PageWordsDraft plain({ids(page)}, 6);
        // `"RE` (no space before RE) then the number.
        const Ids value = ids("{\"invoice_number\": \"RE");
        QCOMPARE(text(draft.propose(value, 0, 16).tokens), std::string("-2026-00417"));
        QVERIFY(text(plain.propose(value, 0, 16).tokens) != "-2026-00417");
        // A multi-line value: after "12" comes the JSON escape, then the next line.
        const Ids address = ids("{\"seller_address\": \"Hauptstraße 12");
        QCOMPARE(text(draft.propose(address, 0, 16).tokens), std::string("\\n10115 Berlin"));
        QCOMPARE(text(plain.propose(address, 0, 16).tokens), std::string("\n10115 Berlin")); // a real line break
        QVERIFY(PageWordsDraft::tokenize(tok, "").empty());
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

    // The longest match wins; on a tie the earlier source.
    void drafterPicksLongestMatch()
    {
        const Ids page{40, 41, 42, 43, 7, 8, 60};
        auto drafter = Drafter::standard({page}, DraftLengthPolicy(DraftLengthPolicy::linearCosts(8, 0.0)));
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
        // "8 42" is nowhere; "42" alone is on the page, then 43.
        seq.push_back(42);
        d = drafter->propose(seq, prompt.size(), 4);
        QCOMPARE(d.matchLength, std::size_t(1));
        QCOMPARE(d.tokens, (Ids{43, 7, 8, 60}));
        seq.push_back(99);
        QVERIFY(drafter->propose(seq, prompt.size(), 4).tokens.empty()); // 99 ends the prompt: no successor
    }

    // A Drafter with a minimum match does not draft from shorter ones.
    void drafterMinimumMatch()
    {
        std::vector<std::unique_ptr<DraftSource>> sources;
        sources.push_back(std::make_unique<PageWordsDraft>(std::vector<Ids>{{40, 41, 42, 43}}, 4));
        Drafter drafter(std::move(sources), DraftLengthPolicy(DraftLengthPolicy::linearCosts(8, 0.0)), 2);
        QVERIFY(drafter.propose(Ids{1, 41}, 1, 4).tokens.empty());
        QCOMPARE(drafter.propose(Ids{1, 40, 41}, 1, 4).tokens, (Ids{42, 43}));
    }

    // Segments: no n-gram spans two, and a continuation stops at its segment's end.
    void segmentsDoNotRunTogether()
    {
        NgramIndex index(4);
        index.append(Ids{1, 2, 3});
        index.endSegment();
        index.endSegment(); // an empty segment is none
        index.append(Ids{4, 5});
        NgramIndex::Match m = index.longestSuffixMatch(Ids{1, 2});
        QCOMPARE(m.length, std::size_t(2));
        QCOMPARE(index.continuation(m, 8), (Ids{3}));
        QCOMPARE(index.longestSuffixMatch(Ids{3, 4}).length, std::size_t(1)); // only "4": "3 4" spans the boundary
        QCOMPARE(index.longestSuffixMatch(Ids{3}).length, std::size_t(0)); // 3 ends its segment
    }

    void lengthFollowsAcceptance()
    {
        // Verifying L tokens costs 1 + 0.1 (L - 1).
        DraftLengthPolicy policy(DraftLengthPolicy::linearCosts(16, 0.1));
        const std::size_t start = policy.length();
        QVERIFY(start >= 1);
        for (int i = 0; i < 30; ++i)
            policy.update(8, 8); // every draft fully right
        QVERIFY2(policy.acceptance(8) > 0.95, qPrintable(QString::number(policy.acceptance(8))));
        const std::size_t high = policy.length();
        QVERIFY2(high >= 8, qPrintable(QStringLiteral("%1 -> %2").arg(start).arg(high)));
        for (int i = 0; i < 30; ++i)
            policy.update(8, 2); // right for two tokens, then wrong: the third position fails
        QVERIFY(policy.acceptance(2) > 0.9);
        QVERIFY(policy.acceptance(3) < 0.1);
        const std::size_t shorter = policy.length();
        QVERIFY2(shorter >= 1 && shorter < high, qPrintable(QStringLiteral("%1 -> %2").arg(high).arg(shorter)));
        for (int i = 0; i < 60; ++i)
            policy.update(4, 0); // every draft wrong from its first token
        QVERIFY(policy.acceptance(1) < 0.1);
        QCOMPARE(policy.length(), std::size_t(0)); // a wider step does not pay
        for (int i = 0; i < 60; ++i)
            policy.update(0, 0); // nothing tried: back toward the prior, so drafting resumes
        QVERIFY(policy.length() >= 1);
    }

    // p_i counts only the drafts that reached position i.
    void acceptancePerPosition()
    {
        DraftLengthPolicy policy(DraftLengthPolicy::linearCosts(8, 0.0));
        QCOMPARE(policy.acceptance(1), 0.5);
        QVERIFY(qAbs(policy.expectedTokens(2) - 1.75) < 1e-12); // 1 + 1/2 + 1/4
        policy.update(4, 2); // positions 1 and 2 right, 3 wrong, 4 not reached
        QVERIFY(qAbs(policy.acceptance(1) - 1.9 / 2.8) < 1e-12);
        QVERIFY(qAbs(policy.acceptance(2) - 1.9 / 2.8) < 1e-12);
        QVERIFY(qAbs(policy.acceptance(3) - 0.9 / 2.8) < 1e-12);
        QCOMPARE(policy.acceptance(4), 0.5);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, policy.acceptance(0));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, policy.acceptance(9));
    }

    void lengthFollowsPriorCost()
    {
        // The same drafts (five right, the sixth wrong): a free wider step is always worth its
        // tokens, an expensive one never.
        DraftLengthPolicy free(DraftLengthPolicy::linearCosts(8, 0.0));
        DraftLengthPolicy costly(DraftLengthPolicy::linearCosts(8, 1.0));
        for (int i = 0; i < 30; ++i) {
            free.update(8, 5);
            costly.update(8, 5);
        }
        QCOMPARE(free.length(), std::size_t(8));
        QCOMPARE(costly.length(), std::size_t(0));
    }

    // The step times the generator reports replace the prior: as they rise, drafts shorten.
    void lengthFollowsMeasuredCost()
    {
        DraftLengthPolicy policy(DraftLengthPolicy::linearCosts(16, 0.0)); // the prior says: free
        for (int i = 0; i < 30; ++i)
            policy.update(16, 6); // six right, the seventh wrong
        QCOMPARE(policy.length(), std::size_t(16));
        std::size_t last = policy.length();
        for (double slope : {0.02, 0.1, 0.3, 1.0}) {
            for (int i = 0; i < 40; ++i) // enough steps for the smoothed times to settle
                for (std::size_t width = 1; width <= 17; ++width)
                    policy.observeStep(width, 20.0 * (1.0 + slope * double(width - 1)));
            QVERIFY(qAbs(policy.cost(9) - (1.0 + 8 * slope)) < 1e-2);
            const std::size_t k = policy.length();
            QVERIFY2(k <= last, qPrintable(QStringLiteral("slope %1: %2 after %3").arg(slope).arg(k).arg(last)));
            if (slope == 0.1)
                QCOMPARE(k, std::size_t(6)); // the seventh token is almost never right: not worth 10 %
            last = k;
        }
        QCOMPARE(last, std::size_t(0)); // a step over two tokens costs twice one: drafting never pays
    }

    // Widths not timed yet: the nearest timed width scaled by the prior's shape; never cheaper
    // than a narrower step.
    void untimedWidthsFromPriorShape()
    {
        DraftLengthPolicy policy(DraftLengthPolicy::linearCosts(16, 0.1));
        QVERIFY(qAbs(policy.cost(5) - 1.4) < 1e-12); // nothing timed: the prior
        policy.observeStep(1, 10.0);
        policy.observeStep(5, 30.0);
        QVERIFY(qAbs(policy.cost(5) - 3.0) < 1e-12);
        QVERIFY(qAbs(policy.cost(9) - 3.0 * 1.8 / 1.4) < 1e-12); // nearest timed: 5
        QVERIFY(qAbs(policy.cost(4) - 3.0 * 1.3 / 1.4) < 1e-12);
        policy.observeStep(3, 5.0); // faster than a one-token step: noise
        for (std::size_t w = 2; w <= 17; ++w)
            QVERIFY2(policy.cost(w) >= policy.cost(w - 1), qPrintable(QString::number(w)));
        QCOMPARE(policy.cost(3), policy.cost(2)); // raised to the narrower step's time
        // One slow step moves a width's time only part of the way.
        policy.observeStep(5, 130.0);
        QVERIFY(policy.cost(5) > 3.0 && policy.cost(5) < 8.0);
        // What no step can be is ignored.
        const double before = policy.cost(9);
        policy.observeStep(0, 50.0);
        policy.observeStep(18, 50.0);
        policy.observeStep(9, 0.0);
        policy.observeStep(9, -4.0);
        policy.observeStep(9, std::nan(""));
        QCOMPARE(policy.cost(9), before);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, policy.cost(0));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, policy.cost(18));
    }

    // The Drafter passes the generator's step times on to its policy.
    void drafterTimesSteps()
    {
        auto drafter = Drafter::standard({}, DraftLengthPolicy(DraftLengthPolicy::linearCosts(8, 0.0)));
        drafter->feedback(0, 0, 10.0);
        drafter->feedback(3, 1, 40.0);
        QCOMPARE(drafter->policy().cost(4), 4.0);
    }

    void measuredCostTable()
    {
        const std::vector<double> c = DraftLengthPolicy::interpolateCosts({{4, 3.0}, {1, 2.0}, {2, 1.8}, {8, 4.0}});
        QCOMPARE(c.size(), std::size_t(8));
        QCOMPARE(c[0], 1.0);
        QCOMPARE(c[1], 1.0); // measured below a one-token step: noise, raised to it
        QCOMPARE(c[3], 1.5);
        QCOMPARE(c[5], 1.75); // linear between L = 4 and 8
        QCOMPARE(c[7], 2.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DraftLengthPolicy::interpolateCosts({{2, 1.0}, {4, 1.2}}));
    }

    void badCostTable()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DraftLengthPolicy(std::vector<double>{}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DraftLengthPolicy(std::vector<double>{1.0, 0.0}));
    }
};

FOLIO_TEST_CLASS(TstDraft)
#include "tst_draft.moc"
