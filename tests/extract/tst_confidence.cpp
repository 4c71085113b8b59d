// combineConfidence: the one function that turns a value's measured signals into its confidence.
// Hand-made signal sets: each signal moves the result the right way, a missing signal adds
// nothing and says so, the result stays inside (0, 1), and realistic cases come out in the order
// a reviewer should look at them. Also the stored text form of the evidence.
#include "testregistry.h"

#include "extract/confidence.h"

#include <QRandomGenerator>
#include <QTest>

using folio::extract::combineConfidence;
using folio::extract::ConfidenceEvidence;
using Page = ConfidenceEvidence::Page;
using Tokens = ConfidenceEvidence::Tokens;
using Norm = ConfidenceEvidence::Normalization;

Q_DECLARE_METATYPE(ConfidenceEvidence)

namespace {

ConfidenceEvidence tokens(double weakestLogprob)
{
    ConfidenceEvidence e;
    e.tokens = Tokens::Measured;
    e.weakestLogprob = weakestLogprob;
    return e;
}

ConfidenceEvidence withPage(ConfidenceEvidence e, Page page, bool ocr = false, double score = 1.0)
{
    e.page = page;
    e.pageOcr = ocr;
    e.pageScore = score;
    return e;
}

ConfidenceEvidence withChecks(ConfidenceEvidence e, int passed, int failed)
{
    e.checksPassed = passed;
    e.checksFailed = failed;
    return e;
}

ConfidenceEvidence withNorm(ConfidenceEvidence e, Norm n)
{
    e.normalization = n;
    return e;
}

} // namespace

