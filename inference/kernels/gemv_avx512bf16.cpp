// AVX512-BF16 + VNNI kernels. Bf16 weights × bf16 x: vdpbf16ps multiplies 32 bf16 pairs into 16
// f32 sums, exact products, f32 accumulation. Int8 / int4 weights × quantized x (actquant.h):
// vpdpbusd multiplies 64 unsigned by 64 signed bytes into 16 int32 sums of 4, one instruction
// per 64 weights, so that decode is bound by reading the weights, not by decoding them (widening
// int4 to bf16 levels with a table lookup took ~11 instructions per 32 weights and streamed 12.5
// GB/s against a 31 GB/s read floor).
//
// Int4: 16-row tiles, one int32 lane per row (int4format.h); levels go in unsigned (q, not
// q − 8) with −8 · Σ qx (actquant.h's offset) as every lane's starting sum.
// Int8: the same tiles and steps, the weights stored unsigned (q + 128) with −128 · Σ qx.
#include "inference/kernels/gemvkernel.h"
#include "inference/kernels/quantize.h"

#include <immintrin.h>

namespace folio::inference::kernels {

namespace {

struct DotBf16Ops {
    using Acc = __m512;
    using XT = uint16_t;
    static constexpr int kStep = 32;
    static constexpr int kMaxRows = 4;
    static __m512 zero() { return _mm512_setzero_ps(); }
    static __m512bh loadX(const uint16_t* p) { return (__m512bh)_mm512_loadu_si512(p); }
    static __m512 madd(__m512 acc, __m512bh x, __m512bh w) { return _mm512_dpbf16_ps(acc, x, w); }
    static float sum(__m512 a) { return _mm512_reduce_add_ps(a); }
};

struct Bf16Rows : DotBf16Ops {
    using WT = uint16_t;
    static __m512bh loadW(const uint16_t* p) { return (__m512bh)_mm512_loadu_si512(p); }
};

constexpr uint16_t bf16Bits(int v) { return uint16_t(__builtin_bit_cast(uint32_t, float(v)) >> 16); }

// The bf16 levels q − 8 of one int4 group (prefill's bf16 tiles, dequantizeInt4Bf16Avx512Bf16).
struct Int4Levels {
    // bf16 bit patterns of q − 8 for q = 0…15 (vpermw looks up 32 entries; the upper 16 unused).
    alignas(64) static constexpr uint16_t kLevels[32] = {
        bf16Bits(-8), bf16Bits(-7), bf16Bits(-6), bf16Bits(-5), bf16Bits(-4), bf16Bits(-3), bf16Bits(-2), bf16Bits(-1),
        bf16Bits(0),  bf16Bits(1),  bf16Bits(2),  bf16Bits(3),  bf16Bits(4),  bf16Bits(5),  bf16Bits(6),  bf16Bits(7),
    };
    // Row i's 32 levels from the group's 256 bytes: its 4 bytes in each 64-byte chunk h hold
    // values 8h…8h+3 (low nibbles) and 8h+4…8h+7 (high).
    static __m512i decode(const uint8_t* group, int64_t i)
    {
        int32_t d[4];
        for (int h = 0; h < 4; ++h)
            __builtin_memcpy(&d[h], group + h * 64 + i * 4, sizeof d[h]);
        const __m128i b = _mm_set_epi32(d[3], d[2], d[1], d[0]);
        const __m128i mask = _mm_set1_epi8(15);
        const __m128i lo = _mm_and_si128(b, mask), hi = _mm_and_si128(_mm_srli_epi16(b, 4), mask);
        const __m256i q = _mm256_set_m128i(_mm_unpackhi_epi32(lo, hi), _mm_unpacklo_epi32(lo, hi));
        return _mm512_permutexvar_epi16(_mm512_cvtepu8_epi16(q), _mm512_load_si512(kLevels));
    }
};

// acc + Σ of 4 products u8 w × s8 x per lane, x's 4 bytes at `x` broadcast to every lane. Written
// in asm for the {1to16} memory operand: from _mm512_set1_epi32 GCC 12 emits a separate
// vpbroadcastd per step, which doubled the instructions of a multi-row int4 step.
__m512i dpbusdBroadcast(__m512i acc, __m512i w, const int8_t* x)
{
    __asm__("vpdpbusd %2%{1to16%}, %1, %0" : "+v"(acc) : "v"(w), "m"(*reinterpret_cast<const int32_t*>(x)));
    return acc;
}

// Int4, 16-row tiles (int4format.h): lane i = row i of the tile; a step's 4 bytes of x broadcast
// to every lane (the {1to16} operand of vpdpbusd), so 8 steps make the group's 16 row sums, and
// converting, scaling and accumulating them is one vector each for all 16 rows.
struct Int4Quant {
    static constexpr int kRows = int(int4::kTile);
    static constexpr int kMaxRows = 16; // 16 accumulators + the group's 9 registers fit the 32
    using Acc = __m512;
    struct W {
        __m512i q[8]; // step s: values 4s…4s+3 of the 16 rows, unsigned nibbles
        __m512 d;     // the rows' scales
    };
    static __m512 zero() { return _mm512_setzero_ps(); }
    static void load(const Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* group = int4Group(p, j, b);
        const __m512i mask = _mm512_set1_epi8(15);
        FOLIO_UNROLL for (int h = 0; h < 4; ++h) {
            const __m512i bytes = _mm512_loadu_si512(group + h * 64);
            w.q[2 * h] = _mm512_and_si512(bytes, mask);
            w.q[2 * h + 1] = _mm512_and_si512(_mm512_srli_epi16(bytes, 4), mask);
        }
        w.d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(int4Scales(p, j, b))));
    }
    static __m512 madd(__m512 acc, const W& w, const int8_t* qx, float dx, int32_t offset)
    {
        __m512i dot = _mm512_set1_epi32(offset);
        FOLIO_UNROLL for (int s = 0; s < 8; ++s)
            dot = dpbusdBroadcast(dot, w.q[s], qx + 4 * s);
        return _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(w.d, _mm512_set1_ps(dx)), acc);
    }
    static void sums(__m512 acc, float* out) { _mm512_storeu_ps(out, acc); }
};

