#pragma once
// `generate`: run one Qwen2.5-VL request from the command line.
//
//   generate --model DIR [--image FILE]... --prompt TEXT [--system TEXT] [--max-new-tokens N]
//            [--greedy | --temperature T --top-p P --top-k K] [--repetition-penalty R] [--seed S]
//            [--dtype auto|bf16|f32] [--quant none|int8|int4] [--pack-cache DIR] [--device cpu|cuda]
//            [--min-pixels N] [--max-pixels N] [--json] [--help]
//
// Streams the text to `out` as it is generated; with --json prints one JSON object instead
// (input_ids, generated_ids, text, image_grid_thw, resized_sizes, stop_reason, timings, engine).
// The dtype chosen, the weights' quant and what the pack cache did go to `err` after the load.
// --greedy turns sampling off; the configured repetition penalty still applies. Sampling flags
// without --greedy turn sampling on. Returns 0 on success, 1 when the run fails, 2 for a usage
// error. `args` excludes the program and command names. Std-only, any thread.

#include <iosfwd>
#include <string>
#include <vector>

namespace folio::inference {

int runGenerateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace folio::inference
