// The CPU kernels and LinearWeight: every format on every kernel path this CPU has, against the
// same maths in plain ATen (dequantize, then a float64 matmul), with error bounds derived from the
// formats and from f32 accumulation; pack/unpack round trips; views over external buffers.
// Nothing here is timed.
#include "inference/kernels/actquant.h"
#include "inference/kernels/gemv.h"
#include "inference/kernels/int4format.h"
#include "inference/kernels/isa.h"
#include "inference/kernels/quantize.h"
#include "inference/linearweight.h"

#include "testregistry.h"

#include <QTest>

#include <ATen/Parallel.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using folio::inference::LinearWeight;
using folio::inference::WeightFormat;
namespace kernels = folio::inference::kernels;

Q_DECLARE_METATYPE(folio::inference::WeightFormat)
Q_DECLARE_METATYPE(folio::inference::kernels::Isa)

namespace {

constexpr double kF32Unit = 5.9604644775390625e-08; // 2^-24, f32 unit roundoff
constexpr double kBf16Unit = 0.00390625;            // 2^-8, bf16 unit roundoff

// Shapes [N, K]: tails of every vector width (8, 16, 32), K shorter than and not a multiple of
// the int4 group, N not a multiple of the row tile, and one of the model's sizes.
const std::vector<std::pair<int64_t, int64_t>> kShapes = {
    { 1, 1 }, { 3, 5 }, { 5, 31 }, { 4, 32 }, { 7, 33 }, { 13, 67 }, { 33, 100 }, { 64, 129 }, { 130, 300 }, { 37, 2048 },
};
const std::vector<int64_t> kRowCounts = { 1, 2, 3, 8, 16, 17, 40 };

// Restores the kernel path a test forced.
class IsaScope {
public:
    explicit IsaScope(kernels::Isa isa)
        : m_saved(kernels::activeIsa())
    {
        kernels::setActiveIsa(isa);
    }
    ~IsaScope() { kernels::setActiveIsa(m_saved); }
    IsaScope(const IsaScope&) = delete;
    IsaScope& operator=(const IsaScope&) = delete;

private:
    kernels::Isa m_saved;
};

// Weights with a spread of magnitudes per row and a few outliers, like trained ones.
at::Tensor randomWeight(int64_t n, int64_t k, uint64_t seed)
{
    at::manual_seed(seed);
    at::Tensor w = at::randn({ n, k }) * (at::rand({ n, 1 }) + 0.1);
    if (n * k > 16)
        w.view({ -1 }).index_put_({ at::randint(n * k, { (n * k) / 97 + 1 }) }, 8.0);
    return w;
}

QString formatName(WeightFormat f) { return QString::fromLatin1(folio::inference::weightFormatName(f)); }

// Adds rows path × format × input dtype, skipping none here: a path the CPU lacks is skipped
// inside the test with QSKIP, so it shows in the log.
void addPathRows()
{
    QTest::addColumn<kernels::Isa>("isa");
    QTest::addColumn<WeightFormat>("format");
    QTest::addColumn<bool>("bf16Input");
    for (kernels::Isa isa : { kernels::Isa::Scalar, kernels::Isa::Avx2, kernels::Isa::Avx512, kernels::Isa::Avx512Bf16 })
        for (WeightFormat f : { WeightFormat::Bf16, WeightFormat::Int8, WeightFormat::Int4 })
            for (bool bf16 : { false, true })
                QTest::newRow(qPrintable(QStringLiteral("%1 %2 x-%3")
                                             .arg(QString::fromLatin1(kernels::isaName(isa)), formatName(f),
                                                  bf16 ? QStringLiteral("bf16") : QStringLiteral("f32"))))
                    << isa << f << bf16;
}

// The worst |y − ref| / bound over all elements, with
//   bound = ((K + 2) · u + weightUnit) · Σ_k |x_k| |w_k| + outUnit · (|ref| + |b|):
// f32 accumulation of K products in any order (Higham's γ_K ≈ K·u; + 2 for the int8 row scale
// applied after the sum and for the bias added in f32), the rounding of the weights themselves
// when a path rounds them (weightUnit: a bf16 tile of int8/int4 values in prefill), and the
// rounding of y + b to the output dtype (outUnit).
double worstRatio(const at::Tensor& y, const at::Tensor& x, const at::Tensor& w, const at::Tensor& bias,
                  double weightUnit, double outUnit)
{
    const at::Tensor xd = x.to(at::kDouble), wd = w.to(at::kDouble), bd = bias.to(at::kDouble);
    const at::Tensor ref = at::matmul(xd, wd.t());
    const at::Tensor mag = at::matmul(xd.abs(), wd.abs().t());
    const double c = double(x.size(-1) + 2) * kF32Unit + weightUnit;
    const at::Tensor bound = mag * c + (ref.abs() + bd.abs()) * outUnit + 1e-30;
    return ((y.to(at::kDouble) - ref - bd).abs() / bound).max().item<double>();
}

// x [m, k] as the int8 / int4 kernels see it: quantized in blocks of 32 and back (dx · qx), f32.
at::Tensor quantizedActivations(const at::Tensor& x)
{
    const int64_t m = x.size(0), k = x.size(1), ldx = kernels::paddedK(k), blocks = ldx / kernels::kActBlock;
    const at::Tensor xc = x.contiguous();
    at::Tensor qx = at::empty({ m, ldx }, at::kChar), scale = at::empty({ m, blocks }), sum = at::empty({ m, blocks }, at::kInt);
    kernels::quantizeActivations(xc.data_ptr(), x.scalar_type() == at::kBFloat16, m, k, ldx, qx.data_ptr<int8_t>(),
                                 scale.data_ptr<float>(), sum.data_ptr<int32_t>());
    const at::Tensor perValue = scale.repeat_interleave(kernels::kActBlock, 1);
    return (qx.to(at::kFloat) * perValue).narrow(1, 0, k);
}

at::Tensor alignedCopy(const void* data, std::size_t bytes, std::shared_ptr<void>& holder, std::size_t offset = 0)
{
    // 64-byte aligned (+ offset, to make a misaligned one on purpose).
    void* raw = std::aligned_alloc(LinearWeight::kBufferAlignment, (bytes + offset + 63) / 64 * 64 + 64);
    holder = std::shared_ptr<void>(raw, std::free);
    std::memcpy(static_cast<char*>(raw) + offset, data, bytes);
    return at::from_blob(static_cast<char*>(raw) + offset, { int64_t(bytes) }, at::kByte);
}

} // namespace

class TstKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The path names round-trip, an unknown one is an error naming it, and the scalar path is
    // always there; forcing a path the CPU lacks throws (where this CPU lacks one).
    void isaNamesAndOverride()
    {
        for (kernels::Isa isa : { kernels::Isa::Scalar, kernels::Isa::Avx2, kernels::Isa::Avx512, kernels::Isa::Avx512Bf16 })
            QCOMPARE(kernels::parseIsa(kernels::isaName(isa)), isa);
        try {
            kernels::parseIsa("avx3");
            QFAIL("parseIsa accepted avx3");
        } catch (const std::invalid_argument& e) {
            QVERIFY(std::string(e.what()).find("avx3") != std::string::npos);
        }
        QVERIFY(kernels::cpuSupports(kernels::Isa::Scalar));
        QVERIFY(kernels::cpuSupports(kernels::bestIsa()));
        QVERIFY(kernels::cpuSupports(kernels::activeIsa()));
        for (kernels::Isa isa : { kernels::Isa::Avx2, kernels::Isa::Avx512, kernels::Isa::Avx512Bf16 })
            if (!kernels::cpuSupports(isa))
                QVERIFY_THROWS_EXCEPTION(std::runtime_error, kernels::setActiveIsa(isa));
        const std::string line = kernels::kernelPathDescription();
        QVERIFY(line.rfind(kernels::isaName(kernels::activeIsa()), 0) == 0);
        // The paths nest: each needs what the one before needs.
        if (kernels::cpuSupports(kernels::Isa::Avx512Bf16))
            QVERIFY(kernels::cpuSupports(kernels::Isa::Avx512) && kernels::cpuFeatures().avx512bf16);
        if (kernels::cpuSupports(kernels::Isa::Avx512))
            QVERIFY(kernels::cpuSupports(kernels::Isa::Avx2));
        QCOMPARE(kernels::cpuHasFastBf16(), kernels::cpuFeatures().avx512bf16 || kernels::cpuFeatures().amxBf16);
    }

    // Our f16 / bf16 conversions agree bit for bit with ATen's (round to nearest even), over
    // normal, subnormal, overflowing and tie values.
    void halfAndBf16Conversions()
    {
        std::vector<float> values = { 0.0f, -0.0f, 1.0f, -1.0f, 65504.0f, 65519.0f, 65520.0f, 1e9f, 6.1035156e-05f,
                                      6.0e-05f, 5.96e-08f, 2.98e-08f, 2.9802322e-08f, 1e-10f, 1.0009765625f,
                                      1.00048828125f, 1.00146484375f, 3.14159265f, -2.71828f };
        at::manual_seed(1);
        const at::Tensor r = at::randn({ 4000 }) * at::pow(10.0, at::randint(-9, 6, { 4000 }).to(at::kFloat));
        values.insert(values.end(), r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
        const at::Tensor t = at::tensor(values);
        const at::Tensor h = t.to(at::kHalf), b = t.to(at::kBFloat16);
        for (int64_t i = 0; i < t.numel(); ++i) {
            uint16_t hv, bv;
            std::memcpy(&hv, h.data_ptr<at::Half>() + i, 2);
            std::memcpy(&bv, b.data_ptr<at::BFloat16>() + i, 2);
            QCOMPARE(kernels::floatToHalf(values[size_t(i)]), hv);
            QCOMPARE(kernels::floatToBf16(values[size_t(i)]), bv);
            QCOMPARE(kernels::halfToFloat(hv), float(h[i].item<float>()));
            QCOMPARE(kernels::bf16ToFloat(bv), float(b[i].item<float>()));
        }
    }

    // Round trips: bf16 exact to bf16 rounding; int8 within scale/2 with scale = max|w|/127;
    // int4 within |d|/2 (|d| for the one clamped level, a value near −m), d = m/−8 per group.
    void packRoundTrip_data()
    {
        QTest::addColumn<WeightFormat>("format");
        for (WeightFormat f : { WeightFormat::Bf16, WeightFormat::Int8, WeightFormat::Int4 })
            QTest::newRow(qPrintable(formatName(f))) << f;
    }

    void packRoundTrip()
    {
        QFETCH(WeightFormat, format);
        for (const auto& [n, k] : kShapes) {
            const at::Tensor w = randomWeight(n, k, uint64_t(n * 1000 + k));
            const LinearWeight lw = LinearWeight::pack(w, format);
            QCOMPARE(lw.rows(), n);
            QCOMPARE(lw.cols(), k);
            const at::Tensor deq = lw.dequantized();
            QCOMPARE(deq.sizes(), w.sizes());
            const at::Tensor err = (deq - w).abs();
            at::Tensor bound;
            if (format == WeightFormat::Bf16) {
                QVERIFY(at::equal(deq, w.to(at::kBFloat16).to(at::kFloat)));
                continue;
            }
            if (format == WeightFormat::Int8) {
                bound = std::get<0>(w.abs().max(1, true)) / 127.0 * 0.5 * (1 + 1e-6);
            } else {
                const int64_t g = kernels::int4::kGroup, groups = kernels::int4::groups(k);
                const at::Tensor padded = at::constant_pad_nd(w, { 0, groups * g - k }).view({ n, groups, g });
                const at::Tensor amax = std::get<0>(padded.abs().max(2, true));
                // d as stored: m/−8 rounded to f16 (relative 2^-11), so allow 2^-10.
                const at::Tensor d = amax / 8.0 * (1 + 1.0 / 1024);
                const at::Tensor clamped = padded.abs() > amax / 8.0 * (1 - 1.0 / 1024) * 7.5;
                bound = at::where(clamped, d, d * 0.5).view({ n, groups * g }).narrow(1, 0, k) * (1 + 1e-6);
            }
            const at::Tensor over = err > bound;
            if (over.any().item<bool>())
                QFAIL(qPrintable(QStringLiteral("[%1, %2]: %3 values beyond the bound, worst error %4")
                                     .arg(n)
                                     .arg(k)
                                     .arg(over.sum().item<int64_t>())
                                     .arg(err.max().item<double>())));
            // The largest magnitude of each row (int8) / group (int4) is exact.
            const at::Tensor idx = std::get<1>(w.abs().max(1, true));
            if (format == WeightFormat::Int8)
                QVERIFY(at::allclose(deq.gather(1, idx), w.gather(1, idx), 1e-6, 0.0));
        }
    }

    // The int4 layout matches int4format.h byte for byte on a hand-made matrix whose groups all
    // have scale 1, so q = w + 8; padded rows and columns hold q = 8 (zero).
    void int4Layout()
    {
        const int64_t n = 18, k = 40; // two tiles of 16 rows (the second mostly padding), two groups
        at::Tensor w = at::empty({ n, k });
        for (int64_t j = 0; j < n; ++j)
            for (int64_t i = 0; i < k; ++i)
                w[j][i] = i % 32 == 0 ? -8.0 : double((j + i) % 15 - 7); // m = −8: d = 1 in every group
        const LinearWeight lw = LinearWeight::pack(w, WeightFormat::Int4);
        const auto buffers = lw.buffers();
        QCOMPARE(buffers.size(), size_t(2));
        QCOMPARE(buffers[0].bytes, size_t(2 * 2 * 256)); // 2 tiles × 2 groups × 16 rows × 16 bytes
        QCOMPARE(buffers[1].bytes, size_t(2 * 2 * 16 * 2));
        const auto* nib = static_cast<const uint8_t*>(buffers[0].data);
        const auto* sc = static_cast<const uint16_t*>(buffers[1].data);
        for (int64_t j = 0; j < 32; ++j)
            for (int64_t g = 0; g < 2; ++g) {
                const int64_t tile = j / 16, i = j % 16;
                const uint16_t scale = sc[(tile * 2 + g) * 16 + i];
                QCOMPARE(scale, j < n ? kernels::floatToHalf(1.0f) : kernels::floatToHalf(-0.0f));
                for (int64_t c = 0; c < 32; ++c) {
                    // Chunk c / 8 of the group, row i's 4 bytes, low nibbles 0…3 and high 4…7.
                    const uint8_t byte = nib[(tile * 2 + g) * 256 + (c / 8) * 64 + i * 4 + c % 4];
                    const int col = int(g * 32 + c);
                    const int expect = j >= n || col >= k ? 8 : int(w[j][col].item<float>()) + 8;
                    QCOMPARE(int(c % 8 < 4 ? byte & 15 : byte >> 4), expect);
                }
            }
    }

    // The int8 layout matches int8format.h byte for byte on a hand-made matrix whose rows all
    // have scale 1 (max |w| = 127), so the stored byte is w + 128; padded rows and columns hold
    // 128 (zero) and padded rows scale 0.
    void int8Layout()
    {
        const int64_t n = 18, k = 40; // two tiles of 16 rows (the second mostly padding), two blocks
        at::Tensor w = at::empty({ n, k });
        for (int64_t j = 0; j < n; ++j)
            for (int64_t i = 0; i < k; ++i)
                w[j][i] = i == 0 ? (j % 2 ? 127.0 : -127.0) : double((j * 37 + i * 11) % 255 - 127);
        const LinearWeight lw = LinearWeight::pack(w, WeightFormat::Int8);
        const auto buffers = lw.buffers();
        QCOMPARE(buffers.size(), size_t(2));
        QCOMPARE(buffers[0].bytes, size_t(2 * 2 * 512)); // 2 tiles × 2 blocks × 16 rows × 32 bytes
        QCOMPARE(buffers[1].bytes, size_t(32 * 4));
        const auto* bytes = static_cast<const uint8_t*>(buffers[0].data);
        const auto* sc = static_cast<const float*>(buffers[1].data);
        for (int64_t j = 0; j < 32; ++j) {
            QCOMPARE(sc[j], j < n ? 1.0f : 0.0f);
            for (int64_t g = 0; g < 2; ++g) {
                const int64_t tile = j / 16, i = j % 16;
                for (int64_t c = 0; c < 32; ++c) {
                    // Chunk c / 4 of the block, row i's 4 bytes.
                    const uint8_t byte = bytes[(tile * 2 + g) * 512 + (c / 4) * 64 + i * 4 + c % 4];
                    const int col = int(g * 32 + c);
                    const int expect = j >= n || col >= k ? 128 : int(w[j][col].item<float>()) + 128;
                    QCOMPARE(int(byte), expect);
                }
            }
        }
    }

    // The activation quantizer the int8 / int4 kernels use: |dx · qx − x| ≤ dx / 2 per value,
    // a block's largest magnitude becomes ±127, the offset −8 · Σ qx per block, zeros past K, an all-zero block
    // scale 0, and a block holding NaN or ∞ a NaN scale (so the output shows the broken input).
    void activationQuantization_data()
    {
        QTest::addColumn<bool>("bf16");
        QTest::newRow("f32") << false;
        QTest::newRow("bf16") << true;
    }

    void activationQuantization()
    {
        QFETCH(bool, bf16);
        const int64_t m = 3, k = 100, ldx = kernels::paddedK(k), blocks = ldx / kernels::kActBlock;
        at::Tensor x = at::randn({ m, k }) * at::rand({ m, k }).pow(4) * 50;
        x[0][5] = 900.0;                 // an outlier: only its own block gets coarse
        x[1].narrow(0, 32, 32).zero_();  // an all-zero block
        x[2][70] = std::nan("");         // a broken block
        x = x.to(bf16 ? at::kBFloat16 : at::kFloat);
        std::vector<int8_t> qx(size_t(m * ldx), 99);
        std::vector<float> scale(size_t(m * blocks));
        std::vector<int32_t> sum(size_t(m * blocks));
        kernels::quantizeActivations(x.data_ptr(), bf16, m, k, ldx, qx.data(), scale.data(), sum.data());
        const at::Tensor xf = x.to(at::kFloat);
        for (int64_t r = 0; r < m; ++r)
            for (int64_t b = 0; b < blocks; ++b) {
                const float dx = scale[size_t(r * blocks + b)];
                const int64_t i0 = b * 32, count = std::max<int64_t>(0, std::min<int64_t>(32, k - i0));
                const bool broken = r == 2 && b == 2;
                QCOMPARE(std::isnan(dx), broken);
                int32_t total = 0, amax = 0;
                for (int64_t i = 0; i < 32; ++i) {
                    const int q = qx[size_t(r * ldx + i0 + i)];
                    QVERIFY(q >= -127 && q <= 127);
                    total += q;
                    amax = std::max(amax, std::abs(q));
                    if (i >= count || broken) {
                        QCOMPARE(q, 0);
                        continue;
                    }
                    const double v = xf[r][i0 + i].item<double>();
                    QVERIFY2(std::abs(double(dx) * q - v) <= double(dx) * (0.5 + 1e-5) + 1e-30,
                             qPrintable(QStringLiteral("row %1 value %2: %3 vs %4").arg(r).arg(i0 + i).arg(double(dx) * q).arg(v)));
                }
                QCOMPARE(sum[size_t(r * blocks + b)], -8 * total);
                if (count == 0 || (r == 1 && b == 1))
                    QCOMPARE(dx, 0.0f);
                else if (!broken)
                    QCOMPARE(amax, 127);
            }
        QVERIFY(scale[0] > 900.0f / 127.0f * 0.99f && scale[1] < 50.0f); // the outlier's block only
    }

    // forward() on every path, format and input dtype against dequantize-then-matmul, for
    // M = 1 … 40 rows (≤ 16 the kernels, above that the tiled GEMM) and every shape; with a bias.
    void forwardMatchesReference_data() { addPathRows(); }

    void forwardMatchesReference()
    {
        QFETCH(kernels::Isa, isa);
        QFETCH(WeightFormat, format);
        QFETCH(bool, bf16Input);
        if (!kernels::cpuSupports(isa))
            QSKIP(qPrintable(QStringLiteral("this CPU cannot run the %1 kernels").arg(QString::fromLatin1(kernels::isaName(isa)))));
        const IsaScope scope(isa);
        const at::ScalarType dtype = bf16Input ? at::kBFloat16 : at::kFloat;
        for (const auto& [n, k] : kShapes) {
            const at::Tensor w = randomWeight(n, k, uint64_t(n * 7 + k));
            const at::Tensor bias = at::randn({ n }).to(dtype);
            const LinearWeight lw = LinearWeight::pack(w, format, bias);
            const at::Tensor deq = lw.dequantized();
            for (int64_t m : kRowCounts) {
                const at::Tensor x = at::randn({ m, k }).to(dtype);
                const at::Tensor y = lw.forward(x);
                QCOMPARE(y.scalar_type(), dtype);
                QCOMPARE(y.sizes(), (at::IntArrayRef { m, n }));
                // Prefill (m > 16) with bf16 x rounds each dequantized int8/int4 tile to bf16;
                // decode (m ≤ 16) multiplies int8/int4 weights by x quantized in blocks.
                const bool kernelRows = m <= LinearWeight::kMaxKernelRows;
                const bool tileRounded = !kernelRows && bf16Input && format != WeightFormat::Bf16;
                const at::Tensor xSeen = kernelRows && format != WeightFormat::Bf16 ? quantizedActivations(x) : x;
                const double worst = worstRatio(y, xSeen, deq, bias, tileRounded ? kBf16Unit / 2 : 0.0,
                                                bf16Input ? kBf16Unit : kF32Unit);
                if (worst > 1.0)
                    QFAIL(qPrintable(QStringLiteral("[%1, %2], M = %3: error %4× the bound").arg(n).arg(k).arg(m).arg(worst)));
            }
        }
    }

    // The bf16 tiles that prefill multiplies (dequantized straight into bf16, by the AVX512-BF16
    // code where that path is active) hold exactly the f32 dequantization rounded to nearest even,
    // on every path, for K with and without a partial last group.
    void bf16TilesAreRoundedF32_data()
    {
        QTest::addColumn<kernels::Isa>("isa");
        QTest::addColumn<WeightFormat>("format");
        for (kernels::Isa isa : { kernels::Isa::Scalar, kernels::Isa::Avx2, kernels::Isa::Avx512, kernels::Isa::Avx512Bf16 })
            for (WeightFormat f : { WeightFormat::Int8, WeightFormat::Int4 })
                QTest::newRow(qPrintable(QString::fromLatin1(kernels::isaName(isa)) + QLatin1Char(' ') + formatName(f))) << isa << f;
    }

    void bf16TilesAreRoundedF32()
    {
        QFETCH(kernels::Isa, isa);
        QFETCH(WeightFormat, format);
        if (!kernels::cpuSupports(isa))
            QSKIP(qPrintable(QStringLiteral("this CPU cannot run the %1 kernels").arg(QString::fromLatin1(kernels::isaName(isa)))));
        const IsaScope scope(isa);
        for (const auto& [n, k] : kShapes) {
            const LinearWeight lw = LinearWeight::pack(randomWeight(n, k, uint64_t(n * 5 + k)), format);
            const at::Tensor direct = lw.dequantized(at::kBFloat16);
            const at::Tensor viaF32 = lw.dequantized(at::kFloat).to(at::kBFloat16);
            QCOMPARE(direct.scalar_type(), at::kBFloat16);
            if (!at::equal(direct.view(at::kShort), viaF32.view(at::kShort)))
                QFAIL(qPrintable(QStringLiteral("[%1, %2]: bf16 tile differs from the rounded f32 one").arg(n).arg(k)));
        }
    }

    // A contiguous bf16 weight given as a tensor runs the bf16 kernels over the caller's storage
    // (no copy) and agrees with at::linear; 3-D input keeps its leading shape; f32 stays dense.
    void leadingDimsAndDenseBf16()
    {
        const at::Tensor w = randomWeight(24, 70, 5).to(at::kBFloat16);
        const LinearWeight lw(w); // contiguous CPU bf16: the Bf16 kernels, no copy
        QCOMPARE(lw.format(), WeightFormat::Bf16);
        QCOMPARE(lw.buffers().at(0).data, static_cast<const void*>(w.data_ptr()));
        const at::Tensor x = at::randn({ 2, 3, 70 }).to(at::kBFloat16);
        const at::Tensor y = lw.forward(x);
        QCOMPARE(y.sizes(), (at::IntArrayRef { 2, 3, 24 }));
        const at::Tensor ref = at::linear(x.to(at::kFloat), w.to(at::kFloat)).to(at::kBFloat16);
        // Two f32 sums, each rounded to bf16: at most one bf16 step (2^-7 relative) apart.
        QVERIFY(at::allclose(y.to(at::kFloat), ref.to(at::kFloat), 2 * kBf16Unit, 1e-3));
        const LinearWeight dense(w.to(at::kFloat));
        QCOMPARE(dense.format(), WeightFormat::Dense);
        QVERIFY(at::equal(dense.forward(x.to(at::kFloat)), at::linear(x.to(at::kFloat), w.to(at::kFloat))));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lw.forward(at::randn({ 2, 71 })));
    }

    // The result does not depend on how the output rows are split between threads.
    void threadCountDoesNotChangeResults_data() { addPathRows(); }

    void threadCountDoesNotChangeResults()
    {
        QFETCH(kernels::Isa, isa);
        QFETCH(WeightFormat, format);
        QFETCH(bool, bf16Input);
        if (!kernels::cpuSupports(isa))
            QSKIP(qPrintable(QStringLiteral("this CPU cannot run the %1 kernels").arg(QString::fromLatin1(kernels::isaName(isa)))));
        const IsaScope scope(isa);
        const int threads = at::get_num_threads();
        const LinearWeight lw = LinearWeight::pack(randomWeight(517, 1000, 9), format);
        const at::Tensor x = at::randn({ 5, 1000 }).to(bf16Input ? at::kBFloat16 : at::kFloat);
        at::set_num_threads(1);
        const at::Tensor one = lw.forward(x);
        at::set_num_threads(std::max(2, threads));
        const at::Tensor many = lw.forward(x);
        at::set_num_threads(threads);
        QVERIFY(at::equal(one, many));
    }

    // buffers() → external memory → fromBuffers(): the same results bit for bit, the memory
    // kept alive by the view; wrong sizes, counts and alignments are refused with a reason.
    void viewsOverExternalBuffers_data()
    {
        QTest::addColumn<WeightFormat>("format");
        for (WeightFormat f : { WeightFormat::Bf16, WeightFormat::Int8, WeightFormat::Int4 })
            QTest::newRow(qPrintable(formatName(f))) << f;
    }

    void viewsOverExternalBuffers()
    {
        QFETCH(WeightFormat, format);
        const int64_t n = 45, k = 77;
        const LinearWeight packed = LinearWeight::pack(randomWeight(n, k, 3), format);
        const auto sizes = LinearWeight::bufferSizes(format, n, k);
        const auto buffers = packed.buffers();
        QCOMPARE(buffers.size(), sizes.size());
        size_t total = 0;
        std::vector<std::shared_ptr<void>> holders(buffers.size());
        std::vector<LinearWeight::Buffer> views;
        for (size_t i = 0; i < buffers.size(); ++i) {
            QCOMPARE(buffers[i].bytes, sizes[i]);
            total += sizes[i];
            const at::Tensor copy = alignedCopy(buffers[i].data, buffers[i].bytes, holders[i]);
            views.push_back({ copy.data_ptr(), buffers[i].bytes });
        }
        QCOMPARE(packed.packedBytes(), total);
        auto keepAlive = std::make_shared<std::vector<std::shared_ptr<void>>>(holders);
        std::weak_ptr<void> watch = keepAlive;
        holders.clear();
        const at::Tensor x = at::randn({ 3, k });
        {
            const LinearWeight view = LinearWeight::fromBuffers(format, n, k, views, keepAlive);
            keepAlive.reset();
            QVERIFY(!watch.expired()); // the view holds the memory
            QVERIFY(at::equal(view.forward(x), packed.forward(x)));
            QVERIFY(at::equal(view.dequantized(), packed.dequantized()));
            QCOMPARE(view.packedBytes(), total);
        }
        QVERIFY(watch.expired());

        std::vector<LinearWeight::Buffer> bad = views;
        bad[0].bytes -= 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LinearWeight::fromBuffers(format, n, k, bad, nullptr));
        bad = views;
        bad.pop_back();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LinearWeight::fromBuffers(format, n, k, bad, nullptr));
        std::shared_ptr<void> misaligned;
        const at::Tensor off = alignedCopy(buffers[0].data, buffers[0].bytes, misaligned, 2);
        bad = views;
        bad[0].data = off.data_ptr();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LinearWeight::fromBuffers(format, n, k, bad, nullptr));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LinearWeight::bufferSizes(WeightFormat::Dense, n, k));
    }

    // rows(ids) returns exactly the dequantized rows asked for, in the ids' shape; an id out
    // of range is an error naming it.
    void embeddingRows_data() { packRoundTrip_data(); }

    void embeddingRows()
    {
        QFETCH(WeightFormat, format);
        const LinearWeight lw = LinearWeight::pack(randomWeight(50, 33, 4), format);
        const at::Tensor deq = lw.dequantized();
        const at::Tensor ids = at::tensor(std::vector<int64_t> { 0, 49, 7, 7, 13, 2 }).view({ 2, 3 });
        const at::Tensor got = lw.rows(ids, at::kFloat);
        QCOMPARE(got.sizes(), (at::IntArrayRef { 2, 3, 33 }));
        QVERIFY(at::equal(got, deq.index_select(0, ids.view({ -1 })).view({ 2, 3, 33 })));
        QVERIFY(at::equal(lw.rows(ids, at::kBFloat16), got.to(at::kBFloat16)));
        try {
            lw.rows(at::tensor(std::vector<int64_t> { 3, 50 }), at::kFloat);
            QFAIL("an id past the end was accepted");
        } catch (const std::out_of_range& e) {
            QVERIFY(std::string(e.what()).find("50") != std::string::npos);
        }
    }
};

FOLIO_TEST_CLASS(TstKernels)
#include "tst_kernels.moc"
