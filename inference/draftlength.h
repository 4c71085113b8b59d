#pragma once
// How many draft tokens to verify in the next step, chosen to maximise the expected tokens per
// unit of time from the recent acceptance and the measured cost of wider steps.
//
// Acceptance is kept per draft position: p_i, the chance that draft token i is right given
// that tokens 1 … i − 1 were (decayed counts over recent drafts). Drafts are either wrong at
// once (a coordinate the model computes) or right for a long stretch (a copied value, a
// repeated line), so a single per-token rate would undersell the long drafts. A draft of k
// tokens then yields on average E(k) = 1 + p_1 + p_1·p_2 + … + p_1·…·p_k tokens (the accepted
// prefix plus the model's own next token) in a step over k + 1 tokens; the policy picks the k
// with the largest E(k) / cost(k + 1), the shortest on a tie (0: do not draft).
//
// cost(L) is the time of a step over L tokens relative to a one-token step, from the steps
// themselves: each step's time is reported (observeStep) and kept as a smoothed time per L. A
// width not timed yet is estimated from the nearest timed width and the prior table's shape
// (the built-in one or one measured by `bench generate --verify-tokens ... --costs-out`), so
// the prior decides only until steps have been timed. Estimated times never fall with the
// width (a wider step does no less work; a dip is noise).
//
// One instance per generation; not thread-safe; no clock (times are given to it).

#include <cstddef>
#include <utility>
#include <vector>

namespace folio::inference {

class DraftLengthPolicy {
public:
    // priorCost[L − 1]: time of a step over L tokens relative to a one-token step (priorCost[0]
    // is 1). Drafts are at most priorCost.size() − 1 tokens long. Throws std::invalid_argument
    // on an empty table or a non-positive cost.
    explicit DraftLengthPolicy(std::vector<double> priorCost);

    // A linear cost model, 1 + slope · (L − 1) for L = 1 … maxDraft + 1.
    static std::vector<double> linearCosts(std::size_t maxDraft, double slope);
    // A table for L = 1 … the largest measured L from costs measured at some L (e.g. 1, 2, 4,
    // 8, 16), linear in between, relative to L = 1 and never falling with L (a dip is noise).
    // Throws std::invalid_argument unless L = 1 is among them.
    static std::vector<double> interpolateCosts(const std::vector<std::pair<std::size_t, double>>& measured);

    // The draft length with the most expected tokens per unit of time (0: do not draft).
    std::size_t length() const;
    // p_i for draft position i (1 ≤ i ≤ maxDraft()).
    double acceptance(std::size_t position) const;
    // E(k): expected tokens of a step that verifies a k-token draft.
    double expectedTokens(std::size_t k) const;
    // The estimated time of a step over `width` tokens relative to a one-token step
    // (1 ≤ width ≤ maxDraft() + 1).
    double cost(std::size_t width) const;
    std::size_t maxDraft() const { return m_prior.size() - 1; }

    // The last draft: `accepted` of `proposed` tokens were right (proposed 0: nothing drafted).
    void update(std::size_t proposed, std::size_t accepted);
    // A verification step over `width` tokens (the last token and the draft) took `ms`.
    // Widths beyond maxDraft() + 1 and non-positive times are ignored.
    void observeStep(std::size_t width, double ms);

    const std::vector<double>& priorCost() const { return m_prior; }

private:
    std::vector<double> estimatedTimes() const;

    std::vector<double> m_prior;
    // m_time[L − 1]: smoothed time of the steps over L tokens seen so far; 0 while none was.
    std::vector<double> m_time;
    // m_accepted[i] / m_trials[i]: p_i (index 0 unused); decayed counts from a prior of 1/2.
    std::vector<double> m_accepted;
    std::vector<double> m_trials;
};

// The prior step costs the engine sizes drafts with until its own steps are timed: a linear
// model, +3 % per extra token up to 16-token drafts (not a measurement; `bench generate
// --verify-tokens` measures the real ones).
std::vector<double> defaultDraftStepCost();

} // namespace folio::inference
