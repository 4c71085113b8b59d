// AVX2 + FMA + F16C kernels: weights widened to f32 in registers (8 lanes), f32 FMA.
// Two rows of x per pass: 2 × 4 accumulators + 4 decoded int4 vectors + x fit the 16 ymm registers.
#include "inference/kernels/gemvkernel.h"

#include <immintrin.h>

namespace folio::inference::kernels {

namespace {

struct Avx2Ops {
    using Acc = __m256;
    using XT = float;
    static constexpr int kStep = 8;
    static constexpr int kMaxRows = 2;
    static __m256 zero() { return _mm256_setzero_ps(); }
    static __m256 loadX(const float* p) { return _mm256_loadu_ps(p); }
    static __m256 madd(__m256 acc, __m256 x, __m256 w) { return _mm256_fmadd_ps(x, w, acc); }
    static float sum(__m256 a)
    {
        __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
        s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        s = _mm_add_ss(s, _mm_movehdup_ps(s));
        return _mm_cvtss_f32(s);
    }
};

struct Bf16Rows : Avx2Ops {
    using WT = uint16_t;
    static __m256 loadW(const uint16_t* p)
    {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    }
};

struct Int8Rows : Avx2Ops {
    using WT = int8_t;
    static __m256 loadW(const int8_t* p)
    {
        return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
    }
};

struct Int4Groups : Avx2Ops {
    static constexpr int kGroupVecs = 4;
    struct Group {
        __m256 v[4];
    };
    static void decode(const uint8_t* bytes, uint16_t scale, Group& g)
    {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
        const __m128i mask = _mm_set1_epi8(15);
        const __m128i lo = _mm_and_si128(b, mask);
        const __m128i hi = _mm_and_si128(_mm_srli_epi16(b, 4), mask);
        const __m256 d = _mm256_set1_ps(_cvtsh_ss(scale));
        const __m256 offset = _mm256_mul_ps(d, _mm256_set1_ps(-8.0f));
        // d · q − 8d is exact: d has 11 significant bits, q 4.
        g.v[0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(lo)), d, offset);
        g.v[1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8))), d, offset);
        g.v[2] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(hi)), d, offset);
        g.v[3] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8))), d, offset);
    }
};

} // namespace

void gemvAvx2(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Int8Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int4: return runTiles<Int4Groups, Int4Tile>(p, p.x, n0, n1);
    }
}

} // namespace folio::inference::kernels
