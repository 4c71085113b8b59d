#include "inference/kernels/quantize.h"

#include "inference/kernels/int4format.h"
#include "inference/kernels/int8format.h"
#include "inference/kernels/isa.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace folio::inference::kernels {

namespace {

uint32_t bitsOf(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

float floatOf(uint32_t u)
{
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// The dequantized value in the output type: f32 as is, bf16 rounded to nearest even (no NaN
// case: dequantized weights are finite), branch-free so the loops vectorize.
inline void store(float* out, float v) { *out = v; }
inline void store(uint16_t* out, float v)
{
    const uint32_t u = bitsOf(v);
    *out = uint16_t((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

template <class Out>
void dequantizeInt8Rows(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, Out* out)
{
    const int64_t blocks = int8::blocks(k);
    for (int64_t j = n0; j < n1; ++j) {
        const float s = scales[j];
        Out* o = out + (j - n0) * k;
        for (int64_t g = 0; g < blocks; ++g) {
            const uint8_t* b = q + int8::blockOffset(j, g, k);
            Out v[int8::kBlock]; // fixed trip counts, no branches
            for (int c = 0; c < int8::kBlock; ++c)
                store(v + c, s * float(int(b[int8::valueByte(j, c)]) - int8::kZero));
            const int64_t begin = g * int8::kBlock;
            std::memcpy(o + begin, v, size_t(std::min<int64_t>(int8::kBlock, k - begin)) * sizeof(Out));
        }
    }
}

template <class Out>
void dequantizeInt4Rows(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1, Out* out)
{
    const int64_t groups = int4::groups(k);
    for (int64_t j = n0; j < n1; ++j) {
        Out* o = out + (j - n0) * k;
        for (int64_t g = 0; g < groups; ++g) {
            const float d = halfToFloat(scales[int4::scaleIndex(j, g, k)]);
            const uint8_t* b = nibbles + int4::groupOffset(j, g, k);
            Out v[int4::kGroup]; // fixed trip counts, no branches
            for (int c = 0; c < int4::kGroup; ++c) {
                const uint8_t byte = b[int4::valueByte(j, c)];
                store(v + c, d * float((int4::valueIsHigh(c) ? byte >> 4 : byte & 15) - 8));
            }
            const int64_t begin = g * int4::kGroup;
            std::memcpy(o + begin, v, size_t(std::min<int64_t>(int4::kGroup, k - begin)) * sizeof(Out));
        }
    }
}

} // namespace

float bf16ToFloat(uint16_t b)
{
    return floatOf(uint32_t(b) << 16);
}

uint16_t floatToBf16(float f)
{
    const uint32_t u = bitsOf(f);
    if (std::isnan(f))
        return uint16_t((u >> 16) | 0x40); // stays a (quiet) NaN
    return uint16_t((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

uint16_t floatToHalf(float f)
{
    const uint32_t u = bitsOf(f);
    const uint16_t sign = uint16_t((u >> 16) & 0x8000);
    const float a = std::fabs(f);
    if (std::isnan(f))
        return sign | 0x7e00;
    if (a >= 65520.0f) // rounds past the largest half, 65504
        return sign | 0x7c00;
    if (a < 6.103515625e-05f) // subnormal half: units of 2^-24, round to nearest even
        return sign | uint16_t(std::nearbyint(a * 16777216.0f));
    // Normal: rebias the exponent and round the 13 dropped mantissa bits to nearest even.
    const uint32_t au = bitsOf(a);
    const uint32_t rounded = au + 0xfff + ((au >> 13) & 1);
    return sign | uint16_t((rounded >> 13) - ((127 - 15) << 10));
}

float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ff;
    if (exp == 0) // zero or subnormal: mant · 2^-24
        return floatOf(sign | bitsOf(float(mant) * 5.9604644775390625e-08f));
    if (exp == 31)
        return floatOf(sign | 0x7f800000 | (mant << 13));
    return floatOf(sign | ((exp + 127 - 15) << 23) | (mant << 13));
}

void quantizeInt8(const float* w, int64_t k, int64_t n0, int64_t n1, int64_t validRows, uint8_t* q, float* scales)
{
    const int64_t blocks = int8::blocks(k);
    for (int64_t j = n0; j < n1; ++j) {
        const bool valid = j - n0 < validRows;
        const float* row = valid ? w + (j - n0) * k : nullptr;
        float amax = 0.0f;
        for (int64_t i = 0; valid && i < k; ++i)
            amax = std::max(amax, std::fabs(row[i]));
        const float scale = amax / 127.0f;
        const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
        for (int64_t g = 0; g < blocks; ++g) {
            uint8_t* block = q + int8::blockOffset(j, g, k);
            for (int64_t c = 0; c < int8::kBlock; ++c) {
                const int64_t i = g * int8::kBlock + c;
                const float level = valid && i < k ? std::clamp(std::nearbyint(row[i] * inv), -127.0f, 127.0f) : 0.0f;
                block[int8::valueByte(j, c)] = uint8_t(int(level) + int8::kZero);
            }
        }
        scales[j] = scale;
    }
}

void dequantizeInt8(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, float* out)
{
    dequantizeInt8Rows(q, scales, k, n0, n1, out);
}

void dequantizeInt8(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* outBf16)
{
#ifdef FOLIO_KERNELS_X86
    if (activeIsa() == Isa::Avx512Bf16)
        return dequantizeInt8Bf16Avx512Bf16(q, scales, k, n0, n1, outBf16);
#endif
    dequantizeInt8Rows(q, scales, k, n0, n1, outBf16);
}

void quantizeInt4(const float* w, int64_t k, int64_t n0, int64_t n1, int64_t validRows, uint8_t* nibbles, uint16_t* scales)
{
    const int64_t groups = int4::groups(k);
    for (int64_t j = n0; j < n1; ++j) {
        const bool valid = j - n0 < validRows;
        const float* row = w + (j - n0) * k;
        for (int64_t g = 0; g < groups; ++g) {
            float v[int4::kGroup] = {};
            const int64_t begin = g * int4::kGroup;
            const int64_t count = valid ? std::min<int64_t>(int4::kGroup, k - begin) : 0;
            for (int64_t i = 0; i < count; ++i)
                v[i] = row[begin + i];
            float m = 0.0f;
            for (float x : v)
                if (std::fabs(x) > std::fabs(m))
                    m = x;
            // Quantize with the scale as stored (f16), so the bound |w − deq| ≤ |d|/2 holds
            // for the values the kernels will see.
            const uint16_t dh = floatToHalf(m / -8.0f);
            const float d = halfToFloat(dh);
            const float inv = d != 0.0f ? 1.0f / d : 0.0f;
            uint8_t q[int4::kGroup];
            for (int i = 0; i < int4::kGroup; ++i)
                q[i] = uint8_t(std::clamp(std::nearbyint(v[i] * inv) + 8.0f, 0.0f, 15.0f));
            // Each byte holds values c (low nibble) and c + 4 (high) of the row's group.
            uint8_t* group = nibbles + int4::groupOffset(j, g, k);
            for (int c = 0; c < int4::kGroup; ++c)
                if (!int4::valueIsHigh(c))
                    group[int4::valueByte(j, c)] = uint8_t(q[c] | (q[c + 4] << 4));
            scales[int4::scaleIndex(j, g, k)] = dh;
        }
    }
}

void dequantizeInt4(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1, float* out)
{
    dequantizeInt4Rows(nibbles, scales, k, n0, n1, out);
}

void dequantizeInt4(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* outBf16)
{
#ifdef FOLIO_KERNELS_X86
    if (activeIsa() == Isa::Avx512Bf16)
        return dequantizeInt4Bf16Avx512Bf16(nibbles, scales, k, n0, n1, outBf16);
#endif
    dequantizeInt4Rows(nibbles, scales, k, n0, n1, outBf16);
}

} // namespace folio::inference::kernels
