#pragma once
// `bench generate`: times the full-size Qwen2.5-VL pipeline with random weights (no model files).
//
//   bench generate --config 3b|7b --random-weights [--device cpu|cuda] [--new-tokens 128] [--threads N]
//                  [--quant none|int8|int4] [--dtype auto|bf16|f32]
//
// Builds the released 3B or 7B architecture (spec 1.1/1.3) with random bf16 weights, feeds a
// US-letter page rendered at 150 DPI (1275×1650, smart-resized with max_pixels 1280·28·28 to
// 1240 merged visual tokens) plus a short prompt, forces N new tokens (stop tokens ignored) and
// prints vision ms, prefill ms, decode ms/token, peak RSS and the memory-bandwidth floor of a
// decode step (decoder weight bytes as held / measured copy and read bandwidth). Under --quant
// the random weights are packed as a load packs them, so bytes, speed and RSS are real; the
// kernel path in use is printed. The numbers are timings only; the
// generated ids mean nothing. Returns 0, 1 on failure, 2 on a usage error. `args` excludes the
// program name and "bench".

#include <iosfwd>
#include <string>
#include <vector>

namespace folio::inference {

int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace folio::inference