class TstConfidence : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // `better` must score strictly higher than `worse`, everything else being equal.
    void eachSignalMovesIt_data()
    {
        QTest::addColumn<ConfidenceEvidence>("better");
        QTest::addColumn<ConfidenceEvidence>("worse");
        const ConfidenceEvidence base = withNorm(withPage(tokens(-0.2), Page::NoWords), Norm::Ok);
        QTest::newRow("model: surer weakest token") << withNorm(withPage(tokens(-0.01), Page::NoWords), Norm::Ok) << base;
        QTest::newRow("model: a coin-flip token") << base << withNorm(withPage(tokens(-0.69), Page::NoWords), Norm::Ok);
        QTest::newRow("model: measured sure beats not measured")
            << base << withNorm(withPage(ConfidenceEvidence{}, Page::NoWords), Norm::Ok);
        QTest::newRow("page: text layer agrees") << withPage(base, Page::Agreed) << base;
        QTest::newRow("page: text layer beats OCR") << withPage(base, Page::Agreed) << withPage(base, Page::Agreed, true, 0.95);
        QTest::newRow("page: surer OCR words") << withPage(base, Page::Agreed, true, 0.95) << withPage(base, Page::Agreed, true, 0.5);
        QTest::newRow("page: under the box beats moved") << withPage(base, Page::Agreed) << withPage(base, Page::Moved);
        QTest::newRow("page: mismatch by one digit beats another text")
            << withPage(base, Page::Mismatch, false, 0.9) << withPage(base, Page::Mismatch, false, 0.1);
        QTest::newRow("page: mismatch is worse than no words") << base << withPage(base, Page::Mismatch, false, 0.5);
        QTest::newRow("page: not on the page is worse than no words") << base << withPage(base, Page::NotOnPage);
        QTest::newRow("checks: a passed check") << withChecks(base, 1, 0) << base;
        QTest::newRow("checks: a failed check") << base << withChecks(base, 0, 1);
        QTest::newRow("checks: two failed are worse than one") << withChecks(base, 0, 1) << withChecks(base, 0, 2);
        QTest::newRow("format: ambiguous") << base << withNorm(base, Norm::Ambiguous);
        QTest::newRow("format: unreadable") << withNorm(base, Norm::Ambiguous) << withNorm(base, Norm::Failed);
    }
    void eachSignalMovesIt()
    {
        QFETCH(ConfidenceEvidence, better);
        QFETCH(ConfidenceEvidence, worse);
        const double b = combineConfidence(better).value, w = combineConfidence(worse).value;
        QVERIFY2(b > w, qPrintable(QStringLiteral("%1 <= %2").arg(b).arg(w)));
    }

    // A missing signal adds nothing (the same number as not knowing it) and the reasons say why.
    void missingSignalIsSaid_data()
    {
        QTest::addColumn<ConfidenceEvidence>("evidence");
        QTest::addColumn<QString>("reason");
        ConfidenceEvidence replay;
        replay.tokens = Tokens::NotReported;
        QTest::newRow("replayed run: no token probabilities") << replay << QStringLiteral("reports no token probabilities");
        ConfidenceEvidence unlocated;
        unlocated.tokens = Tokens::NotLocated;
        QTest::newRow("value not in the raw answer") << unlocated << QStringLiteral("not found in the raw answer");
        QTest::newRow("scan without OCR") << withPage(ConfidenceEvidence{}, Page::NoWords) << QStringLiteral("no text layer or OCR words");
        ConfidenceEvidence unvalidated;
        unvalidated.unvalidated = true;
        QTest::newRow("check could not run") << unvalidated << QStringLiteral("could not run");
        QTest::newRow("free text") << withNorm(ConfidenceEvidence{}, Norm::NotApplicable) << QStringLiteral("free text");
    }
    void missingSignalIsSaid()
    {
        QFETCH(ConfidenceEvidence, evidence);
        QFETCH(QString, reason);
        const auto score = combineConfidence(evidence);
        QCOMPARE(score.value, combineConfidence(ConfidenceEvidence{}).value);
        QVERIFY2(score.reasons.join(u'|').contains(reason), qPrintable(score.reasons.join(u'|')));
        QCOMPARE(score.reasons.size(), 4); // one per signal, known or not
    }

    void staysInBounds()
    {
        QRandomGenerator random(11);
        const Page pages[] = {Page::Unknown, Page::NoWords, Page::Agreed, Page::Moved, Page::Mismatch, Page::NotOnPage};
        const Norm norms[] = {Norm::Unknown, Norm::NotApplicable, Norm::Ok, Norm::Ambiguous, Norm::Failed};
        for (int i = 0; i < 2000; ++i) {
            ConfidenceEvidence e = random.bounded(2) ? tokens(-random.bounded(50.0)) : ConfidenceEvidence{};
            e = withPage(e, pages[random.bounded(6)], random.bounded(2) == 1, random.bounded(1.0));
            e = withChecks(withNorm(e, norms[random.bounded(5)]), random.bounded(10), random.bounded(10));
            const double v = combineConfidence(e).value;
            QVERIFY2(v > 0.0 && v < 1.0 && std::isfinite(v), qPrintable(e.toText()));
        }
        // Extremes too: a log-probability of 0 (certain) and a huge negative one.
        QVERIFY(combineConfidence(tokens(0.0)).value < 1.0);
        QVERIFY(combineConfidence(tokens(-1e30)).value > 0.0);
    }

    // What a reviewer should look at first comes last here: strictly descending.
    void realisticCasesRankInOrder()
    {
        const ConfidenceEvidence confirmed = withChecks(withNorm(withPage(tokens(-0.002), Page::Agreed), Norm::Ok), 2, 0);
        const ConfidenceEvidence textLayerReplay = withNorm(withPage(ConfidenceEvidence{}, Page::Agreed), Norm::Ok);
        const ConfidenceEvidence ocrAgrees = withNorm(withPage(tokens(-0.05), Page::Agreed, true, 0.9), Norm::Ok);
        const ConfidenceEvidence scanSure = withNorm(withPage(tokens(-0.01), Page::NoWords), Norm::Ok);
        const ConfidenceEvidence scanReplay = withNorm(withPage(ConfidenceEvidence{}, Page::NoWords), Norm::Ok);
        const ConfidenceEvidence scanUnsure = withNorm(withPage(tokens(-1.2), Page::NoWords), Norm::Ok);
        const ConfidenceEvidence scanFailedCheck = withChecks(scanSure, 0, 1);
        const ConfidenceEvidence oneDigitOff = withNorm(withPage(tokens(-0.3), Page::Mismatch, false, 0.9), Norm::Ok);
        const ConfidenceEvidence invented = withNorm(withPage(tokens(-0.4), Page::NotOnPage), Norm::Failed);
        const std::vector<std::pair<const char*, ConfidenceEvidence>> order{
            {"confirmed by the text layer, sure, checks pass", confirmed},
            {"OCR agrees and the model is sure", ocrAgrees},
            {"text layer agrees, replayed", textLayerReplay},
            {"scan, sure model", scanSure},
            {"scan, replayed", scanReplay},
            // A failed sum says one of its values is wrong, not which; an unsure token points at this one.
            {"scan, sure model, a check failed", scanFailedCheck},
            {"scan, unsure model", scanUnsure},
            {"text layer says one digit else", oneDigitOff},
            {"not on the page, unreadable", invented},
        };
        for (size_t i = 1; i < order.size(); ++i) {
            const double before = combineConfidence(order[i - 1].second).value, after = combineConfidence(order[i].second).value;
            QVERIFY2(before > after, qPrintable(QStringLiteral("%1 (%2) should rank above %3 (%4)")
                                                    .arg(QLatin1String(order[i - 1].first)).arg(before)
                                                    .arg(QLatin1String(order[i].first)).arg(after)));
        }
        QVERIFY(combineConfidence(confirmed).value > 0.99);
        QVERIFY(combineConfidence(invented).value < 0.1);
        // The strongest reason comes first.
        QVERIFY(combineConfidence(invented).reasons.first().startsWith(QLatin1String("page: nothing under the box")));
    }

    void textRoundTrip_data()
    {
        QTest::addColumn<ConfidenceEvidence>("evidence");
        QTest::newRow("nothing") << ConfidenceEvidence{};
        QTest::newRow("all") << withChecks(withNorm(withPage(tokens(-0.125), Page::Agreed, true, 0.75), Norm::Ambiguous), 2, 1);
        QTest::newRow("mismatch") << withPage(ConfidenceEvidence{}, Page::Mismatch, false, 0.5);
        ConfidenceEvidence e;
        e.tokens = Tokens::NotReported;
        e.unvalidated = true;
        QTest::newRow("replay, unvalidated") << withPage(e, Page::NotOnPage, false, 0.0);
    }
    void textRoundTrip()
    {
        QFETCH(ConfidenceEvidence, evidence);
        QCOMPARE(ConfidenceEvidence::fromText(evidence.toText()), evidence);
    }

    // Bad or unknown parts leave that signal unknown; they are never misread as evidence.
    void badTextIsUnknown_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("positive log-probability") << QStringLiteral("tok=0.5");
        QTest::newRow("not a number") << QStringLiteral("tok=abc");
        QTest::newRow("score out of range") << QStringLiteral("page=agree:text:7");
        QTest::newRow("unknown page kind") << QStringLiteral("page=somewhere");
        QTest::newRow("negative checks") << QStringLiteral("checks=-1/2");
        QTest::newRow("a newer key") << QStringLiteral("future=1");
        QTest::newRow("garbage") << QStringLiteral(";;==;");
    }
    void badTextIsUnknown()
    {
        QFETCH(QString, text);
        QCOMPARE(ConfidenceEvidence::fromText(text), ConfidenceEvidence{});
    }
};

FOLIO_TEST_CLASS(TstConfidence)
#include "tst_confidence.moc"
