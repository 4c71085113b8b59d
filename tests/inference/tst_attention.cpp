// The cache attention kernel (kernels/attention.h) on every path this CPU has, bf16 and f32:
// against the same maths in float64 with error bounds derived from the roundings it keeps, and
// each query row of a multi-row call bit for bit the one-row call at its position (what keeps
// greedy output identical with drafts). Nothing here is timed.
#include "inference/kernels/attention.h"
#include "inference/kernels/isa.h"
#include "inference/layers.h"

#include "testregistry.h"

#include <QTest>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace kernels = folio::inference::kernels;

Q_DECLARE_METATYPE(folio::inference::kernels::Isa)
Q_DECLARE_METATYPE(at::ScalarType)

namespace {

constexpr double kF32Unit = 5.9604644775390625e-08; // 2^-24
constexpr double kBf16Unit = 0.00390625; // 2^-8

struct Inputs {
    at::Tensor q, k, v; // [H, Lq, d] (a transposed view, as the decoder passes it), [Hkv, Lk, d] ×2
};

Inputs randomInputs(int64_t heads, int64_t kvHeads, int64_t dim, int64_t lq, int64_t lk, at::ScalarType dtype,
                    uint64_t seed)
{
    at::manual_seed(seed);
    // Scores of a few units, like a trained model's, so the softmax is neither flat nor one-hot.
    const double spread = 2.0 / std::sqrt(std::sqrt(static_cast<double>(dim)));
    Inputs in;
    in.q = (at::randn({ lq, heads, dim }) * spread).to(dtype).transpose(0, 1);
    in.k = (at::randn({ kvHeads, lk, dim }) * spread).to(dtype);
    in.v = at::randn({ kvHeads, lk, dim }).to(dtype);
    return in;
}

at::Tensor runKernel(kernels::Isa isa, const Inputs& in)
{
    return folio::inference::cacheAttention(in.q, in.k, in.v, isa);
}

void addPathRows()
{
    QTest::addColumn<kernels::Isa>("isa");
    QTest::addColumn<at::ScalarType>("dtype");
    for (kernels::Isa isa : { kernels::Isa::Scalar, kernels::Isa::Avx2, kernels::Isa::Avx512, kernels::Isa::Avx512Bf16 })
        for (at::ScalarType t : { at::kFloat, at::kBFloat16 })
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QString::fromLatin1(kernels::isaName(isa)),
                                                                  t == at::kFloat ? QStringLiteral("f32")
                                                                                  : QStringLiteral("bf16"))))
                << isa << t;
}

// Shapes {heads, kvHeads, dim, lq, lk}: the fixture's, head sizes with tails of every vector
// width (8, 20, 48, 100), one row and a verification step's, the 3B model's.
const std::vector<std::array<int64_t, 5>> kShapes = {
    { 2, 1, 32, 1, 9 }, { 2, 1, 32, 5, 40 }, { 3, 3, 8, 2, 2 }, { 4, 2, 20, 3, 17 },
    { 6, 2, 48, 4, 33 }, { 5, 5, 100, 1, 70 }, { 16, 2, 128, 8, 300 },
};

} // namespace

