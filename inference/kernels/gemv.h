#pragma once
// Matrix × few vectors for packed weights: y[m, j] = Σ_k x[m, k] · W[j, k] for m < M ≤ 16 and
// every output row j, f32 accumulation. Bf16 weights multiply x as given (f32, or bf16 for
// vdpbf16ps); int8 and int4 weights multiply x quantized to int8 blocks (actquant.h) with
// integer dot products, exact within a block, and f32 sums of the scaled blocks: the same maths
// on every path, so that decode reads the weights at memory speed instead of being held back by
// widening them to float. The weights are read from memory once per call however
// many rows x has: each tile of kRowTile output rows is decoded once per group of x rows and stays
// in L1/L2 for the other groups, so the memory traffic of a call does not grow with M (the
// arithmetic does: int4 decode and the multiply-adds make M = 8 compute-bound on two cores).
//
// Threading: one at::parallel_for over tiles of output rows per call, i.e. one OpenMP region in
// ATen's already-running pool, no thread start per call. A pool of our own was not built: what
// was measured to matter is the number of regions per call: under load, a second region (an ATen
// conversion of the output large enough to go parallel) cost ~25 ms per call at [11008, 2048]
// with M >= 3, so bias, output rounding and x padding are done inside / around the one region.

#include <cstdint>

namespace folio::inference::kernels {

enum class Isa; // isa.h (not included: the ISA-specific files include this header)

enum class Format {
    Bf16, // weights: uint16 bf16 [n][k]
    Int8, // weights / scales: the int8format.h layout
    Int4, // weights / scales: the int4format.h layout
};

// Output rows handled together by one pass over K for bf16 weights (int8 and int4 weights come
// in tiles of 16 rows, int8format.h / int4format.h).
constexpr int64_t kRowTile = 4;
// x rows are padded with zeros to a multiple of this many values (int4 reads whole groups).
constexpr int64_t kXPad = 64;
constexpr int64_t paddedK(int64_t k) { return (k + kXPad - 1) / kXPad * kXPad; }

struct Gemv {
    Format format = Format::Bf16;
    const void* weights = nullptr;
    const void* scales = nullptr;
    int64_t n = 0, k = 0;
    // x [m][ldx] f32, ldx >= paddedK(k), zeros from k on (bf16 weights).
    const float* x = nullptr;
    int64_t ldx = 0;
    // The same x in bf16, when x was bf16 to begin with (so rounding it loses nothing): lets the
    // AVX512-BF16 kernels use vdpbf16ps. Null otherwise.
    const uint16_t* xBf16 = nullptr;
    // Int8 / int4 weights: x quantized by quantizeActivations (actquant.h) with this ldx:
    // qx [m][ldx], and per block of 32 the scale and the int4 offset −8 · Σ qx, [m][ldx / 32].
    const int8_t* xq = nullptr;
    const float* xqScale = nullptr;
    const int32_t* xqOffset = nullptr;
    int64_t m = 0;
    // Optional f32 bias [n], added before the output is stored.
    const float* bias = nullptr;
    // The output [m][ldy]: f32 in y, or rounded to bf16 (nearest even) in yBf16 when set. Bias
    // and rounding happen in the kernel, so a call is one parallel region: on a loaded machine
    // each extra region (an ATen conversion of y big enough to go parallel) can cost a whole
    // scheduling slice waiting for the other thread.
    float* y = nullptr;
    uint16_t* yBf16 = nullptr;
    int64_t ldy = 0;
};

// Runs p on `isa` (which the CPU must support), threaded.
void gemv(Isa isa, const Gemv& p);

// Rows per tile of a format: kRowTile for bf16, 16 for int8 and int4.
int64_t rowTile(Format format);

// The per-ISA kernels, for output rows [n0, n1) with n0 a multiple of rowTile(p.format);
// single-threaded.
// Defined in gemv_<isa>.cpp, compiled for that ISA only.
void gemvScalar(const Gemv& p, int64_t n0, int64_t n1);
void gemvAvx2(const Gemv& p, int64_t n0, int64_t n1);
void gemvAvx512(const Gemv& p, int64_t n0, int64_t n1);
void gemvAvx512Bf16(const Gemv& p, int64_t n0, int64_t n1); // bf16 weights: needs p.xBf16

} // namespace folio::inference::kernels
