#include "inference/visionencoder.h"

#include "inference/layers.h"
#include "inference/weights.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace folio::inference {

VisionEncoder::VisionEncoder(const VisionConfig& config, const Weights& weights)
    : m_config(config)
    , m_patchEmbed(weights.get("visual.patch_embed.proj.weight"))
    , m_mergerNorm(weights.get("visual.merger.ln_q.weight"))
    , m_merger0Weight(weights.get("visual.merger.mlp.0.weight"))
    , m_merger0Bias(weights.get("visual.merger.mlp.0.bias"))
    , m_merger2Weight(weights.get("visual.merger.mlp.2.weight"))
    , m_merger2Bias(weights.get("visual.merger.mlp.2.bias"))
{
    for (int64_t j = 0; j < config.depth; ++j) {
        const std::string b = "visual.blocks." + std::to_string(j) + ".";
        m_blocks.push_back({weights.get(b + "norm1.weight"), weights.get(b + "norm2.weight"),
                            weights.get(b + "attn.qkv.weight"), weights.get(b + "attn.qkv.bias"),
                            weights.get(b + "attn.proj.weight"), weights.get(b + "attn.proj.bias"),
                            weights.get(b + "mlp.gate_proj.weight"), weights.get(b + "mlp.gate_proj.bias"),
                            weights.get(b + "mlp.up_proj.weight"), weights.get(b + "mlp.up_proj.bias"),
                            weights.get(b + "mlp.down_proj.weight"), weights.get(b + "mlp.down_proj.bias")});
    }
}

WindowLayout VisionEncoder::windowLayout(const VisionConfig& config, const std::vector<GridThw>& grids)
{
    const int64_t m = config.spatialMergeSize;
    const int64_t unit = m * m;
    const int64_t win = config.windowSize / m / config.patchSize; // window side in merged tokens
    WindowLayout layout;
    layout.cuWindowSeqlens.push_back(0);
    layout.cuSeqlens.push_back(0);
    int64_t base = 0;
    for (const auto& [t, h, w] : grids) {
        const int64_t lh = h / m, lw = w / m;
        // Ceil-division tiling: the reference pads to whole windows and then drops the empty
        // ones with unique_consecutive; skipping them up front gives the same layout.
        for (int64_t ti = 0; ti < t; ++ti) {
            for (int64_t wy = 0; wy < lh; wy += win) {
                for (int64_t wx = 0; wx < lw; wx += win) {
                    int64_t count = 0;
                    for (int64_t y = wy; y < std::min(wy + win, lh); ++y)
                        for (int64_t x = wx; x < std::min(wx + win, lw); ++x, ++count)
                            layout.windowIndex.push_back(base + ti * lh * lw + y * lw + x);
                    layout.cuWindowSeqlens.push_back(layout.cuWindowSeqlens.back()
                                                     + static_cast<int32_t>(count * unit));
                }
            }
            layout.cuSeqlens.push_back(layout.cuSeqlens.back() + static_cast<int32_t>(h * w));
        }
        base += t * lh * lw;
    }
    return layout;
}

at::Tensor VisionEncoder::rotaryAngles(const std::vector<GridThw>& grids) const
{
    const int64_t m = m_config.spatialMergeSize;
    // (hpos, wpos) per patch in the processor's merge-block order: t, hb, wb, hi, wi.
    std::vector<int64_t> hpos, wpos;
    for (const auto& [t, h, w] : grids)
        for (int64_t ti = 0; ti < t; ++ti)
            for (int64_t hb = 0; hb < h / m; ++hb)
                for (int64_t wb = 0; wb < w / m; ++wb)
                    for (int64_t hi = 0; hi < m; ++hi)
                        for (int64_t wi = 0; wi < m; ++wi) {
                            hpos.push_back(hb * m + hi);
                            wpos.push_back(wb * m + wi);
                        }
    const int64_t headDim = m_config.hiddenSize / m_config.numHeads;
    const int64_t rotaryDim = headDim / 2; // the rotary module's dim; half for h, half for w
    const at::Tensor exponents = at::arange(0, rotaryDim, 2, at::kFloat) / static_cast<double>(rotaryDim);
    const at::Tensor invFreq = at::reciprocal(at::pow(10000.0, exponents)); // [rotaryDim/2]
    const auto n = static_cast<int64_t>(hpos.size());
    const at::Tensor h = at::tensor(hpos, at::kLong).to(at::kFloat).view({n, 1});
    const at::Tensor w = at::tensor(wpos, at::kLong).to(at::kFloat).view({n, 1});
    return at::cat({h * invFreq, w * invFreq}, 1); // [N, rotaryDim]
}

