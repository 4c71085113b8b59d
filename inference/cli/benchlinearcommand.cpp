#include "inference/cli/benchlinearcommand.h"

#include "inference/kernels/bandwidth.h"
#include "inference/kernels/isa.h"
#include "inference/linearbench.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ostream>
#include <thread>
#include <utility>

namespace folio::inference {

namespace {

const char* kUsage = R"(Usage: bench linear [--shape N,K]... [--rows LIST] [--threads N] [--repeats N]

Times one linear layer (N outputs, K inputs) per weight format against at::linear in bf16 and
the read bandwidth of this machine, measured in the same run.

  --shape N,K     a weight shape (repeatable; default 2048,2048 11008,2048 2048,11008)
  --rows LIST     rows of x per call, e.g. 1,2,4,8,16 (default 1,4,8)
  --threads N     intra-op threads (default: every core)
  --repeats N     timed rounds, the best is reported (default 5)
)";

bool parseList(const std::string& text, std::vector<int64_t>& out)
{
    out.clear();
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        int64_t v = 0;
        const auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + comma, v);
        if (ec != std::errc() || ptr != text.data() + comma || v <= 0)
            return false;
        out.push_back(v);
        at = comma + 1;
    }
    return !out.empty();
}

} // namespace

int runBenchLinearCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    std::vector<std::pair<int64_t, int64_t>> shapes;
    std::vector<int64_t> rows = { 1, 4, 8 };
    int64_t threads = 0, repeats = 5;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool hasValue = i + 1 < args.size();
        std::vector<int64_t> values;
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--shape" && hasValue && parseList(args[i + 1], values) && values.size() == 2) {
            shapes.emplace_back(values[0], values[1]);
            ++i;
        } else if (a == "--rows" && hasValue && parseList(args[i + 1], values) && values.back() <= 64) {
            rows = values;
            ++i;
        } else if ((a == "--threads" || a == "--repeats") && hasValue && parseList(args[i + 1], values) && values.size() == 1) {
            (a == "--threads" ? threads : repeats) = values[0];
            ++i;
        } else {
            err << "bench linear: bad or incomplete option '" << a << "'\n\n" << kUsage;
            return 2;
        }
    }
    if (shapes.empty())
        shapes = { { 2048, 2048 }, { 11008, 2048 }, { 2048, 11008 } };
    at::set_num_threads(threads > 0 ? int(threads) : int(std::max(1u, std::thread::hardware_concurrency())));
    c10::InferenceMode guard;
    out << "kernel path: " << kernels::kernelPathDescription() << ", " << at::get_num_threads() << " threads\n";
    out << "read bandwidth: " << kernels::measureCopyBandwidth() << " GB/s" << std::endl;
    char line[160];
    for (const auto& [n, k] : shapes) {
        out << "shape " << n << "x" << k << ":\n";
        for (const LinearTiming& t : timeLinearFormats(n, k, rows, int(repeats))) {
            std::snprintf(line, sizeof line, "  %-16s M=%-3lld %9.3f ms  %7.2f GB/s\n", t.what.c_str(), (long long)t.rows,
                          t.msPerCall, t.weightGBps);
            out << line << std::flush;
        }
    }
    return 0;
}

} // namespace folio::inference
