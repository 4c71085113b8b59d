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

struct Int8Rows : ScalarOps {
    using WT = int8_t;
    static float loadW(const int8_t* p) { return float(*p); }
};

struct Int4Groups : ScalarOps {
    static constexpr int kGroupVecs = int4::kGroup;
    struct Group {
        float v[int4::kGroup];
    };
    static void decode(const uint8_t* bytes, uint16_t scale, Group& g)
    {
        const float d = halfToFloat(scale);
        for (int i = 0; i < 16; ++i) {
            g.v[i] = d * float((bytes[i] & 15) - 8);
            g.v[i + 16] = d * float((bytes[i] >> 4) - 8);
        }
    }
};

} // namespace

void gemvScalar(const Gemv& p, int64_t n0, int64_t n1)
{
    switch (p.format) {
    case Format::Bf16: return runTiles<Bf16Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int8: return runTiles<Int8Rows, PlainTile>(p, p.x, n0, n1);
    case Format::Int4: return runTiles<Int4Groups, Int4Tile>(p, p.x, n0, n1);
    }
}

} // namespace folio::inference::kernels
