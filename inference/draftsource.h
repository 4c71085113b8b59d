#pragma once
// Speculative decoding's proposal side: something that guesses how the sequence continues, so
// the decoder can verify several tokens in one forward pass (Generator). A guess costs nothing
// when it is wrong except the wider step; greedy output is the same whatever is proposed.
//
// Std types only. A source is used by the one thread that runs the generation.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace folio::inference {

struct Draft {
    std::vector<int64_t> tokens; // the proposed continuation; empty: no proposal
    std::size_t matchLength = 0; // how many trailing tokens of the sequence the guess rests on
};

class DraftSource {
public:
    virtual ~DraftSource() = default;

    // At most maxTokens ids that may follow `sequence` (prompt + answer so far; the answer
    // starts at promptLength). Called once per verification step, with the sequence grown by
    // the tokens accepted since the last call.
    virtual Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) = 0;

    // How the last proposal fared: `accepted` of its `proposed` tokens were the model's own,
    // and the step that verified them (over proposed + 1 tokens) took stepMs.
    virtual void feedback(std::size_t proposed, std::size_t accepted, double stepMs)
    {
        (void)proposed;
        (void)accepted;
        (void)stepMs;
    }
};

} // namespace folio::inference
