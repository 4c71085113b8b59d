#pragma once
// Timing of LinearWeight::forward per format for `folio bench` (not for tests): GB/s of weights
// streamed per second at a given shape and number of rows of x, next to at::linear on the same
// bf16 weight, so the kernels can be compared with oneDNN and with the copy bandwidth
// (kernels::measureCopyBandwidth) in the same run.

#include <cstdint>
#include <string>
#include <vector>

namespace folio::inference {

struct LinearTiming {
    std::string what;  // "at::linear bf16", "bf16", "int8", "int4"
    int64_t rows = 0;  // M, rows of x
    double msPerCall = 0.0;
    double weightGBps = 0.0; // packed weight bytes / time
};

// Random weights [n, k] (enough distinct matrices to exceed the caches), bf16 x [m, k], for
// every m; best of `repeats` rounds over all matrices.
std::vector<LinearTiming> timeLinearFormats(int64_t n, int64_t k, const std::vector<int64_t>& rowCounts, int repeats = 5);

} // namespace folio::inference
