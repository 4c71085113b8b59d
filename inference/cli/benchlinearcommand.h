#pragma once
// `bench linear`: GB/s of one linear layer per weight format (LinearWeight::forward) next to
// at::linear on the same bf16 weight and the read bandwidth measured in the same run, for the
// decoder's matrix shapes and a few rows of x (decode, speculative verification):
//
//   bench linear [--shape N,K]... [--rows 1,2,4,8,16] [--threads N] [--repeats 5]
//
// Default shapes: Qwen2.5-VL-3B's q/o (2048×2048), gate/up (11008×2048) and down (2048×11008).
// Timings only; random weights. Returns 0, or 2 on a usage error. `args` excludes "linear".

#include <iosfwd>
#include <string>
#include <vector>

namespace folio::inference {

int runBenchLinearCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace folio::inference
