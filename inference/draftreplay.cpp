#include "inference/draftreplay.h"

#include <stdexcept>

namespace folio::inference {

namespace {

double costOf(const std::vector<double>& table, std::size_t width)
{
    if (width <= table.size())
        return table[width - 1];
    const double slope = table.size() > 1 ? table.back() - table[table.size() - 2] : 0.0;
    return table.back() + slope * static_cast<double>(width - table.size());
}

} // namespace

void DraftReplay::add(const DraftReplay& r)
{
    answers += r.answers;
    tokens += r.tokens;
    steps += r.steps;
    drafted += r.drafted;
    accepted += r.accepted;
    chosenLength += r.chosenLength;
    stepCost += r.stepCost;
}

DraftReplay replayDrafts(const std::vector<int64_t>& prompt, const std::vector<int64_t>& answer, Drafter& drafts,
                         const std::vector<double>& stepCost)
{
    if (stepCost.empty())
        throw std::invalid_argument("replayDrafts: empty step cost table");
    DraftReplay r;
    if (answer.empty())
        return r;
    r.answers = 1;
    r.tokens = static_cast<int64_t>(answer.size());
    std::vector<int64_t> sequence = prompt;
    sequence.push_back(answer[0]);
    std::size_t done = 1;
    while (done < answer.size()) {
        const std::size_t left = answer.size() - done;
        std::vector<int64_t> draft;
        r.chosenLength += static_cast<int64_t>(drafts.policy().length());
        if (left > 1) {
            draft = drafts.propose(sequence, prompt.size(), left - 1).tokens;
            draft.resize(std::min(draft.size(), left - 1));
        }
        std::size_t accepted = 0;
        while (accepted < draft.size() && draft[accepted] == answer[done + accepted])
            ++accepted;
        const double cost = costOf(stepCost, draft.size() + 1);
        drafts.feedback(draft.size(), accepted, cost);
        // The accepted prefix and the model's own token after it.
        sequence.insert(sequence.end(), answer.begin() + static_cast<std::ptrdiff_t>(done),
                        answer.begin() + static_cast<std::ptrdiff_t>(done + accepted + 1));
        done += accepted + 1;
        ++r.steps;
        r.drafted += static_cast<int64_t>(draft.size());
        r.accepted += static_cast<int64_t>(accepted);
        r.stepCost += cost;
    }
    return r;
}

} // namespace folio::inference
