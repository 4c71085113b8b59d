// The portable kernels: plain C++ that any CPU runs (the compiler may still use the baseline
// SSE2 of x86-64).
#include "inference/kernels/gemvkernel.h"
#include "inference/kernels/quantize.h"

namespace folio::inference::kernels {

namespace {

struct ScalarOps {
    using Acc = float;
    using XT = float;
    static constexpr int kStep = 1;
    static constexpr int kMaxRows = 4;
    static float zero() { return 0.0f; }
    static float loadX(const float* p) { return *p; }
    static float madd(float acc, float x, float w) { return acc + x * w; }
    static float sum(float acc) { return acc; }
};

struct Bf16Rows : ScalarOps {
    using WT = uint16_t;
    static float loadW(const uint16_t* p) { return bf16Value(*p); }
};

// Quantized x: the weights of a block as signed levels (int4: q − 8), one integer dot per row.
template <int R>
struct QuantOps {
    static constexpr int kRows = R;
    static constexpr int kMaxRows = 4;
    struct Acc {
        float v[R];
    };
    struct W {
        int8_t q[R][int4::kGroup];
        float d[R];
    };
    static Acc zero() { return Acc {}; }
    static Acc madd(Acc acc, const W& w, const int8_t* qx, float dx, int32_t /*offset: levels are signed here*/)
    {
        for (int r = 0; r < R; ++r) {
            int32_t dot = 0;
            for (int i = 0; i < int4::kGroup; ++i) // values past K: zero levels and zero x
                dot += int32_t(w.q[r][i]) * qx[i];
            acc.v[r] += float(dot) * (w.d[r] * dx);
        }
        return acc;
    }
    static void sums(const Acc& acc, float* out)
    {
        for (int r = 0; r < R; ++r)
            out[r] = acc.v[r];
    }
};

struct Int8Quant : QuantOps<int(int8::kTile)> {
    static void load(const Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* block = int8Block(p, j, b);
        for (int r = 0; r < kRows; ++r) {
            for (int c = 0; c < int8::kBlock; ++c)
                w.q[r][c] = int8_t(int(block[int8::valueByte(r, c)]) - int8::kZero);
            w.d[r] = 1.0f;
        }
    }
};

struct Int4Quant : QuantOps<int(int4::kTile)> {
    static void load(const Gemv& p, int64_t j, int64_t b, W& w)
    {
        const uint8_t* group = int4Group(p, j, b);
        const uint16_t* sc = int4Scales(p, j, b);
        for (int r = 0; r < kRows; ++r) {
            for (int c = 0; c < int4::kGroup; ++c) {
                const uint8_t byte = group[int4::valueByte(r, c)];
                w.q[r][c] = int8_t((int4::valueIsHigh(c) ? byte >> 4 : byte & 15) - 8);
            }
            w.d[r] = halfToFloat(sc[r]);
        }
    }
};

} // namespace

void gemvScalar(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Int8Quant, QuantTile>(p, p.xq, n0, n1);
    case Format::Int4: return runTiles<Int4Quant, QuantTile>(p, p.xq, n0, n1);
    }
}

} // namespace folio::inference::kernels
