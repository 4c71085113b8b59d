// AVX512-BF16 kernels for bf16 x: vdpbf16ps multiplies 32 bf16 pairs into 16 f32 sums, twice the
// work of an f32 FMA per instruction. Exact products for bf16 weights and for int8 weights (every
// int8 value is a bf16), f32 accumulation. Int4 weights: d · (q − 8) does not fit a bf16 in
// general, but the level q − 8 (−8…7) does, so a group is Σ (q − 8) · x by vdpbf16ps, exact
// products, and d multiplies the group's 16 partial sums once: one rounding more per group than
// summing d · (q − 8) · x, within the (K + 2) · u accumulation bound (a group of 32 contributes
// ≤ 32 roundings, its scale 1, the sum over groups G − 1 ≤ K / 32). Fewer instructions per weight
// than widening to f32 (one table lookup turns 32 nibbles into bf16 levels), which is what made
// the f32 int4 kernel compute-bound.
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

struct Int8Rows : DotBf16Ops {
    using WT = int8_t;
    static __m512bh loadW(const int8_t* p)
    {
        const __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
        const __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16))));
        return _mm512_cvtne2ps_pbh(hi, lo);
    }
};

constexpr uint16_t bf16Bits(int v) { return uint16_t(__builtin_bit_cast(uint32_t, float(v)) >> 16); }

struct Int4Groups : DotBf16Ops {
    static constexpr int kMaxRows = 8; // in passes of 2 tile rows (Int4Tile)
    struct Group {
        __m512bh w;
        __m512 d;
    };
    // bf16 bit patterns of q − 8 for q = 0…15 (vpermw looks up 32 entries; the upper 16 unused).
    alignas(64) static constexpr uint16_t kLevels[32] = {
        bf16Bits(-8), bf16Bits(-7), bf16Bits(-6), bf16Bits(-5), bf16Bits(-4), bf16Bits(-3), bf16Bits(-2), bf16Bits(-1),
        bf16Bits(0),  bf16Bits(1),  bf16Bits(2),  bf16Bits(3),  bf16Bits(4),  bf16Bits(5),  bf16Bits(6),  bf16Bits(7),
    };
    static void decode(const uint8_t* bytes, uint16_t scale, Group& g)
    {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
        const __m128i mask = _mm_set1_epi8(15);
        // Values 0…15 of the group are the low nibbles, 16…31 the high ones (int4format.h).
        const __m256i q = _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(b, 4), mask), _mm_and_si128(b, mask));
        const __m512i levels = _mm512_load_si512(kLevels);
        g.w = (__m512bh)_mm512_permutexvar_epi16(_mm512_cvtepu8_epi16(q), levels);
        g.d = _mm512_set1_ps(_cvtsh_ss(scale));
    }
    static __m512 maddGroup(__m512 acc, const uint16_t* xg, const Group& g)
    {
        return _mm512_fmadd_ps(_mm512_dpbf16_ps(_mm512_setzero_ps(), loadX(xg), g.w), g.d, acc);
    }
};

} // namespace

void gemvAvx512Bf16(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.xBf16, n0, n1);
    case Format::Int8: return runTiles<Int8Rows, PlainTile>(p, p.xBf16, n0, n1);
    case Format::Int4: return runTiles<Int4Groups, Int4Tile>(p, p.xBf16, n0, n1);
    }
}

} // namespace folio::inference::kernels

namespace folio::inference::kernels {

void dequantizeInt4Bf16Avx512Bf16(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1,
                                  uint16_t* out)
{
    const int64_t groups = int4::groups(k);
    for (int64_t j = n0; j < n1; ++j) {
        const uint8_t* nib = nibbles + int4::rowNibbleOffset(j, k);
        const uint16_t* sc = scales + int4::rowScaleOffset(j, k);
        uint16_t* o = out + (j - n0) * k;
        for (int64_t g = 0; g < groups; ++g) {
            Int4Groups::Group wg;
            Int4Groups::decode(nib + g * int4::kTile * 16, sc[g * int4::kTile], wg);
            // The levels back to f32 (a shift), d · (q − 8) exact in f32, rounded once to bf16.
            const __m512i levels = (__m512i)wg.w;
            const __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(levels)), 16));
            const __m512 hi = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(levels, 1)), 16));
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_mul_ps(hi, wg.d), _mm512_mul_ps(lo, wg.d));
            const int64_t count = smaller(int4::kGroup, k - g * int4::kGroup);
            const __mmask32 mask = count == int4::kGroup ? ~__mmask32(0) : (__mmask32(1) << count) - 1;
            _mm512_mask_storeu_epi16(o + g * int4::kGroup, mask, (__m512i)v);
        }
    }
}

void dequantizeInt8Bf16Avx512Bf16(const int8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* out)
{
    for (int64_t j = n0; j < n1; ++j) {
        const int8_t* row = q + j * k;
        const __m512 s = _mm512_set1_ps(scales[j]);
        uint16_t* o = out + (j - n0) * k;
        for (int64_t i = 0; i < k; i += 32) {
            const int64_t count = smaller(32, k - i);
            const __mmask32 mask = count == 32 ? ~__mmask32(0) : (__mmask32(1) << count) - 1;
            const __m256i b = _mm256_maskz_loadu_epi8(mask, row + i);
            const __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_castsi256_si128(b)));
            const __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_extracti128_si256(b, 1)));
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_mul_ps(hi, s), _mm512_mul_ps(lo, s));
            _mm512_mask_storeu_epi16(o + i, mask, (__m512i)v);
        }
    }
}

} // namespace folio::inference::kernels
