#include "inference/draftlength.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace folio::inference {

namespace {

// Weight of the past per verified draft: about the last 10 drafts count.
constexpr double kDecay = 0.9;

} // namespace

DraftLengthPolicy::DraftLengthPolicy(std::vector<double> stepCost) : m_cost(std::move(stepCost))
{
    if (m_cost.empty())
        throw std::invalid_argument("DraftLengthPolicy: empty step cost table");
    for (double c : m_cost)
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
    for (double& c : costs)
        c /= base;
    return costs;
}

double DraftLengthPolicy::gain(std::size_t k, double a) const
{
    // 1 + a + a² + … + a^k tokens for the cost of k + 1 positions.
    const double tokens = a >= 1.0 ? static_cast<double>(k + 1) : (1.0 - std::pow(a, static_cast<double>(k + 1))) / (1.0 - a);
    return tokens / (m_cost[k] / m_cost[0]);
}

std::size_t DraftLengthPolicy::length() const
{
    const double a = acceptance();
    std::size_t best = 0;
    for (std::size_t k = 1; k < m_cost.size(); ++k)
        if (gain(k, a) > gain(best, a))
            best = k;
    return best;
}

void DraftLengthPolicy::update(std::size_t proposed, std::size_t accepted)
{
    m_accepted *= kDecay;
    m_trials *= kDecay;
    if (proposed == 0) {
        // Nothing was tried: drift back toward the prior, so a policy that stopped drafting
        // after a run of misses tries again later.
        m_accepted += (1.0 - kDecay) * 1.0;
        m_trials += (1.0 - kDecay) * 2.0;
        return;
    }
    // Positions 1 … accepted were right; position accepted + 1 (if drafted) was the miss.
    m_accepted += static_cast<double>(accepted);
    m_trials += static_cast<double>(accepted + (accepted < proposed ? 1 : 0));
}

std::vector<double> defaultDraftStepCost()
{
    return DraftLengthPolicy::linearCosts(8, 0.03);
}

} // namespace folio::inference
