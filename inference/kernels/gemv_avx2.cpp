// AVX2 + FMA + F16C kernels: bf16 weights widened to f32 in registers (8 lanes), f32 FMA; int8
// and int4 weights with integer dot products against quantized x (quantops_avx2.h).
#include "inference/kernels/gemvkernel.h"
#include "inference/kernels/quantops_avx2.h"

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

} // namespace

void gemvAvx2(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Avx2Int8Quant, QuantTile>(p, p.xq, n0, n1);
    case Format::Int4: return runTiles<Avx2Int4Quant, QuantTile>(p, p.xq, n0, n1);
    }
}

} // namespace folio::inference::kernels
