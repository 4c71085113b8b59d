// Sampler: HF's logits-processor order and semantics, on small hand-computed cases.
#include "inference/sampler.h"

#include "testregistry.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using folio::inference::Sampler;
using folio::inference::SamplingParams;

namespace {

at::Tensor logitsOf(const std::vector<float>& v)
{
    return at::tensor(v, at::kFloat);
}

std::vector<float> valuesOf(const at::Tensor& t)
{
    const at::Tensor c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

constexpr float kInf = std::numeric_limits<float>::infinity();

} // namespace

Q_DECLARE_METATYPE(folio::inference::SamplingParams)

class TstSampler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Positive scores are divided by the penalty, negative ones multiplied; each distinct id
    // of the sequence once, however often it occurs; unseen ids untouched.
    void repetitionPenalty_data()
    {
        QTest::addColumn<bool>("doSample");
        QTest::newRow("greedy") << false;
        QTest::newRow("sampling") << true;
    }

    void repetitionPenalty()
    {
        QFETCH(bool, doSample);
        SamplingParams p;
        p.doSample = doSample;
        p.repetitionPenalty = 2.0f;
        Sampler s(p);
        const auto out = valuesOf(s.process(logitsOf({ 2.0f, -2.0f, 1.0f, 0.5f, -0.25f, 0.0f }), { 1, 0, 1, 1, 4, 5 }));
        QCOMPARE(out, (std::vector<float> { 1.0f, -4.0f, 1.0f, 0.5f, -0.5f, 0.0f }));
    }

    // The penalty changes the greedy choice: 3.0 is pulled below 2.5 once id 0 was seen.
    void penaltyAppliesToGreedy()
    {
        SamplingParams p;
        p.repetitionPenalty = 1.5f;
        Sampler s(p);
        const at::Tensor logits = logitsOf({ 3.0f, 2.5f, -1.0f });
        QCOMPARE(s.next(logits, {}), int64_t(0));
        QCOMPARE(s.next(logits, { 0 }), int64_t(1));
        QCOMPARE(s.next(logits, { 0, 1 }), int64_t(0)); // 2.0 vs 1.666…
        // The caller's tensor is left alone.
        QCOMPARE(valuesOf(logits), (std::vector<float> { 3.0f, 2.5f, -1.0f }));
    }

    void greedyTiesGoToLowestId()
    {
        Sampler s(SamplingParams {});
        QCOMPARE(s.next(logitsOf({ 0.0f, 5.0f, 1.0f, 5.0f, 5.0f }), {}), int64_t(1));
        QCOMPARE(s.next(logitsOf({ 7.0f, 7.0f }), {}), int64_t(0));
    }

    void greedyIgnoresSamplingSettings()
    {
        SamplingParams p;
        p.temperature = 0.5f;
        p.topK = 1;
        p.topP = 0.1f;
        Sampler s(p);
        QCOMPARE(valuesOf(s.process(logitsOf({ 1.0f, 3.0f, 2.0f }), {})), (std::vector<float> { 1.0f, 3.0f, 2.0f }));
    }

    void anyFloatDtype_data()
    {
        QTest::addColumn<int>("dtype");
        QTest::newRow("f32") << static_cast<int>(at::kFloat);
        QTest::newRow("bf16") << static_cast<int>(at::kBFloat16);
        QTest::newRow("f16") << static_cast<int>(at::kHalf);
        QTest::newRow("f64") << static_cast<int>(at::kDouble);
    }

    void anyFloatDtype()
    {
        QFETCH(int, dtype);
        const at::Tensor logits = logitsOf({ 0.5f, -1.0f, 4.0f, 2.0f }).to(static_cast<at::ScalarType>(dtype));
        Sampler s(SamplingParams {});
        const at::Tensor scores = s.process(logits, {});
        QCOMPARE(scores.scalar_type(), at::kFloat);
        QCOMPARE(s.next(logits, {}), int64_t(2));
    }

    void temperature()
    {
        SamplingParams p;
        p.doSample = true;
        p.temperature = 0.5f;
        p.repetitionPenalty = 2.0f;
        Sampler s(p);
        // Penalty first (id 0: 3 -> 1.5), then temperature (x2).
        QCOMPARE(
            valuesOf(s.process(logitsOf({ 3.0f, -1.0f, 0.25f }), { 0 })), (std::vector<float> { 3.0f, -2.0f, 0.5f }));
    }