at::Tensor VisionEncoder::forward(const at::Tensor& pixelValues, const std::vector<GridThw>& grids,
                                  Trace* trace, const LayerHook* hook) const
{
    const VisionConfig& c = m_config;
    const at::Device device = m_patchEmbed.device();
    const at::ScalarType dtype = m_patchEmbed.scalar_type();
    const int64_t n = pixelValues.size(0);
    const int64_t hidden = c.hiddenSize;
    const int64_t heads = c.numHeads;
    const int64_t headDim = hidden / heads;
    const int64_t unit = c.spatialMergeSize * c.spatialMergeSize;

    int64_t patches = 0;
    for (const auto& [t, h, w] : grids) {
        if (t <= 0 || h % c.spatialMergeSize || w % c.spatialMergeSize)
            throw std::invalid_argument("vision grid (" + std::to_string(t) + ", " + std::to_string(h) + ", "
                                        + std::to_string(w) + ") is not a whole number of merge blocks");
        patches += t * h * w;
    }
    if (patches != n)
        throw std::invalid_argument("pixel_values has " + std::to_string(n) + " rows but the grids describe "
                                    + std::to_string(patches) + " patches");

    const WindowLayout layout = windowLayout(c, grids);
    const at::Tensor windowIndex = at::tensor(layout.windowIndex, at::kLong).to(device);
    const at::Tensor reverseIndex = at::argsort(windowIndex);
    auto toProcessorOrder = [&](const at::Tensor& x) {
        return x.view({n / unit, unit, -1}).index_select(0, reverseIndex).view({n, -1});
    };

    at::Tensor x;
    { // patch embedding: [N, C·T·P·P] -> [N, C, T, P, P] -> conv3d (kernel = stride) -> [N, hidden]
        const at::Tensor pixels = pixelValues.to(device, dtype)
                                      .view({n, c.inChannels, c.temporalPatchSize, c.patchSize, c.patchSize});
        x = at::conv3d(pixels, m_patchEmbed, {}, {c.temporalPatchSize, c.patchSize, c.patchSize}).view({n, hidden});
        if (trace)
            trace->patchEmbed = x;
    }

    at::Tensor cos, sin;
    { // window order for the tokens and their rotary angles; cos/sin [N, 1, headDim] stay float32
        x = x.view({n / unit, unit, hidden}).index_select(0, windowIndex).view({n, hidden});
        const at::Tensor angles = rotaryAngles(grids).to(device);
        const at::Tensor ordered = angles.view({n / unit, unit, -1}).index_select(0, windowIndex).view({n, -1});
        const at::Tensor emb = at::cat({ordered, ordered}, -1).unsqueeze(1);
        cos = emb.cos();
        sin = emb.sin();
    }

    const double eps = 1e-6; // the vision RMSNorms are built with eps 1e-6, not from the config
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        if (hook)
            hook->check();
        const Block& blk = m_blocks[b];
        const bool full = std::find(c.fullattBlockIndexes.begin(), c.fullattBlockIndexes.end(),
                                    static_cast<int64_t>(b))
            != c.fullattBlockIndexes.end();
        const std::vector<int32_t>& bounds = full ? layout.cuSeqlens : layout.cuWindowSeqlens;
        { // attention: [N, hidden] -> qkv [N, 3, heads, headDim] -> per segment -> [N, hidden]
            const at::Tensor y = rmsNorm(x, blk.norm1, eps);
            const at::Tensor qkv = at::linear(y, blk.qkvWeight, blk.qkvBias).view({n, 3, heads, headDim});
            auto rope = [&](const at::Tensor& t) {
                const at::Tensor t32 = t.to(at::kFloat);
                return (t32 * cos + rotateHalf(t32) * sin).to(dtype).transpose(0, 1); // [heads, N, headDim]
            };
            const at::Tensor q = rope(qkv.select(1, 0));
            const at::Tensor k = rope(qkv.select(1, 1));
            const at::Tensor v = qkv.select(1, 2).transpose(0, 1);
            std::vector<at::Tensor> parts;
            for (std::size_t s = 0; s + 1 < bounds.size(); ++s) {
                const int64_t start = bounds[s], len = bounds[s + 1] - bounds[s];
                parts.push_back(attention(q.narrow(1, start, len), k.narrow(1, start, len), v.narrow(1, start, len),
                                          /*causal=*/false));
            }
            const at::Tensor o = at::cat(parts, 1).transpose(0, 1).reshape({n, hidden});
            x = x + at::linear(o, blk.projWeight, blk.projBias);
        }
        { // SwiGLU MLP (all three projections have biases)
            const at::Tensor y = rmsNorm(x, blk.norm2, eps);
            const at::Tensor gate = at::silu(at::linear(y, blk.gateWeight, blk.gateBias));
            x = x + at::linear(gate * at::linear(y, blk.upWeight, blk.upBias), blk.downWeight, blk.downBias);
        }
        if (trace)
            trace->blockOutputs.push_back(toProcessorOrder(x));
        if (hook)
            hook->finished(Stage::Vision, static_cast<int>(b), static_cast<int>(m_blocks.size()));
    }

    { // merger: RMSNorm, 2×2 groups -> [N/4, 4·hidden] -> Linear, GELU (erf), Linear; undo the window order
        const at::Tensor y = rmsNorm(x, m_mergerNorm, eps).view({n / unit, unit * hidden});
        const at::Tensor merged = at::linear(at::gelu(at::linear(y, m_merger0Weight, m_merger0Bias)),
                                             m_merger2Weight, m_merger2Bias);
        return merged.index_select(0, reverseIndex);
    }
}

} // namespace folio::inference
