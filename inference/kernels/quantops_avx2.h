#pragma once
// The quantized-x kernels (gemvkernel.h QuantTile) in AVX2: vpmaddubsw multiplies 32 unsigned by
// 32 signed bytes into 16 pair sums, vpmaddwd by ones widens them to 8 int32. Included by
// gemv_avx2.cpp and by gemv_avx512.cpp (CPUs with AVX512 but without VNNI use these 256-bit
// loops); internal linkage like everything in gemvkernel.h.
//
// No pair sum saturates: int4 levels are taken unsigned (q ≤ 15) with the offset −8 · Σ qx
// added per block; int8 weights go in as |q| with q's sign moved onto x (2 · 127 · 127 < 2^15).
#include "inference/kernels/gemvkernel.h"
#include "inference/kernels/quantize.h"

#include <immintrin.h>

namespace {

// Int4, 16-row tiles (int4format.h): lane i of the two registers is row i / row 8 + i, x's 4
// bytes of a step broadcast to every lane. The 16-bit pair sums of the 8 steps add up without
// saturating (8 · 2 · 15 · 127 < 2^15) and widen once per group.
struct Avx2Int4Quant {
    static constexpr int kRows = int(int4::kTile);
    static constexpr int kMaxRows = 2;
    struct Acc {
        __m256 v[2];
    };
    struct W {
        __m256i q[8][2]; // step s: values 4s…4s+3 of rows 0…7 and 8…15, unsigned
        __m256 d[2];
    };
    static Acc zero() { return { { _mm256_setzero_ps(), _mm256_setzero_ps() } }; }
    static void load(const folio::inference::kernels::Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* group = int4Group(p, j, b);
        const uint16_t* sc = int4Scales(p, j, b);
        const __m256i mask = _mm256_set1_epi8(15);
        FOLIO_UNROLL for (int h = 0; h < 4; ++h)
            FOLIO_UNROLL for (int half = 0; half < 2; ++half) {
                const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(group + h * 64 + half * 32));
                w.q[2 * h][half] = _mm256_and_si256(bytes, mask);
                w.q[2 * h + 1][half] = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), mask);
            }
        FOLIO_UNROLL for (int half = 0; half < 2; ++half)
            w.d[half] = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sc + 8 * half)));
    }
    static Acc madd(Acc acc, const W& w, const int8_t* qx, float dx, int32_t offset8)
    {
        const __m256i offset = _mm256_set1_epi32(offset8);
        const __m256 scale = _mm256_set1_ps(dx);
        FOLIO_UNROLL for (int half = 0; half < 2; ++half) {
            __m256i pairs = _mm256_setzero_si256();
            FOLIO_UNROLL for (int s = 0; s < 8; ++s) {
                int32_t x4;
                __builtin_memcpy(&x4, qx + 4 * s, sizeof x4);
                pairs = _mm256_add_epi16(pairs, _mm256_maddubs_epi16(w.q[s][half], _mm256_set1_epi32(x4)));
            }
            const __m256i dot = _mm256_add_epi32(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)), offset);
            acc.v[half] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(w.d[half], scale), acc.v[half]);
        }
        return acc;
    }
    static void sums(const Acc& acc, float* out)
    {
        _mm256_storeu_ps(out, acc.v[0]);
        _mm256_storeu_ps(out + 8, acc.v[1]);
    }
};

// Int8, 16-row tiles (int8format.h), lanes as for int4 above. vpmaddubsw takes the weights
// unsigned, so they go in as |q| with q's sign moved onto x; a pair sum can reach 2 · 127 · 127,
// so the pairs widen to int32 every step.
struct Avx2Int8Quant {
    static constexpr int kRows = int(int8::kTile);
    static constexpr int kMaxRows = 2;
    using Acc = Avx2Int4Quant::Acc;
    struct W {
        __m256i abs[8][2], q[8][2]; // step s: |q| and q of values 4s…4s+3, rows 0…7 and 8…15
    };
    static Acc zero() { return Avx2Int4Quant::zero(); }
    static void load(const folio::inference::kernels::Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* block = int8Block(p, j, b);
        FOLIO_UNROLL for (int s = 0; s < 8; ++s)
            FOLIO_UNROLL for (int half = 0; half < 2; ++half) {
                const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + s * 64 + half * 32));
                w.q[s][half] = _mm256_xor_si256(u, _mm256_set1_epi8(char(0x80))); // q + 128 -> q
                w.abs[s][half] = _mm256_abs_epi8(w.q[s][half]);
            }
    }
    static Acc madd(Acc acc, const W& w, const int8_t* qx, float dx, int32_t /*offset: q goes in signed*/)
    {
        const __m256 scale = _mm256_set1_ps(dx);
        FOLIO_UNROLL for (int half = 0; half < 2; ++half) {
            __m256i dot = _mm256_setzero_si256();
            FOLIO_UNROLL for (int s = 0; s < 8; ++s) {
                int32_t x4;
                __builtin_memcpy(&x4, qx + 4 * s, sizeof x4);
                const __m256i pairs = _mm256_maddubs_epi16(w.abs[s][half], _mm256_sign_epi8(_mm256_set1_epi32(x4), w.q[s][half]));
                dot = _mm256_add_epi32(dot, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
            }
            acc.v[half] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc.v[half]);
        }
        return acc;
    }
    static void sums(const Acc& acc, float* out) { Avx2Int4Quant::sums(acc, out); }
};

} // namespace