    void topK_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<std::vector<float>>("expected");
        const std::vector<float> in { 1.0f, 4.0f, 3.0f, 4.0f, -2.0f, 3.0f };
        QTest::newRow("k=1 keeps both tied maxima")
            << 1 << std::vector<float> { -kInf, 4.0f, -kInf, 4.0f, -kInf, -kInf };
        QTest::newRow("k=3 keeps ties with the 3rd")
            << 3 << std::vector<float> { -kInf, 4.0f, 3.0f, 4.0f, -kInf, 3.0f };
        QTest::newRow("k=5") << 5 << std::vector<float> { 1.0f, 4.0f, 3.0f, 4.0f, -kInf, 3.0f };
        QTest::newRow("k above vocab") << 100 << in;
        QTest::newRow("off") << 0 << in;
    }

    void topK()
    {
        QFETCH(int, k);
        QFETCH(std::vector<float>, expected);
        SamplingParams p;
        p.doSample = true;
        p.topK = k;
        Sampler s(p);
        QCOMPARE(valuesOf(s.process(logitsOf({ 1.0f, 4.0f, 3.0f, 4.0f, -2.0f, 3.0f }), {})), expected);
    }

    // Ids 0..3 have probabilities 0.3, 0.05, 0.5, 0.15.
    // Ascending cumulative sums: 0.05, 0.20, 0.50, 1.0; entries with a sum <= 1 - top_p go.
    void topP_data()
    {
        QTest::addColumn<float>("topP");
        QTest::addColumn<std::vector<bool>>("kept");
        QTest::newRow("0.9 drops 0.05") << 0.9f << std::vector<bool> { true, false, true, true };
        QTest::newRow("0.75 drops 0.05+0.15") << 0.75f << std::vector<bool> { true, false, true, false };
        QTest::newRow("0.4 keeps 0.5 only") << 0.4f << std::vector<bool> { false, false, true, false };
        QTest::newRow("0 keeps the top token") << 0.0f << std::vector<bool> { false, false, true, false };
        QTest::newRow("1 is off") << 1.0f << std::vector<bool> { true, true, true, true };
    }

    void topP()
    {
        QFETCH(float, topP);
        QFETCH(std::vector<bool>, kept);
        SamplingParams p;
        p.doSample = true;
        p.topP = topP;
        Sampler s(p);
        const std::vector<float> in { std::log(0.3f), std::log(0.05f), std::log(0.5f), std::log(0.15f) };
        const auto out = valuesOf(s.process(logitsOf(in), {}));
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (kept[i])
                QCOMPARE(out[i], in[i]);
            else
                QCOMPARE(out[i], -kInf);
        }
    }

    // top-k runs before top-p: with k = 2 only 0.5 and 0.3 remain (renormalised 0.625 / 0.375),
    // so top-p 0.6 then drops the 0.375 one. The other order would keep both.
    void topKBeforeTopP()
    {
        SamplingParams p;
        p.doSample = true;
        p.topK = 2;
        p.topP = 0.6f;
        Sampler s(p);
        const auto out
            = valuesOf(s.process(logitsOf({ std::log(0.3f), std::log(0.05f), std::log(0.5f), std::log(0.15f) }), {}));
        QCOMPARE(out, (std::vector<float> { -kInf, -kInf, std::log(0.5f), -kInf }));
    }

    void seededDeterminism()
    {
        SamplingParams p;
        p.doSample = true;
        p.seed = 1234;
        const at::Tensor logits = at::zeros({ 1000 }); // uniform over 1000 ids
        Sampler a(p);
        Sampler b(p);
        p.seed = 99;
        Sampler c(p);
        std::vector<int64_t> da, db, dc;
        for (int i = 0; i < 50; ++i) {
            da.push_back(a.next(logits, {}));
            db.push_back(b.next(logits, {}));
            dc.push_back(c.next(logits, {}));
        }
        QCOMPARE(da, db);
        QVERIFY(da != dc);
    }

    // Draws follow softmax of the processed scores and never leave the kept set.
    void samplingDistribution()
    {
        SamplingParams p;
        p.doSample = true;
        p.topK = 3;
        p.seed = 7;
        Sampler s(p);
        const at::Tensor logits
            = logitsOf({ std::log(0.1f), std::log(0.5f), -30.0f, std::log(0.3f), std::log(0.1f) - 0.5f });
        // After top-3: ids 1, 3, 0 with probabilities 0.5/0.9, 0.3/0.9, 0.1/0.9.
        std::vector<int> counts(5, 0);
        const int n = 6000;
        for (int i = 0; i < n; ++i)
            ++counts[static_cast<std::size_t>(s.next(logits, {}))];
        QCOMPARE(counts[2], 0);
        QCOMPARE(counts[4], 0);
        QVERIFY2(std::abs(counts[1] / double(n) - 5.0 / 9.0) < 0.03, qPrintable(QString::number(counts[1])));
        QVERIFY2(std::abs(counts[3] / double(n) - 3.0 / 9.0) < 0.03, qPrintable(QString::number(counts[3])));
        QVERIFY2(std::abs(counts[0] / double(n) - 1.0 / 9.0) < 0.03, qPrintable(QString::number(counts[0])));
    }

    void invalidParams_data()
    {
        QTest::addColumn<SamplingParams>("params");
        QTest::addColumn<QString>("mentions");
        SamplingParams p;
        p.temperature = 0.0f;
        QTest::newRow("temperature 0") << p << QStringLiteral("temperature");
        p = {};
        p.repetitionPenalty = -1.0f;
        QTest::newRow("negative penalty") << p << QStringLiteral("penalty");
        p = {};
        p.topK = -1;
        QTest::newRow("negative top-k") << p << QStringLiteral("top-k");
        p = {};
        p.topP = 1.5f;
        QTest::newRow("top-p above 1") << p << QStringLiteral("top-p");
        p = {};
        p.topP = std::nanf("");
        QTest::newRow("top-p NaN") << p << QStringLiteral("top-p");
    }

    void invalidParams()
    {
        QFETCH(SamplingParams, params);
        QFETCH(QString, mentions);
        const auto r = Sampler::validate(params);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error()).contains(mentions), r.error().c_str());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Sampler { params });
        QVERIFY(Sampler::validate(SamplingParams {}).ok());
    }

    void badInput()
    {
        SamplingParams p;
        p.repetitionPenalty = 1.1f;
        Sampler s(p);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.next(at::zeros({ 2, 3 }), {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.next(at::zeros({ 3 }, at::kLong), {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.next(at::zeros({ 3 }), { 3 }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.next(at::zeros({ 3 }), { -1 }));
    }
};

FOLIO_TEST_CLASS(TstSampler)
#include "tst_sampler.moc"
