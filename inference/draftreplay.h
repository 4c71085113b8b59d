#pragma once
// Offline estimate of what drafting gains on a known answer: replays `answer` as if the model
// had produced it greedily, with `drafts` proposing as they would during generation, and
// counts the verification steps it would take. Same acceptance as Generator (the longest
// prefix of the draft that equals the answer, then the answer's next token), same cap on the
// draft (the tokens left after the next one), and each step's time reported to the drafter
// from the cost table, as the generator reports the measured ones.
//
// Std only; used by `folio bench draft`.

#include "inference/drafter.h"

#include <cstdint>
#include <vector>

namespace folio::inference {

struct DraftReplay {
    int64_t answers = 0;      // replayed answers (several when summed)
    int64_t tokens = 0;       // answer tokens
    int64_t steps = 0;        // decode steps after the first token (the prefill gives that one)
    int64_t drafted = 0;      // draft tokens verified
    int64_t accepted = 0;     // of which right
    int64_t chosenLength = 0; // the policy's draft lengths, summed over the steps
    double stepCost = 0.0;    // the steps' summed cost, in one-token steps (stepCost table)
    int64_t decoded() const { return tokens - answers; } // each answer's first token is the prefill's
    double tokensPerStep() const { return steps > 0 ? static_cast<double>(decoded()) / static_cast<double>(steps) : 0.0; }
    double meanChosenLength() const { return steps > 0 ? static_cast<double>(chosenLength) / static_cast<double>(steps) : 0.0; }
    // Decode time without drafts over decode time with them (one-token steps cost 1 each).
    double speedup() const { return stepCost > 0 ? static_cast<double>(decoded()) / stepCost : 0.0; }
    void add(const DraftReplay& r);
};

// stepCost[L − 1]: relative cost of a step over L tokens (DraftLengthPolicy's table); a step
// wider than the table costs as much as its last entry per extra token (linear extrapolation).
DraftReplay replayDrafts(const std::vector<int64_t>& prompt, const std::vector<int64_t>& answer, Drafter& drafts,
                         const std::vector<double>& stepCost);

} // namespace folio::inference
