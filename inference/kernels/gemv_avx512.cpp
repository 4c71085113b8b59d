// AVX512 F/BW/VL kernels: weights widened to f32 in registers (16 lanes), f32 FMA, four rows of x
// per pass (16 accumulators of the 32 zmm registers).
//
// Not VNNI (vpdpbusd): it needs x quantized to int8, which costs accuracy on the activations'
// outliers (absmax scaling of a row with one large value zeroes the small ones); decode at M = 1
// is bound by memory, not by these multiply-adds, and several rows of x on an AVX512-BF16 CPU go
// through vdpbf16ps instead (gemv_avx512bf16.cpp), which is exact for int8 weights.
#include "inference/kernels/gemvkernel.h"

#include <immintrin.h>

namespace folio::inference::kernels {

namespace {

struct Avx512Ops {
    using Acc = __m512;
    using XT = float;
    static constexpr int kStep = 16;
    static constexpr int kMaxRows = 4;
    static __m512 zero() { return _mm512_setzero_ps(); }
    static __m512 loadX(const float* p) { return _mm512_loadu_ps(p); }
    static __m512 madd(__m512 acc, __m512 x, __m512 w) { return _mm512_fmadd_ps(x, w, acc); }
    static float sum(__m512 a) { return _mm512_reduce_add_ps(a); }
};

struct Bf16Rows : Avx512Ops {
    using WT = uint16_t;
    static __m512 loadW(const uint16_t* p)
    {
        const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
};

struct Int8Rows : Avx512Ops {
    using WT = int8_t;
    static __m512 loadW(const int8_t* p)
    {
        return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    }
};

struct Int4Groups : Avx512Ops {
    static constexpr int kGroupVecs = 2;
    struct Group {
        __m512 v[2];
    };
    static void decode(const uint8_t* bytes, uint16_t scale, Group& g)
    {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
        const __m128i mask = _mm_set1_epi8(15);
        const __m512 d = _mm512_set1_ps(_cvtsh_ss(scale));
        const __m512 offset = _mm512_mul_ps(d, _mm512_set1_ps(-8.0f));
        // d · q − 8d is exact: d has 11 significant bits, q 4.
        g.v[0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(b, mask))), d, offset);
        g.v[1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(b, 4), mask))), d,
                                 offset);
    }
};

} // namespace

void gemvAvx512(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Int8Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int4: return runTiles<Int4Groups, Int4Tile>(p, p.x, n0, n1);
    }
}

} // namespace folio::inference::kernels
