#include "inference/linearbench.h"

#include "inference/linearweight.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <functional>

namespace folio::inference {

namespace {

// Seconds per call of f(i) over matrices i = 0 … count − 1, best of `repeats` rounds.
double bestSecondsPerCall(int64_t count, int repeats, const std::function<void(int64_t)>& f)
{
    for (int64_t i = 0; i < count; ++i) // warm-up: threads, page faults
        f(i);
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < count; ++i)
            f(i);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / double(count));
    }
    return best;
}

} // namespace

std::vector<LinearTiming> timeLinearFormats(int64_t n, int64_t k, const std::vector<int64_t>& rowCounts, int repeats)
{
    // Distinct matrices totalling ≥ 512 MiB of bf16 so that no call finds its weights in a cache.
    const int64_t count = std::max<int64_t>(2, (int64_t(512) << 20) / (n * k * 2));
    std::vector<at::Tensor> dense;
    for (int64_t i = 0; i < count; ++i)
        dense.push_back((at::randn({ n, k }) / std::sqrt(double(k))).to(at::kBFloat16));
    std::vector<LinearTiming> out;
    auto record = [&](const std::string& what, int64_t m, double seconds, std::size_t bytes) {
        out.push_back({ what, m, seconds * 1e3, double(bytes) / seconds / 1e9 });
    };
    for (int64_t m : rowCounts) {
        const at::Tensor x = at::randn({ m, k }).to(at::kBFloat16);
        record("at::linear bf16", m, bestSecondsPerCall(count, repeats, [&](int64_t i) { (void)at::linear(x, dense[size_t(i)]); }),
               dense[0].nbytes());
    }
    for (WeightFormat f : { WeightFormat::Bf16, WeightFormat::Int8, WeightFormat::Int4 }) {
        std::vector<LinearWeight> packed;
        for (const at::Tensor& d : dense)
            packed.push_back(LinearWeight::pack(d, f));
        for (int64_t m : rowCounts) {
            const at::Tensor x = at::randn({ m, k }).to(at::kBFloat16);
            record(weightFormatName(f), m,
                   bestSecondsPerCall(count, repeats, [&](int64_t i) { (void)packed[size_t(i)].forward(x); }),
                   packed[0].packedBytes());
        }
    }
    return out;
}

} // namespace folio::inference