// Int8, 16-row tiles like int4's (int8format.h): 8 loads per block and no unpacking; the stored
// q + 128 against signed x, −128 · Σ qx (16 × int4's offset) as every lane's starting sum. The row
// scale is one per row, so a block's float work is a convert and one multiply-add by dx.
struct Int8Quant {
    static constexpr int kRows = int(int8::kTile);
    static constexpr int kMaxRows = 16; // 16 accumulators + the block's 8 registers fit the 32
    using Acc = __m512;
    struct W {
        __m512i q[8]; // step s: values 4s…4s+3 of the 16 rows, q + 128
    };
    static __m512 zero() { return _mm512_setzero_ps(); }
    static void load(const Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* block = int8Block(p, j, b);
        FOLIO_UNROLL for (int s = 0; s < 8; ++s)
            w.q[s] = _mm512_loadu_si512(block + s * 64);
    }
    static __m512 madd(__m512 acc, const W& w, const int8_t* qx, float dx, int32_t offset)
    {
        __m512i dot = _mm512_set1_epi32(offset * 16);
        FOLIO_UNROLL for (int s = 0; s < 8; ++s)
            dot = dpbusdBroadcast(dot, w.q[s], qx + 4 * s);
        return _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_set1_ps(dx), acc);
    }
    static void sums(__m512 acc, float* out) { _mm512_storeu_ps(out, acc); }
};

} // namespace

void gemvAvx512Bf16(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.xBf16, n0, n1);
    case Format::Int8: return runTiles<Int8Quant, QuantTile>(p, p.xq, n0, n1);
    case Format::Int4: return runTiles<Int4Quant, QuantTile>(p, p.xq, n0, n1);
    }
}

} // namespace folio::inference::kernels

namespace folio::inference::kernels {

void dequantizeInt4Bf16Avx512Bf16(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1,
                                  uint16_t* out)
{
    const int64_t groups = int4::groups(k);
    for (int64_t j = n0; j < n1; ++j) {
        uint16_t* o = out + (j - n0) * k;
        for (int64_t g = 0; g < groups; ++g) {
            const __m512i levels = Int4Levels::decode(nibbles + int4::groupOffset(j, g, k), j % int4::kTile);
            const __m512 d = _mm512_set1_ps(_cvtsh_ss(scales[int4::scaleIndex(j, g, k)]));
            // The levels back to f32 (a shift), d · (q − 8) exact in f32, rounded once to bf16.
            const __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(levels)), 16));
            const __m512 hi = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(levels, 1)), 16));
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_mul_ps(hi, d), _mm512_mul_ps(lo, d));
            const int64_t count = smaller(int4::kGroup, k - g * int4::kGroup);
            const __mmask32 mask = count == int4::kGroup ? ~__mmask32(0) : (__mmask32(1) << count) - 1;
            _mm512_mask_storeu_epi16(o + g * int4::kGroup, mask, (__m512i)v);
        }
    }
}

void dequantizeInt8Bf16Avx512Bf16(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* out)
{
    const int64_t blocks = int8::blocks(k);
    // Row i's 4 bytes in each of the block's 8 chunks of 64.
    const __m256i chunks = _mm256_setr_epi32(0, 64, 128, 192, 256, 320, 384, 448);
    for (int64_t j = n0; j < n1; ++j) {
        const __m512 s = _mm512_set1_ps(scales[j]);
        uint16_t* o = out + (j - n0) * k;
        for (int64_t g = 0; g < blocks; ++g) {
            const uint8_t* row = q + int8::blockOffset(j, g, k) + (j % int8::kTile) * 4;
            const __m256i b = _mm256_xor_si256(_mm256_i32gather_epi32(reinterpret_cast<const int*>(row), chunks, 1),
                                               _mm256_set1_epi8(char(0x80))); // q + 128 -> q
            const __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_castsi256_si128(b)));
            const __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_extracti128_si256(b, 1)));
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_mul_ps(hi, s), _mm512_mul_ps(lo, s));
            const int64_t count = smaller(int8::kBlock, k - g * int8::kBlock);
            const __mmask32 mask = count == int8::kBlock ? ~__mmask32(0) : (__mmask32(1) << count) - 1;
            _mm512_mask_storeu_epi16(o + g * int8::kBlock, mask, (__m512i)v);
        }
    }
}

} // namespace folio::inference::kernels
