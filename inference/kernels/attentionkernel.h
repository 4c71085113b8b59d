#pragma once
// The attention kernel of attention.h, written once with GCC/Clang vector extensions (one native
// vector of f32 lanes) and compiled for each ISA by an attention_<isa>.cpp. As in gemvkernel.h: internal
// linkage only and no standard headers, so that no AVX512 copy of an inline function becomes
// the one scalar code calls.
//
// A task (one head, one query row) converts q to f32 once, takes one dot product per visible
// key, a softmax over them, and sums p · v in chunks of four vectors of output held in registers.
// Nothing in it depends on how many rows the call has, so every row is bit for bit the
// one-row result.

#include "inference/kernels/attention.h"

#include <cstdint>

// 64-byte vectors passed by value between these internal functions: no ABI is crossed, so
// GCC's note that AVX512 would pass them differently does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace {

using folio::inference::kernels::Attend;

// One native vector: 16 lanes (zmm) with AVX512, 8 (ymm) with AVX2, else 4 (xmm, NEON).
// Generic vectors wider than the ISA's are split by GCC op by op, several times slower.
#if defined(__AVX512F__)
constexpr int64_t kLanes = 16;
#elif defined(__AVX2__)
constexpr int64_t kLanes = 8;
#else
constexpr int64_t kLanes = 4;
#endif
typedef float F16 __attribute__((vector_size(kLanes * 4)));
typedef float F4 __attribute__((vector_size(16)));
typedef uint16_t U16x16 __attribute__((vector_size(kLanes * 2)));
typedef uint32_t U32x16 __attribute__((vector_size(kLanes * 4)));
typedef int32_t I32x16 __attribute__((vector_size(kLanes * 4)));

inline F16 splat(float f) { return F16{} + f; }

inline float value(const float* p) { return *p; }
inline float value(const uint16_t* p)
{
    const uint32_t u = uint32_t(*p) << 16;
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

inline F16 load(const float* p)
{
    F16 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
inline F16 load(const uint16_t* p)
{
    U16x16 h;
    __builtin_memcpy(&h, p, sizeof h);
    const U32x16 w = __builtin_convertvector(h, U32x16) << 16;
    F16 v;
    __builtin_memcpy(&v, &w, sizeof v);
    return v;
}

inline float sum(F16 v)
{
#ifdef __AVX512F__
    typedef float F8 __attribute__((vector_size(32)));
    const F8 h = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7)
                 + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
#elif defined(__AVX2__)
    const F16 h = v;
#endif
#if defined(__AVX512F__) || defined(__AVX2__)
    const F4 b = __builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7);
#else
    const F4 b = v;
#endif
    return (b[0] + b[2]) + (b[1] + b[3]);
}

inline float max(F16 v)
{
    float m = v[0];
    for (int i = 1; i < kLanes; ++i)
        m = v[i] > m ? v[i] : m;
    return m;
}

