#pragma once
// M-RoPE position ids of one prompt (Qwen2.5-VL get_rope_index, transformers 4.50): text
// tokens advance all three axes together; each image/video block of pad tokens gets
// (temporal, row, column) positions over its merged grid, starting one past the text before
// it; text after a block continues from the block's largest position + 1.
//
// Pure function of its arguments; callable from any thread.

#include "inference/result.h"

#include <ATen/ATen.h>

#include <array>
#include <cstdint>
#include <vector>

namespace folio::inference {

struct RopeIndexParams {
    int64_t imageTokenId = 151655; // <|image_pad|>
    int64_t videoTokenId = 151656; // <|video_pad|>
    int64_t visionStartTokenId = 151652; // <|vision_start|>
    int spatialMergeSize = 2;
    double tokensPerSecond = 2; // vision_config.tokens_per_second
};

struct RopeIndex {
    at::Tensor positionIds; // int64 [3, L], rows t, h, w
    int64_t ropeDelta = 0; // max position + 1 - L; a decode step with c cached tokens uses c + ropeDelta
};

// inputIds: the whole prompt, pad tokens already expanded (t*h*w/merge² per image/video),
// no padding. imageGrids / videoGrids: (t, h, w) in 14-px patches, in prompt order.
// secondPerGridTs: one per video (seconds per temporal patch, temporal_patch_size / fps), or
// empty for 1.0 each. Temporal ids of a video are trunc(float32(i * s) * tokensPerSecond), as
// the reference computes them in float32 before truncating.
// Errors: the number of vision blocks in the prompt differs from the grids given, a grid is
// not divisible by the merge size, or a block's pad tokens do not match its grid.
Result<RopeIndex> computeRopeIndex(const std::vector<int64_t>& inputIds,
    const std::vector<std::array<int64_t, 3>>& imageGrids, const std::vector<std::array<int64_t, 3>>& videoGrids,
    const std::vector<double>& secondPerGridTs, const RopeIndexParams& params);

} // namespace folio::inference
