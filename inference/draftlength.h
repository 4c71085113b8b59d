#pragma once
// How many draft tokens to verify in the next step, from the recent acceptance rate and what a
// wider step costs. With a per-token acceptance probability a, a draft of k tokens yields on
// average (1 − a^(k+1)) / (1 − a) tokens per step (the accepted prefix plus the model's own
// next token) for the cost of verifying k + 1 tokens; the policy picks the k with the most
// tokens per unit of cost. a is a decaying average, so the length follows the answer's
// phases (copied values, then free text).
//
// One instance per generation; not thread-safe.

#include <cstddef>
#include <utility>
#include <vector>

namespace folio::inference {

class DraftLengthPolicy {
public:
    // stepCost[L − 1]: time of a step over L tokens relative to a one-token step (stepCost[0]
    // is 1). Drafts are at most stepCost.size() − 1 tokens long. Throws std::invalid_argument
    // on an empty table or a non-positive cost.
    explicit DraftLengthPolicy(std::vector<double> stepCost);

    // A linear cost model, 1 + slope · (L − 1) for L = 1 … maxDraft + 1.
    static std::vector<double> linearCosts(std::size_t maxDraft, double slope);
    // A table for L = 1 … the largest measured L from costs measured at some L (e.g. 1, 2, 4,
    // 8, 16), linear in between. Throws std::invalid_argument unless L = 1 is among them.
    static std::vector<double> interpolateCosts(const std::vector<std::pair<std::size_t, double>>& measured);

    std::size_t length() const;
    double acceptance() const { return m_accepted / m_trials; }
    // expected tokens per step for a draft of k tokens at acceptance a, divided by its cost
    double gain(std::size_t k, double a) const;

    // The last draft: `accepted` of `proposed` tokens were right (proposed 0: nothing drafted).
    void update(std::size_t proposed, std::size_t accepted);

    const std::vector<double>& stepCost() const { return m_cost; }

private:
    std::vector<double> m_cost;
    // Decayed counts of draft positions reached and accepted, started at a prior of 1/2.
    double m_accepted = 1.0;
    double m_trials = 2.0;
};

// The step costs the engine sizes drafts with: a linear model, +3 % per extra token up to
// 8-token drafts (not a measurement; `bench generate --verify-tokens` measures the real ones).
std::vector<double> defaultDraftStepCost();

} // namespace folio::inference
