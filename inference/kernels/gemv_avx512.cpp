// AVX512 F/BW/VL kernels (CPUs without VNNI or BF16, e.g. Skylake-SP): bf16 weights widened to
// f32 in registers (16 lanes), f32 FMA, four rows of x per pass (16 accumulators of the 32 zmm
// registers); int8 and int4 weights through the AVX2 integer loops (quantops_avx2.h), which need
// no VNNI.
#include "inference/kernels/gemvkernel.h"
#include "inference/kernels/quantops_avx2.h"

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

} // namespace

void gemvAvx512(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Avx2Int8Quant, QuantTile>(p, p.xq, n0, n1);
    case Format::Int4: return runTiles<Avx2Int4Quant, QuantTile>(p, p.xq, n0, n1);
    }
}

} // namespace folio::inference::kernels