class TstAttention : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // |out − ref| against the float64 maths on the same (rounded) inputs. The bound: f32 sums of
    // d products and of Lk terms (γ ≈ (d + Lk + 8) · u32, the 8 for the exp polynomial and the
    // scaling), and in bf16 the roundings the reference keeps: scores twice (2u relative, which
    // moves a probability by ≤ 4u · max|s| relative), probabilities once (u), the output once
    // (u · |ref|). All times Σ_j p_j |v_j|, the size of what is summed.
    void matchesReference_data() { addPathRows(); }

    void matchesReference()
    {
        QFETCH(kernels::Isa, isa);
        QFETCH(at::ScalarType, dtype);
        if (!kernels::cpuSupports(isa))
            QSKIP("this CPU lacks the path");
        double worst = 0.0;
        uint64_t seed = 1;
        for (const auto& [heads, kvHeads, dim, lq, lk] : kShapes) {
            const Inputs in = randomInputs(heads, kvHeads, dim, lq, lk, dtype, seed++);
            const at::Tensor got = runKernel(isa, in).to(at::kDouble);

            const int64_t group = heads / kvHeads;
            const at::Tensor kd = in.k.to(at::kDouble).repeat_interleave(group, 0);
            const at::Tensor vd = in.v.to(at::kDouble).repeat_interleave(group, 0);
            at::Tensor s = at::matmul(in.q.to(at::kDouble), kd.transpose(1, 2)) / std::sqrt(double(dim));
            const at::Tensor rows = at::arange(lq).unsqueeze(1), cols = at::arange(lk).unsqueeze(0);
            s = s.masked_fill(cols > rows + (lk - lq), -std::numeric_limits<double>::infinity());
            const at::Tensor prob = at::softmax(s, -1);
            const at::Tensor ref = at::matmul(prob, vd);
            const at::Tensor mag = at::matmul(prob, vd.abs());
            const double maxScore = s.masked_fill(s.isinf(), 0).abs().max().item<double>();
            const double f32Part = double(dim + lk + 8) * kF32Unit * (1.0 + maxScore);
            const at::Tensor bound = dtype == at::kBFloat16
                ? mag * (f32Part + (4.0 * maxScore + 1.0) * kBf16Unit) + ref.abs() * kBf16Unit
                : mag * f32Part;
            worst = std::max(worst, ((got - ref).abs() / (bound + 1e-30)).max().item<double>());
        }
        qInfo("worst |error| / bound: %.3f", worst);
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("error %1 × the bound").arg(worst)));
    }

    // Row i of an Lq-row call equals a one-row call over the keys row i sees, bit for bit, and
    // the thread count does not matter.
    void rowsAreIndependent_data() { addPathRows(); }

    void rowsAreIndependent()
    {
        QFETCH(kernels::Isa, isa);
        QFETCH(at::ScalarType, dtype);
        if (!kernels::cpuSupports(isa))
            QSKIP("this CPU lacks the path");
        for (const auto& [heads, kvHeads, dim, lq, lk] : kShapes) {
            const Inputs in = randomInputs(heads, kvHeads, dim, lq, lk, dtype, 99);
            const at::Tensor all = runKernel(isa, in);
            for (int64_t i = 0; i < lq; ++i) {
                const int64_t visible = lk - lq + i + 1;
                const Inputs one { in.q.narrow(1, i, 1), in.k.narrow(1, 0, visible), in.v.narrow(1, 0, visible) };
                QVERIFY2(at::equal(all.narrow(1, i, 1), runKernel(isa, one)),
                         qPrintable(QStringLiteral("shape %1×%2×%3, row %4 of %5").arg(heads).arg(dim).arg(lk).arg(i).arg(lq)));
            }
            const int threads = at::get_num_threads();
            at::set_num_threads(1);
            const at::Tensor serial = runKernel(isa, in);
            at::set_num_threads(threads);
            QVERIFY(at::equal(all, serial));
        }
    }

    // The decoder's entry point takes the kernel for queries after a cache (here the active
    // path), and k, v laid out differently from each other give the same result.
    void attentionUsesKernelAfterCache()
    {
        const Inputs in = randomInputs(4, 2, 32, 3, 20, at::kBFloat16, 7);
        const at::Tensor expected = runKernel(kernels::activeIsa(), in);
        QVERIFY(at::equal(folio::inference::attention(in.q, in.k, in.v, /*causal=*/true), expected));
        const at::Tensor vOther = in.v.transpose(0, 1).contiguous().transpose(0, 1); // [Lk, Hkv, d] storage
        QVERIFY(vOther.strides() != in.k.strides());
        QVERIFY(at::equal(runKernel(kernels::activeIsa(), { in.q, in.k, vOther }), expected));
    }

    void badShapesAreErrors()
    {
        Inputs in = randomInputs(2, 1, 16, 4, 3, at::kFloat, 3); // more queries than keys
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runKernel(kernels::Isa::Scalar, in));
        in = randomInputs(3, 2, 16, 1, 3, at::kFloat, 3); // heads not a multiple of kv heads
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runKernel(kernels::Isa::Scalar, in));
    }
};

FOLIO_TEST_CLASS(TstAttention)
#include "tst_attention.moc"
