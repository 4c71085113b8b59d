// AVX512-BF16 kernels for bf16 x: vdpbf16ps multiplies 32 bf16 pairs into 16 f32 sums, twice the
// work of an f32 FMA per instruction. Exact products for bf16 weights and for int8 weights (every
// int8 value is a bf16), f32 accumulation. Int4 weights stay on the f32 kernels: d · (q − 8) does
// not fit a bf16 in general.
#include "inference/kernels/gemvkernel.h"

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

} // namespace

void gemvAvx512Bf16(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.xBf16, n0, n1);
    case Format::Int8: return runTiles<Int8Rows, PlainTile>(p, p.xBf16, n0, n1);
    case Format::Int4: break; // gemv() sends int4 to gemvAvx512
    }
}

} // namespace folio::inference::kernels
