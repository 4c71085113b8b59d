#include "inference/draftlength.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace folio::inference {

namespace {

// Weight of the past per draft that reached a position: about the last 10 such drafts count.
constexpr double kDecay = 0.9;
// Weight of a new step time in its width's smoothed time: follows a machine that gets busier
// within a few steps, while one slow step (a page fault, another process) moves it little.
constexpr double kTimeWeight = 0.2;

} // namespace

DraftLengthPolicy::DraftLengthPolicy(std::vector<double> priorCost)
    : m_prior(std::move(priorCost))
    , m_time(m_prior.size(), 0.0)
    , m_accepted(m_prior.size(), 1.0)
    , m_trials(m_prior.size(), 2.0)
{
    if (m_prior.empty())
        throw std::invalid_argument("DraftLengthPolicy: empty step cost table");
    for (double c : m_prior)
        if (!(c > 0))
            throw std::invalid_argument("DraftLengthPolicy: step costs must be positive");
}

std::vector<double> DraftLengthPolicy::linearCosts(std::size_t maxDraft, double slope)
{
    std::vector<double> costs;
    for (std::size_t l = 1; l <= maxDraft + 1; ++l)
        costs.push_back(1.0 + slope * static_cast<double>(l - 1));
    return costs;
}

std::vector<double> DraftLengthPolicy::interpolateCosts(const std::vector<std::pair<std::size_t, double>>& measured)
{
    std::vector<std::pair<std::size_t, double>> points = measured;
    std::sort(points.begin(), points.end());
    if (points.empty() || points.front().first != 1)
        throw std::invalid_argument("DraftLengthPolicy: the measured costs must include one-token steps");
    std::vector<double> costs;
    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
        const auto [l0, c0] = points[i];
        const auto [l1, c1] = points[i + 1];
        for (std::size_t l = l0; l < l1; ++l)
            costs.push_back(c0 + (c1 - c0) * static_cast<double>(l - l0) / static_cast<double>(l1 - l0));
    }
    costs.push_back(points.back().second);
    const double base = costs.front();
    for (std::size_t l = 0; l < costs.size(); ++l) // a wider step measured cheaper is noise
        costs[l] = std::max(costs[l] / base, l > 0 ? costs[l - 1] : 1.0);
    return costs;
}

std::vector<double> DraftLengthPolicy::estimatedTimes() const
{
    // A timed width keeps its own time; an untimed one takes the nearest timed width's time
    // scaled by the prior's ratio between the two (the prior itself while nothing is timed).
    const std::size_t n = m_prior.size();
    std::vector<double> t(n);
    for (std::size_t w = 0; w < n; ++w) {
        if (m_time[w] > 0) {
            t[w] = m_time[w];
            continue;
        }
        std::size_t nearest = n;
        for (std::size_t v = 0; v < n; ++v) {
            const auto distance = [w](std::size_t u) { return u > w ? u - w : w - u; };
            if (m_time[v] > 0 && (nearest == n || distance(v) < distance(nearest)))
                nearest = v;
        }
        t[w] = nearest == n ? m_prior[w] : m_time[nearest] * m_prior[w] / m_prior[nearest];
    }
    for (std::size_t w = 1; w < n; ++w)
        t[w] = std::max(t[w], t[w - 1]);
    return t;
}

double DraftLengthPolicy::cost(std::size_t width) const
{
    if (width == 0 || width > m_prior.size())
        throw std::out_of_range("DraftLengthPolicy::cost: no such step width");
    const std::vector<double> t = estimatedTimes();
    return t[width - 1] / t[0];
}

double DraftLengthPolicy::acceptance(std::size_t position) const
{
    if (position == 0 || position > maxDraft())
        throw std::out_of_range("DraftLengthPolicy::acceptance: no such draft position");
    return m_accepted[position] / m_trials[position];
}

double DraftLengthPolicy::expectedTokens(std::size_t k) const
{
    double tokens = 1.0;
    double reach = 1.0; // chance that draft tokens 1 … i are all right
    for (std::size_t i = 1; i <= std::min(k, maxDraft()); ++i) {
        reach *= acceptance(i);
        tokens += reach;
    }
    return tokens;
}

std::size_t DraftLengthPolicy::length() const
{
    const std::vector<double> t = estimatedTimes();
    std::size_t best = 0;
    for (std::size_t k = 1; k <= maxDraft(); ++k)
        if (expectedTokens(k) / t[k] > expectedTokens(best) / t[best])
            best = k;
    return best;
}

void DraftLengthPolicy::update(std::size_t proposed, std::size_t accepted)
{
    if (proposed == 0) {
        // Nothing was tried: every position drifts back toward the prior, so a policy that
        // stopped drafting after a run of misses tries again later.
        for (std::size_t i = 1; i <= maxDraft(); ++i) {
            m_accepted[i] = kDecay * m_accepted[i] + (1.0 - kDecay) * 1.0;
            m_trials[i] = kDecay * m_trials[i] + (1.0 - kDecay) * 2.0;
        }
        return;
    }
    // Positions 1 … accepted were right; position accepted + 1 (if drafted) was the miss; the
    // positions after it were not reached and say nothing.
    const std::size_t reached = std::min({accepted + 1, proposed, maxDraft()});
    for (std::size_t i = 1; i <= reached; ++i) {
        m_accepted[i] = kDecay * m_accepted[i] + (i <= accepted ? 1.0 : 0.0);
        m_trials[i] = kDecay * m_trials[i] + 1.0;
    }
}

void DraftLengthPolicy::observeStep(std::size_t width, double ms)
{
    if (width == 0 || width > m_time.size() || !(ms > 0))
        return;
    double& t = m_time[width - 1];
    t = t > 0 ? (1.0 - kTimeWeight) * t + kTimeWeight * ms : ms;
}

std::vector<double> defaultDraftStepCost()
{
    return DraftLengthPolicy::linearCosts(16, 0.03);
}

} // namespace folio::inference
