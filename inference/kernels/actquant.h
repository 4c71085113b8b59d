#pragma once
// Activations (rows of x) quantized to int8 for the int8 / int4 weight kernels, in blocks of
// kActBlock = 32 values along K, one f32 scale each: dx = max|x| / 127 over the block,
// qx = x / dx rounded (halves away from zero) in −127…127, so |dx · qx − x| ≤ dx / 2 (up to f32 rounding). Why: the integer dot products (vpdpbusd, vpmaddubsw) take 4–8× fewer instructions
// per weight than widening weights to float, which is what kept the int4 / int8 decode kernels
// below the memory bandwidth. Why blocks of 32: an activation row of Qwen2.5 holds a few
// channels hundreds of times larger than the rest; one scale per row would round the small
// ones to zero, a block's scale only spreads an outlier's coarseness over its own 31 neighbours.
// (The same choice as llama.cpp's Q8_0 activations; our layout and code are our own.)
//
// Declarations only, so the ISA files may include it.

#include <cstdint>

namespace folio::inference::kernels {

constexpr int64_t kActBlock = 32;

// Rows [0, m) of x [m][k] (f32, or bf16 bits when `bf16`), into
//   qx    [m][ldx]           int8, zeros from k on (ldx a multiple of kActBlock, ≥ k);
//   scale [m][ldx / 32]      dx per block (0 for an all-zero block, NaN if the block holds a
//                            non-finite value: the output then shows the broken input);
//   offset [m][ldx / 32]     −8 · Σ qx over the block: what Σ (q − 8) · qx needs added to
//                            Σ q · qx, for the int4 kernels that take the levels q unsigned.
void quantizeActivations(const void* x, bool bf16, int64_t m, int64_t k, int64_t ldx, int8_t* qx, float* scale,
                         int32_t* offset);

} // namespace folio::inference::kernels
