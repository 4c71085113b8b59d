#include "inference/kernels/bandwidth.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace folio::inference::kernels {

double measureCopyBandwidth(double bytes, int repeats)
{
    // A read pass, not a memcpy: decode reads weights and writes almost nothing, and a copy's
    // writes would also cost the read-for-ownership of the destination.
    const int64_t words = std::max<int64_t>(1024, int64_t(bytes / sizeof(uint64_t)));
    std::vector<uint64_t> buffer(static_cast<size_t>(words));
    at::parallel_for(0, words, 1 << 16, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i)
            buffer[size_t(i)] = uint64_t(i) * 0x9e3779b97f4a7c15ull; // touch every page, in parallel
    });
    volatile uint64_t sink = 0;
    double best = 0.0;
    for (int pass = 0; pass <= std::max(1, repeats); ++pass) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<uint64_t> partial(size_t(std::max(1, at::get_num_threads())) * 8, 0);
        at::parallel_for(0, words, 1 << 16, [&](int64_t b, int64_t e) {
            uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int64_t i = b;
            for (; i + 4 <= e; i += 4) {
                a0 ^= buffer[size_t(i)];
                a1 ^= buffer[size_t(i + 1)];
                a2 ^= buffer[size_t(i + 2)];
                a3 ^= buffer[size_t(i + 3)];
            }
            for (; i < e; ++i)
                a0 ^= buffer[size_t(i)];
            partial[size_t(at::get_thread_num()) * 8] ^= a0 ^ a1 ^ a2 ^ a3;
        });
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (uint64_t v : partial)
            sink = sink ^ v;
        if (pass > 0) // the first pass warms the threads and the TLB
            best = std::max(best, double(words) * sizeof(uint64_t) / seconds / 1e9);
    }
    return best;
}

} // namespace folio::inference::kernels
