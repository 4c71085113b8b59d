#pragma once
// The kernel loops shared by every ISA, written once over an `Ops` type that a gemv_<isa>.cpp
// defines (vector type, loads, multiply-add, horizontal sum). Include only from those files:
// everything here has internal linkage so that code compiled with -mavx512f never becomes the
// copy of an inline function the linker picks for scalar code. Likewise, include no standard
// headers with inline functions in the ISA files.
//
// Each call handles one tile of kRowTile output rows for up to Ops::kMaxRows rows of x: the
// tile's weights are decoded once per vector step (or block) and multiplied into accumulators
// held in registers. With more rows of x than Ops::kMaxRows the tile is walked
// again for the next rows, from L1/L2 (a tile is 4 rows × K values: ≤ 88 KiB of bf16 at K = 11008).

#include "inference/kernels/actquant.h"
#include "inference/kernels/gemv.h"
#include "inference/kernels/int4format.h"
#include "inference/kernels/int8format.h"

#include <cstdint>

// The loops over rows of x, rows of the tile and vectors of a group have compile-time trip
// counts; unrolled, the accumulator arrays become registers (GCC's -O2 leaves them in memory).
#define FOLIO_UNROLL _Pragma("GCC unroll 16")

namespace {

using folio::inference::kernels::Gemv;
using folio::inference::kernels::kRowTile;
namespace int4 = folio::inference::kernels::int4;
namespace int8 = folio::inference::kernels::int8;

inline float bf16Value(uint16_t b)
{
    const uint32_t u = uint32_t(b) << 16;
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

// Bias, then the output in its dtype.
inline void storeOut(const Gemv& p, int64_t m, int64_t j, float v)
{
    if (p.bias)
        v += p.bias[j];
    if (!p.yBf16) {
        p.y[m * p.ldy + j] = v;
        return;
    }
    uint32_t u;
    __builtin_memcpy(&u, &v, sizeof u);
    const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
    p.yBf16[m * p.ldy + j] = nan ? uint16_t((u >> 16) | 0x40) : uint16_t((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

inline float scalarOf(float v) { return v; }
inline float scalarOf(uint16_t v) { return bf16Value(v); }

inline int64_t smaller(int64_t a, int64_t b) { return a < b ? a : b; }

// Bf16 rows: Ops::WT / XT are the weight and x element types, Ops::kStep values
// per vector step; a K tail shorter than a step is summed in scalar code.
template <class Ops, int MB>
struct PlainTile {
static constexpr int64_t kRows = kRowTile;
static void run(const Gemv& p, const typename Ops::XT* x, int64_t j, int64_t m0)
{
    using WT = typename Ops::WT;
    const WT* base = static_cast<const WT*>(p.weights);
    const WT* w[kRowTile];
    for (int r = 0; r < kRowTile; ++r)
        w[r] = base + smaller(j + r, p.n - 1) * p.k; // rows past n: computed, never stored
    typename Ops::Acc acc[MB][kRowTile];
    FOLIO_UNROLL for (int m = 0; m < MB; ++m)
        FOLIO_UNROLL for (int r = 0; r < kRowTile; ++r)
            acc[m][r] = Ops::zero();
    const int64_t kv = p.k - p.k % Ops::kStep;
    for (int64_t kk = 0; kk < kv; kk += Ops::kStep)
        FOLIO_UNROLL for (int r = 0; r < kRowTile; ++r) {
            const auto wv = Ops::loadW(w[r] + kk);
            FOLIO_UNROLL for (int m = 0; m < MB; ++m)
                acc[m][r] = Ops::madd(acc[m][r], Ops::loadX(x + (m0 + m) * p.ldx + kk), wv);
        }
    FOLIO_UNROLL for (int m = 0; m < MB; ++m)
        for (int r = 0; r < kRowTile && j + r < p.n; ++r) {
            float s = Ops::sum(acc[m][r]);
            const auto* xr = x + (m0 + m) * p.ldx;
            for (int64_t kk = kv; kk < p.k; ++kk)
                s += scalarOf(w[r][kk]) * scalarOf(xr[kk]);
            storeOut(p, m0 + m, j + r, s);
        }
}
};

// Int8 / int4 weights × x quantized in blocks of 32 (actquant.h; kActBlock = int4::kGroup, so
// one int4 group meets one x block). Per tile of Ops::kRows output rows and block b:
//   Ops::W     the tile's weights for block b, loaded once for all rows of x by
//              Ops::load(p, j, b, W&) (addresses from the helpers below);
//   Ops::Acc   the tile rows' running f32 sums for one row of x (Ops::zero());
//   Ops::madd(Acc, const W&, const int8_t* qx, float dx, int32_t offset) -> Acc adds
//              dx · d_r · Σ_i w_ri · qx_i, the integer dot exact, for every tile row r
//              (int4: d_r the group's scale and w = q − 8; int8: d_r = 1, the row scale comes
//              last); offset is −8 · Σ qx, for kernels that take the levels unsigned;
//   Ops::sums(const Acc&, float out[Ops::kRows]).
// Each row of x goes through the same operations whatever M is, so a row's result does not
// depend on the rows beside it (speculative verification relies on that).
inline const uint8_t* int4Group(const Gemv& p, int64_t j, int64_t b)
{
    return static_cast<const uint8_t*>(p.weights) + int4::groupOffset(j, b, p.k);
}
inline const uint16_t* int4Scales(const Gemv& p, int64_t j, int64_t b)
{
    return static_cast<const uint16_t*>(p.scales) + int4::scaleIndex(j, b, p.k);
}
// Block b of the int8 tile holding row j: 512 bytes (int8format.h).
inline const uint8_t* int8Block(const Gemv& p, int64_t j, int64_t b)
{
    return static_cast<const uint8_t*>(p.weights) + int8::blockOffset(j, b, p.k);
}

static_assert(folio::inference::kernels::kActBlock == int4::kGroup && int8::kBlock == int4::kGroup,
              "one x block per int4 group and int8 block");

template <class Ops, int MB>
struct QuantTile {
static constexpr int64_t kRows = Ops::kRows;
static void run(const Gemv& p, const int8_t* qx, int64_t j, int64_t m0)
{
    const int64_t blocks = int4::groups(p.k);
    const int64_t ldb = p.ldx / int4::kGroup;
    const bool int4 = p.format == folio::inference::kernels::Format::Int4;
    typename Ops::Acc acc[MB];
    FOLIO_UNROLL for (int m = 0; m < MB; ++m)
        acc[m] = Ops::zero();
    for (int64_t b = 0; b < blocks; ++b) {
        typename Ops::W w;
        Ops::load(p, j, b, w);
        FOLIO_UNROLL for (int m = 0; m < MB; ++m) {
            const int64_t row = m0 + m;
            acc[m] = Ops::madd(acc[m], w, qx + row * p.ldx + b * int4::kGroup, p.xqScale[row * ldb + b], p.xqOffset[row * ldb + b]);
        }
    }
    const float* rowScales = int4 ? nullptr : static_cast<const float*>(p.scales);
    FOLIO_UNROLL for (int m = 0; m < MB; ++m) {
        float s[kRows];
        Ops::sums(acc[m], s);
        for (int r = 0; r < kRows && j + r < p.n; ++r)
            storeOut(p, m0 + m, j + r, rowScales ? s[r] * rowScales[j + r] : s[r]);
    }
}
};

// The tile kernel for mb rows of x (1 ≤ mb ≤ MB), one instantiation per size so that the
// accumulators stay in registers.
template <class Ops, template <class, int> class Tile, int MB, class XT>
void tileRows(const Gemv& p, const XT* x, int64_t j, int64_t m0, int64_t mb)
{
    if constexpr (MB > 1) {
        if (mb < MB)
            return tileRows<Ops, Tile, MB - 1>(p, x, j, m0, mb);
    }
    Tile<Ops, MB>::run(p, x, j, m0);
}

// Walks tiles [n0, n1) (n0 a multiple of the tile's rows), each over all rows of x in groups of
// up to Ops::kMaxRows.
template <class Ops, template <class, int> class Tile, class XT>
void runTiles(const Gemv& p, const XT* x, int64_t n0, int64_t n1)
{
    for (int64_t j = n0; j < n1; j += Tile<Ops, 1>::kRows)
        for (int64_t m0 = 0; m0 < p.m; m0 += Ops::kMaxRows)
            tileRows<Ops, Tile, Ops::kMaxRows>(p, x, j, m0, smaller(Ops::kMaxRows, p.m - m0));
}

} // namespace
