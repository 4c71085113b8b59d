#pragma once
// The Qwen2.5-VL vision transformer (spec section 4): Conv3d patch embedding, 2D rotary
// positions, window reordering, windowed and full-attention blocks, the 2×2 patch merger, and
// the reverse reordering. Input rows are the image processor's pixel_values (processor order,
// each group of 4 rows one 2×2 merge block); output rows are merged tokens in (t, row, col)
// raster order per image, ready to be scattered into the <|image_pad|> positions.
//
// Holds references into a Weights object that must outlive it. forward() is const and keeps no
// state, but one instance should be driven by one thread at a time (libtorch intra-op threads
// are shared).

#include "inference/config.h"
#include "inference/layerhook.h"

#include <ATen/ATen.h>

#include <array>
#include <cstdint>
#include <vector>

namespace folio::inference {

class Weights;

// (t, h, w) of one image or video in 14-px patches, as in image_grid_thw.
using GridThw = std::array<int64_t, 3>;

// The integer bookkeeping of the window attention (spec 4.3–4.4) for a list of grids.
struct WindowLayout {
    std::vector<int64_t> windowIndex;     // merged-token permutation into window order
    std::vector<int32_t> cuWindowSeqlens; // window boundaries in patches (window order), leading 0
    std::vector<int32_t> cuSeqlens;       // per image and temporal patch boundaries, leading 0
};

class VisionEncoder {
public:
    // Intermediates for comparison with the reference, in processor row order.
    struct Trace {
        at::Tensor patchEmbed;                // [N, C]
        std::vector<at::Tensor> blockOutputs; // depth × [N, C]
    };

    VisionEncoder(const VisionConfig& config, const Weights& weights);

    // pixelValues: [N, inChannels·temporalPatch·patch·patch] float32 (any device; moved to the
    // weights' device and dtype). grids: one per image, Σ t·h·w = N. Returns [N/4, outHidden] in
    // the weights' dtype. Throws c10::Error / std::invalid_argument on inconsistent inputs, and
    // Cancelled when the hook's stop flag is set before a block.
    at::Tensor forward(const at::Tensor& pixelValues, const std::vector<GridThw>& grids, Trace* trace = nullptr,
                       const LayerHook* hook = nullptr) const;

    static WindowLayout windowLayout(const VisionConfig& config, const std::vector<GridThw>& grids);

private:
    struct Block {
        at::Tensor norm1, norm2, qkvWeight, qkvBias, projWeight, projBias;
        at::Tensor gateWeight, gateBias, upWeight, upBias, downWeight, downBias;
    };

    at::Tensor rotaryAngles(const std::vector<GridThw>& grids) const; // [N, headDim/2] float32

    VisionConfig m_config;
    at::Tensor m_patchEmbed;
    std::vector<Block> m_blocks;
    at::Tensor m_mergerNorm, m_merger0Weight, m_merger0Bias, m_merger2Weight, m_merger2Bias;
};

} // namespace folio::inference
