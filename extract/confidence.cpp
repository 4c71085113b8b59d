#include "extract/confidence.h"

#include "extract/invoicevocabulary.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace folio::extract {

namespace {

    // Weights in log-odds: signals add up as independent evidence (a naive-Bayes view), so each
    // one moves the result the same way whatever the others say and none can push it to 0 or 1.
    // The sizes rank the signals by how much they tell: the PDF text layer is an exact second
    // reading of the page, so agreeing with it outweighs everything else; the model's own
    // probability is informative but a confident model can still misread; a failed sum means
    // one of several values is wrong, not which; normalisation only says the value is well-formed.
    constexpr double kPrior = 0.85;
    constexpr double kModelScale = 0.6, kModelLow = -3.0, kModelHigh = 2.0;
    constexpr double kTextLayerAgreed = 2.5, kOcrAgreed = 2.0, kMoved = 1.0;
    constexpr double kMismatchBase = -3.5, kMismatchSimilarity = 2.5, kNotOnPage = -3.0;
    constexpr double kFailedCheck = -2.2, kPassedCheck = 0.5, kPassedChecksMax = 1.0;
    constexpr double kNormalizedOk = 0.2, kNormalizedAmbiguous = -0.7, kNormalizationFailed = -1.5;

    struct Term {
        double z;
        QString why;
    };

    QString signedNumber(double z) { return (z >= 0 ? QStringLiteral("+") : QString()) + QString::number(z, 'f', 1); }

    // The model term. The weakest token, not the mean: an amount is wrong when one digit is, and
    // a single uncertain digit among confident ones is exactly what a mean would hide.
    Term modelTerm(const ConfidenceEvidence& e)
    {
        using T = ConfidenceEvidence::Tokens;
        switch (e.tokens) {
        case T::Unknown:
            return {0, QStringLiteral("model: token probabilities not recorded")};
        case T::NotReported:
            return {0, QStringLiteral("model: the engine reports no token probabilities (e.g. a replayed run)")};
        case T::NotLocated:
            return {0, QStringLiteral("model: the value was not found in the raw answer, so its tokens are unknown")};
        case T::Measured:
            break;
        }
        const double p = std::clamp(std::exp(e.weakestLogprob), 1e-6, 1.0 - 1e-6);
        const double z = std::clamp(kModelScale * std::log(p / (1 - p)), kModelLow, kModelHigh);
        return {z, QStringLiteral("model: weakest token p = %1").arg(p, 0, 'f', 3)};
    }

    Term pageTerm(const ConfidenceEvidence& e)
    {
        using P = ConfidenceEvidence::Page;
        const QString words = e.pageOcr ? QStringLiteral("OCR words") : QStringLiteral("text layer");
        switch (e.page) {
        case P::Unknown:
            return {0, QStringLiteral("page: not compared with the page's words")};
        case P::NoWords:
            return {0, QStringLiteral("page: no text layer or OCR words to compare with")};
        case P::Agreed:
            if (e.pageOcr)
                return {kOcrAgreed * e.pageScore, QStringLiteral("page: OCR words (confidence %1) agree").arg(e.pageScore, 0, 'f', 2)};
            return {kTextLayerAgreed, QStringLiteral("page: the text layer agrees")};
        case P::Moved:
            return {kMoved * (e.pageOcr ? e.pageScore : 1.0), QStringLiteral("page: printed elsewhere in the %1; box moved there").arg(words)};
        case P::Mismatch:
            return {kMismatchBase + kMismatchSimilarity * e.pageScore,
                    QStringLiteral("page: the %1 under the box says something else (%2 % alike)").arg(words).arg(qRound(100 * e.pageScore))};
        case P::NotOnPage:
            return {kNotOnPage, QStringLiteral("page: nothing under the box and not on the page (%1)").arg(words)};
        }
        return {0, QString()};
    }

    Term checksTerm(const ConfidenceEvidence& e)
    {
        if (e.checksFailed == 0 && e.checksPassed == 0)
            return {0, e.unvalidated ? QStringLiteral("checks: could not run (see the validation notes)")
                                     : QStringLiteral("checks: none cover this value")};
        const double z = kFailedCheck * e.checksFailed + std::min(kPassedChecksMax, kPassedCheck * e.checksPassed);
        QString why = QStringLiteral("checks: %1 passed, %2 failed").arg(e.checksPassed).arg(e.checksFailed);
        if (e.unvalidated)
            why += QStringLiteral(", others could not run");
        return {z, why};
    }

    Term normalizationTerm(const ConfidenceEvidence& e)
    {
        using N = ConfidenceEvidence::Normalization;
        switch (e.normalization) {
        case N::Unknown:
            return {0, QStringLiteral("format: not normalised")};
        case N::NotApplicable:
            return {0, QStringLiteral("format: free text")};
        case N::Ok:
            return {kNormalizedOk, QStringLiteral("format: reads as a valid value")};
        case N::Ambiguous:
            return {kNormalizedAmbiguous, QStringLiteral("format: has more than one reading")};
        case N::Failed:
            return {kNormalizationFailed, QStringLiteral("format: cannot be read as the expected kind of value")};
        }
        return {0, QString()};
    }

    template <typename Item>
    void score(Item& item)
    {
        item.confidence = combineConfidence(item.evidence).value;
    }

} // namespace

ConfidenceScore combineConfidence(const ConfidenceEvidence& evidence)
{
    std::vector<Term> terms{pageTerm(evidence), modelTerm(evidence), checksTerm(evidence), normalizationTerm(evidence)};
    double z = kPrior;
    for (const Term& t : terms)
        z += t.z;
    std::stable_sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return std::abs(a.z) > std::abs(b.z); });
    ConfidenceScore out;
    out.value = 1.0 / (1.0 + std::exp(-z));
    for (const Term& t : terms)
        out.reasons << (t.z == 0 ? t.why : QStringLiteral("%1 (%2)").arg(t.why, signedNumber(t.z)));
    return out;
}

void scoreConfidence(PageResult& result)
{
    for (TextLine& l : result.lines)
        score(l);
    for (Field& f : result.fields)
        if (f.source != u"e-invoice" && f.source != u"user")
            score(f);
    for (Table& t : result.tables)
        for (Cell& c : t.cells)
            if (!(c.header && t.name == QLatin1String(kLineItemsTable)))
                score(c);
}

} // namespace folio::extract
