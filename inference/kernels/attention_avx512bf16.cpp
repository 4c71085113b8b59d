// The attention kernel on AVX512-BF16: with bf16 elements the two products use vdpbf16ps on the
// stored bits (no widening). q · k_j: dim / 32 instructions per key. Σ p_j · v_j: p is already
// rounded to bf16 (the reference's probabilities), so pairs of keys go into one instruction,
// their value rows interleaved (vpunpck[lh]wd) so that a lane holds (v_j[e], v_j+1[e]).
// Different sums from the AVX512 path, the same for every query row. f32 elements, or a head
// size that is not a multiple of 32, take the portable loops.
#include "inference/kernels/attentionkernel.h"

#include <immintrin.h>

namespace folio::inference::kernels {

namespace {

constexpr int64_t kPairLanes = 32; // bf16 values per zmm

struct DotBf16Products {
    static void scores(const float* /*qf*/, const uint16_t* qRow, const uint16_t* keys, int64_t rowStride,
                       int64_t visible, int64_t dim, float* out)
    {
        for (int64_t j = 0; j < visible; ++j) {
            const uint16_t* key = keys + j * rowStride;
            __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
            int64_t e = 0;
            for (; e + 2 * kPairLanes <= dim; e += 2 * kPairLanes) {
                a0 = _mm512_dpbf16_ps(a0, (__m512bh)_mm512_loadu_si512(qRow + e), (__m512bh)_mm512_loadu_si512(key + e));
                a1 = _mm512_dpbf16_ps(a1, (__m512bh)_mm512_loadu_si512(qRow + e + kPairLanes),
                                      (__m512bh)_mm512_loadu_si512(key + e + kPairLanes));
            }
            if (e < dim)
                a0 = _mm512_dpbf16_ps(a0, (__m512bh)_mm512_loadu_si512(qRow + e), (__m512bh)_mm512_loadu_si512(key + e));
            out[j] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
        }
    }

    // Chunks of 4 zmm of output (128 values) in registers, over every key pair; then the rest in
    // chunks of one zmm (32 values).
    template <int kChunks>
    static void chunk(const float* p, const uint16_t* v, int64_t rowStride, int64_t visible, float* out)
    {
        __m512 lo[kChunks], hi[kChunks];
        for (int c = 0; c < kChunks; ++c)
            lo[c] = hi[c] = _mm512_setzero_ps();
        for (int64_t j = 0; j < visible; j += 2) {
            const bool pair = j + 1 < visible;
            // p is bf16-exact: its high half is the bf16 value.
            const uint32_t p0 = __builtin_bit_cast(uint32_t, p[j]) >> 16;
            const uint32_t p1 = pair ? __builtin_bit_cast(uint32_t, p[j + 1]) >> 16 : 0;
            const __m512bh pp = (__m512bh)_mm512_set1_epi32(static_cast<int>(p0 | p1 << 16));
            const uint16_t* r0 = v + j * rowStride;
            const uint16_t* r1 = pair ? r0 + rowStride : r0; // × p1 = 0
            for (int c = 0; c < kChunks; ++c) {
                const __m512i a = _mm512_loadu_si512(r0 + c * kPairLanes);
                const __m512i b = _mm512_loadu_si512(r1 + c * kPairLanes);
                lo[c] = _mm512_dpbf16_ps(lo[c], pp, (__m512bh)_mm512_unpacklo_epi16(a, b));
                hi[c] = _mm512_dpbf16_ps(hi[c], pp, (__m512bh)_mm512_unpackhi_epi16(a, b));
            }
        }
        // Lane l of 128-bit lane L holds value 8L + l (lo) and 8L + 4 + l (hi).
        for (int c = 0; c < kChunks; ++c) {
            alignas(64) float l[16], h[16];
            _mm512_store_ps(l, lo[c]);
            _mm512_store_ps(h, hi[c]);
            for (int lane = 0; lane < 4; ++lane)
                for (int t = 0; t < 4; ++t) {
                    out[c * kPairLanes + 8 * lane + t] = l[4 * lane + t];
                    out[c * kPairLanes + 8 * lane + 4 + t] = h[4 * lane + t];
                }
        }
    }

    static void weightedSum(const float* p, const uint16_t* v, int64_t rowStride, int64_t visible, int64_t dim,
                            float* out)
    {
        int64_t e = 0;
        for (; e + 4 * kPairLanes <= dim; e += 4 * kPairLanes)
            chunk<4>(p, v + e, rowStride, visible, out + e);
        for (; e < dim; e += kPairLanes)
            chunk<1>(p, v + e, rowStride, visible, out + e);
    }
};

} // namespace

void attendAvx512Bf16(const Attend& p, int64_t t0, int64_t t1, float* scratch)
{
    if (p.bf16 && p.dim % kPairLanes == 0)
        attendTyped<uint16_t, DotBf16Products>(p, t0, t1, scratch);
    else
        attendTasks(p, t0, t1, scratch);
}

} // namespace folio::inference::kernels