// Round to bf16 (nearest even) and back to f32, as a bf16 tensor stores a value.
inline U32x16 bf16Bits(F16 f)
{
    U32x16 u;
    __builtin_memcpy(&u, &f, sizeof u);
    return (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
}
inline F16 roundBf16(F16 f)
{
    const U32x16 u = bf16Bits(f);
    F16 r;
    __builtin_memcpy(&r, &u, sizeof r);
    return r;
}
inline float roundBf16(float f) { return roundBf16(splat(f))[0]; }

inline void store(float* p, float f) { *p = f; }
inline void store(uint16_t* p, float f) { *p = uint16_t(bf16Bits(splat(f))[0] >> 16); }

// e^x for x <= 0 (a score minus the maximum): x = n · ln 2 + r with |r| <= ln 2 / 2, e^r by its
// Taylor polynomial to r^6 (truncation < 1.2e-7 relative), 2^n through the exponent bits. Below
// −87 (e^x < 2^−125, nothing next to the maximum's 1) and for −inf padding: exactly 0.
inline F16 expNonPositive(F16 x)
{
    const I32x16 tiny = x < -87.0f;
    const F16 xc = tiny ? splat(-87.0f) : x;
    const F16 n = (xc * 1.44269504f + 12582912.0f) - 12582912.0f; // rounded to the nearest integer
    const F16 r = (xc - n * 0.693145752f) - n * 1.42860677e-6f; // ln 2 in two parts
    F16 poly = splat(1.0f / 720);
    poly = poly * r + 1.0f / 120;
    poly = poly * r + 1.0f / 24;
    poly = poly * r + 1.0f / 6;
    poly = poly * r + 0.5f;
    poly = poly * r + 1.0f;
    poly = poly * r + 1.0f;
    const I32x16 bits = (__builtin_convertvector(n, I32x16) + 127) << 23;
    F16 scale;
    __builtin_memcpy(&scale, &bits, sizeof scale);
    return tiny ? F16{} : poly * scale;
}

template <typename T>
inline float dot(const float* a, const T* b, int64_t n)
{
    F16 s0{}, s1{};
    int64_t e = 0;
    for (; e + 2 * kLanes <= n; e += 2 * kLanes) {
        s0 += load(a + e) * load(b + e);
        s1 += load(a + e + kLanes) * load(b + e + kLanes);
    }
    if (e + kLanes <= n) {
        s0 += load(a + e) * load(b + e);
        e += kLanes;
    }
    float s = sum(s0 + s1);
    for (; e < n; ++e)
        s += a[e] * value(b + e);
    return s;
}

// Scores [0, visible) -> probabilities in place (room is reserved for a padded last vector).
inline void softmax(float* scores, int64_t visible, bool roundToBf16)
{
    const int64_t padded = (visible + kLanes - 1) / kLanes * kLanes;
    for (int64_t j = visible; j < padded; ++j)
        scores[j] = -__builtin_inff();
    F16 m = splat(-__builtin_inff());
    for (int64_t j = 0; j < padded; j += kLanes) {
        const F16 s = load(scores + j);
        m = s > m ? s : m;
    }
    const float top = max(m);
    F16 total{};
    for (int64_t j = 0; j < padded; j += kLanes) {
        const F16 e = expNonPositive(load(scores + j) - top);
        __builtin_memcpy(scores + j, &e, sizeof e);
        total += e;
    }
    const float inverse = 1.0f / sum(total);
    for (int64_t j = 0; j < padded; j += kLanes) {
        F16 pj = load(scores + j) * inverse;
        if (roundToBf16)
            pj = roundBf16(pj);
        __builtin_memcpy(scores + j, &pj, sizeof pj);
    }
}

// out[e] = Σ_j p[j] · v[j][e], j < visible, in order of j for every e.
template <typename T>
inline void weightedSum(const float* p, const T* v, int64_t rowStride, int64_t visible, int64_t dim, float* out)
{
    int64_t e0 = 0;
    for (; e0 + 4 * kLanes <= dim; e0 += 4 * kLanes) {
        F16 o0{}, o1{}, o2{}, o3{};
        for (int64_t j = 0; j < visible; ++j) {
            const F16 pj = splat(p[j]);
            const T* row = v + j * rowStride + e0;
            o0 += pj * load(row);
            o1 += pj * load(row + kLanes);
            o2 += pj * load(row + 2 * kLanes);
            o3 += pj * load(row + 3 * kLanes);
        }
        __builtin_memcpy(out + e0, &o0, sizeof o0);
        __builtin_memcpy(out + e0 + kLanes, &o1, sizeof o1);
        __builtin_memcpy(out + e0 + 2 * kLanes, &o2, sizeof o2);
        __builtin_memcpy(out + e0 + 3 * kLanes, &o3, sizeof o3);
    }
    for (; e0 + kLanes <= dim; e0 += kLanes) {
        F16 o{};
        for (int64_t j = 0; j < visible; ++j)
            o += splat(p[j]) * load(v + j * rowStride + e0);
        __builtin_memcpy(out + e0, &o, sizeof o);
    }
    for (; e0 < dim; ++e0) {
        float o = 0.0f;
        for (int64_t j = 0; j < visible; ++j)
            o += p[j] * value(v + j * rowStride + e0);
        out[e0] = o;
    }
}

// Raw scores (q · k_j) -> what the reference keeps: divided by the scale, with bf16 elements
// rounded to bf16 before and after. Vectors over the padded length (room is reserved).
inline void scaleScores(float* scores, int64_t visible, float scale, bool roundToBf16)
{
    for (int64_t j = 0; j < visible; j += kLanes) {
        F16 s = load(scores + j);
        s = roundToBf16 ? roundBf16(roundBf16(s) / scale) : s / scale;
        __builtin_memcpy(scores + j, &s, sizeof s);
    }
}

// The two products of a task, portable: q · k_j for each visible key, and Σ p_j · v_j.
struct PortableProducts {
    template <typename T>
    static void scores(const float* qf, const T* /*qRow*/, const T* keys, int64_t rowStride, int64_t visible,
                       int64_t dim, float* out)
    {
        for (int64_t j = 0; j < visible; ++j)
            out[j] = dot(qf, keys + j * rowStride, dim);
    }
    template <typename T>
    static void weightedSum(const float* p, const T* v, int64_t rowStride, int64_t visible, int64_t dim, float* out)
    {
        ::weightedSum(p, v, rowStride, visible, dim, out);
    }
};

template <typename T, typename Products = PortableProducts>
void attendTyped(const Attend& p, int64_t t0, int64_t t1, float* scratch)
{
    const T* q = static_cast<const T*>(p.q);
    const T* k = static_cast<const T*>(p.k);
    const T* v = static_cast<const T*>(p.v);
    T* out = static_cast<T*>(p.out);
    const int64_t group = p.heads / p.kvHeads;
    const bool bf16 = sizeof(T) == 2;
    float* scores = scratch; // [lk + 16]
    float* qf = scratch + p.lk + kLanes; // [dim]
    float* o = qf + p.dim; // [dim]
    for (int64_t t = t0; t < t1; ++t) {
        const int64_t h = t / p.lq, i = t % p.lq;
        const int64_t visible = p.lk - p.lq + i + 1;
        const T* qRow = q + h * p.qHeadStride + i * p.qRowStride;
        for (int64_t e = 0; e < p.dim; ++e)
            qf[e] = value(qRow + e);
        const int64_t kv = (h / group) * p.kvHeadStride;
        Products::scores(qf, qRow, k + kv, p.kvRowStride, visible, p.dim, scores);
        scaleScores(scores, visible, p.scale, bf16);
        softmax(scores, visible, bf16);
        Products::weightedSum(scores, v + kv, p.kvRowStride, visible, p.dim, o);
        T* outRow = out + (i * p.heads + h) * p.dim;
        for (int64_t e = 0; e < p.dim; ++e)
            store(outRow + e, o[e]);
    }
}

inline void attendTasks(const Attend& p, int64_t t0, int64_t t1, float* scratch)
{
    if (p.bf16)
        attendTyped<uint16_t>(p, t0, t1, scratch);
    else
        attendTyped<float>(p, t0, t1, scratch);
}

} // namespace
