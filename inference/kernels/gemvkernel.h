#pragma once
// The kernel loops shared by every ISA, written once over an `Ops` type that a gemv_<isa>.cpp
// defines (vector type, loads, multiply-add, horizontal sum). Include only from those files:
// everything here has internal linkage so that code compiled with -mavx512f never becomes the
// copy of an inline function the linker picks for scalar code. Likewise, include no standard
// headers with inline functions in the ISA files.
//
// Each call handles one tile of kRowTile output rows for up to Ops::kMaxRows rows of x: the
// tile's weights are decoded once per vector step and multiplied into MB × kRowTile
// accumulators held in registers. With more rows of x than Ops::kMaxRows the tile is walked
// again for the next rows, from L1/L2 (a tile is 4 rows × K values: ≤ 88 KiB of bf16 at K = 11008).

#include "inference/kernels/gemv.h"
#include "inference/kernels/int4format.h"

#include <cstdint>

// The loops over rows of x, rows of the tile and vectors of a group have compile-time trip
// counts; unrolled, the accumulator arrays become registers (GCC's -O2 leaves them in memory).
#define FOLIO_UNROLL _Pragma("GCC unroll 16")

namespace {

using folio::inference::kernels::Gemv;
using folio::inference::kernels::kRowTile;
namespace int4 = folio::inference::kernels::int4;

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
inline float scalarOf(int8_t v) { return float(v); }

inline int64_t smaller(int64_t a, int64_t b) { return a < b ? a : b; }

// Plain rows (bf16, int8): Ops::WT / XT are the weight and x element types, Ops::kStep values
// per vector step; a K tail shorter than a step is summed in scalar code.
template <class Ops, int MB>
struct PlainTile {
static void run(const Gemv& p, const typename Ops::XT* x, int64_t j, int64_t m0)
{
    using WT = typename Ops::WT;
    const WT* base = static_cast<const WT*>(p.weights);
    const float* scales = static_cast<const float*>(p.scales);
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
            storeOut(p, m0 + m, j + r, scales ? s * scales[j + r] : s);
        }
}
};

// Int4 (int4format.h): one group of 32 values per step; Ops::decode turns a row's 16 bytes and
// f16 scale into an Ops::Group, and Ops::maddGroup multiplies it into an accumulator with the
// group's 32 x values (default: Ops::kGroupVecs vectors of d · (q − 8), one multiply-add each).
template <class Ops>
inline typename Ops::Acc groupMadd(typename Ops::Acc acc, const typename Ops::XT* xg, const typename Ops::Group& wg)
{
    if constexpr (requires { Ops::maddGroup(acc, xg, wg); }) {
        return Ops::maddGroup(acc, xg, wg);
    } else {
        FOLIO_UNROLL for (int v = 0; v < Ops::kGroupVecs; ++v)
            acc = Ops::madd(acc, Ops::loadX(xg + v * Ops::kStep), wg.v[v]);
        return acc;
    }
}

// With more than 4 rows of x (Ops::kMaxRows up to 8) the tile's rows are taken in passes of
// RB = 2, so MB × RB accumulators still fit the registers and each row's groups are decoded once
// for all MB rows of x; the second pass reads the tile's cache lines again from L1/L2.
template <class Ops, int MB>
struct Int4Tile {
static constexpr int RB = MB <= 4 ? int(kRowTile) : 2;
static void run(const Gemv& p, const typename Ops::XT* x, int64_t j, int64_t m0)
{
    const int64_t groups = int4::groups(p.k);
    const uint8_t* nib = static_cast<const uint8_t*>(p.weights) + int4::rowNibbleOffset(j, p.k);
    const uint16_t* sc = static_cast<const uint16_t*>(p.scales) + int4::rowScaleOffset(j, p.k);
    for (int r0 = 0; r0 < kRowTile && j + r0 < p.n; r0 += RB) {
        typename Ops::Acc acc[MB][RB];
        FOLIO_UNROLL for (int m = 0; m < MB; ++m)
            FOLIO_UNROLL for (int r = 0; r < RB; ++r)
                acc[m][r] = Ops::zero();
        for (int64_t g = 0; g < groups; ++g)
            FOLIO_UNROLL for (int r = 0; r < RB; ++r) {
                typename Ops::Group wg;
                Ops::decode(nib + (g * kRowTile + r0 + r) * 16, sc[g * kRowTile + r0 + r], wg);
                FOLIO_UNROLL for (int m = 0; m < MB; ++m)
                    acc[m][r] = groupMadd<Ops>(acc[m][r], x + (m0 + m) * p.ldx + g * int4::kGroup, wg);
            }
        FOLIO_UNROLL for (int m = 0; m < MB; ++m)
            for (int r = 0; r < RB && j + r0 + r < p.n; ++r)
                storeOut(p, m0 + m, j + r0 + r, Ops::sum(acc[m][r]));
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

// Walks tiles [n0, n1), each over all rows of x in groups of up to Ops::kMaxRows.
template <class Ops, template <class, int> class Tile, class XT>
void runTiles(const Gemv& p, const XT* x, int64_t n0, int64_t n1)
{
    for (int64_t j = n0; j < n1; j += kRowTile)
        for (int64_t m0 = 0; m0 < p.m; m0 += Ops::kMaxRows)
            tileRows<Ops, Tile, Ops::kMaxRows>(p, x, j, m0, smaller(Ops::kMaxRows, p.m - m0));
}

} // namespace
