#include "inference/kernels/actquant.h"

#include <cmath>
#include <cstring>

namespace folio::inference::kernels {

namespace {

float valueAt(const void* x, bool bf16, int64_t i)
{
    if (!bf16)
        return static_cast<const float*>(x)[i];
    const uint32_t bits = uint32_t(static_cast<const uint16_t*>(x)[i]) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

} // namespace

void quantizeActivations(const void* x, bool bf16, int64_t m, int64_t k, int64_t ldx, int8_t* qx, float* scale,
                         int32_t* offset)
{
    const int64_t blocks = ldx / kActBlock;
    for (int64_t r = 0; r < m; ++r) {
        for (int64_t b = 0; b < blocks; ++b) {
            const int64_t i0 = b * kActBlock;
            const int64_t count = i0 >= k ? 0 : (k - i0 < kActBlock ? k - i0 : kActBlock);
            float v[kActBlock] = {};
            float amax = 0.0f;
            for (int64_t i = 0; i < count; ++i) {
                v[i] = valueAt(x, bf16, r * k + i0 + i);
                // NaN compares false: caught below with the infinities.
                amax = std::fabs(v[i]) > amax ? std::fabs(v[i]) : amax;
                if (!std::isfinite(v[i]))
                    amax = INFINITY;
            }
            int8_t* q = qx + r * ldx + i0;
            const int64_t s = r * blocks + b;
            if (!std::isfinite(amax) || amax == 0.0f) {
                std::memset(q, 0, kActBlock);
                scale[s] = amax == 0.0f ? 0.0f : NAN;
                offset[s] = 0;
                continue;
            }
            const float inv = 127.0f / amax;
            int32_t total = 0;
            for (int64_t i = 0; i < kActBlock; ++i) {
                // Halves away from zero, by a truncating conversion (std::nearbyint is a libm call
                // per value on baseline x86-64, slower than the kernel it feeds). |v · inv| ≤ 127
                // up to one rounding: clamped so that 127.00001 cannot become 128.
                const float t = v[i] * inv;
                const int32_t r = int32_t(t + (t < 0.0f ? -0.5f : 0.5f));
                q[i] = int8_t(r > 127 ? 127 : (r < -127 ? -127 : r));
                total += q[i];
            }
            scale[s] = amax / 127.0f;
            offset[s] = -8 * total;
        }
    }
}

} // namespace folio::inference::kernels
