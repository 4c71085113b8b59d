// Speculative decoding on the fixture model, every reference case, float32, bf16 and the int8 /
// int4 packed formats: a k-token verification step gives the logits of k single steps, and
// greedy decoding with forced drafts (right, wrong, partly right, longer than the budget, with
// stop tokens inside) gives exactly the ids of decoding one token at a time. Under sampling
// drafts are off: the sampled ids are those of a run without a draft source.
#include "inference/config.h"
#include "inference/draftsource.h"
#include "inference/generator.h"
#include "inference/kvcache.h"
#include "inference/safetensors.h"
#include "inference/textmodel.h"
#include "inference/visionencoder.h"
#include "inference/weights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "inference/fixturemodel.h"
#include "testregistry.h"

#include <QTest>

#include <fstream>
#include <map>
#include <memory>

using namespace folio::inference;

namespace {

constexpr int64_t kEos = 151645;

std::string fixturePath(const std::string& relative)
{
    return (folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny/")).toStdString() + relative;
}

using folio::test::loadFixtureModel;
using Model = folio::test::FixtureModel;

using folio::test::Prompt;

Prompt referencePrompt(const Model& m, const std::string& name)
{
    return folio::test::casePrompt(m, fixturePath("reference/" + name + ".safetensors"));
}

// Proposes from a script: at each step the caller's function of the answer so far.
class ForcedDraft final : public DraftSource {
public:
    using Script = std::function<std::vector<int64_t>(std::size_t answerLength)>;
    explicit ForcedDraft(Script script) : m_script(std::move(script)) { }

    Draft propose(const std::vector<int64_t>& sequence, std::size_t promptLength, std::size_t maxTokens) override
    {
        // Ignores maxTokens on purpose: the generator must cap what it is given.
        m_answerLength = sequence.size() - promptLength;
        m_maxTokens = maxTokens;
        ++calls;
        return {m_script(m_answerLength), 1};
    }
    void feedback(std::size_t proposed, std::size_t accepted, double stepMs) override
    {
        this->proposed += proposed;
        this->accepted += accepted;
        if (stepMs > 0)
            ++timedSteps;
        if (proposed > m_maxTokens || m_answerLength + proposed + 1 > budget)
            ++overBudget;
    }
    std::size_t calls = 0, proposed = 0, accepted = 0, overBudget = 0, timedSteps = 0;
    std::size_t budget = 0;

private:
    Script m_script;
    std::size_t m_answerLength = 0, m_maxTokens = 0;
};

// ids[from, from + n), padded with `pad` past the end.
std::vector<int64_t> slice(const std::vector<int64_t>& ids, std::size_t from, std::size_t n, int64_t pad)
{
    std::vector<int64_t> out;
    for (std::size_t i = from; i < from + n; ++i)
        out.push_back(i < ids.size() ? ids[i] : pad);
    return out;
}

} // namespace

class TstSpeculative : public QObject {
    Q_OBJECT

private:
    std::map<QString, std::unique_ptr<Model>> m_models;
    nlohmann::json m_cases;

    const Model& model(const QString& dtype)
    {
        auto& m = m_models[dtype];
        // "int8", "int4": the bf16 checkpoint packed as the engine packs it, run in bf16.
        if (!m)
            m = dtype == QStringLiteral("f32")       ? loadFixtureModel(fixturePath(""), at::kFloat)
                : dtype == QStringLiteral("bf16") ? loadFixtureModel(fixturePath("model-bf16"), at::kBFloat16)
                                                  : loadFixtureModel(fixturePath("model-bf16"), at::kBFloat16,
                                                                     *parseQuantScheme(dtype.toStdString()));
        return *m;
    }

    void addCaseRows(bool withDrafts)
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("draft");
        const std::vector<const char*> drafts = withDrafts ? std::vector<const char*>{"right", "wrong", "partly right", "beyond budget", "stop inside", "stop accepted"}
                                                           : std::vector<const char*>{"-"};
        for (const char* dtype : {"f32", "bf16", "int8", "int4"})
            for (const auto& c : m_cases["cases"])
                for (const char* draft : drafts) {
                    const std::string name = c["name"];
                    QTest::newRow(qPrintable(QStringLiteral("%1 %2 %3").arg(QLatin1String(dtype), QString::fromStdString(name), QLatin1String(draft))))
                        << QString::fromLatin1(dtype) << QString::fromStdString(name) << QString::fromLatin1(draft);
                }
    }

    static GeneratorSettings greedy(int64_t maxNewTokens)
    {
        GeneratorSettings s;
        s.maxNewTokens = maxNewTokens;
        s.stopIds = {kEos, 151643};
        s.sampling.doSample = false;
        s.sampling.repetitionPenalty = 1.0f;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::ifstream in(fixturePath("reference/cases.json"));
        m_cases = nlohmann::json::parse(in);
        QVERIFY(m_cases["cases"].size() >= 7);
    }

    // After the prompt, k tokens in one forward pass give the logits of k single steps; the
    // cache rolled back to the prompt gives the same single steps again.
    void verificationLogits_data() { addCaseRows(false); }
    void verificationLogits()
    {
        QFETCH(QString, dtype);
        QFETCH(QString, name);
        c10::InferenceMode guard;
        const Model& m = model(dtype);
        const Prompt p = referencePrompt(m, name.toStdString());
        const auto len = static_cast<int64_t>(p.ids.size());
        KvCache cache = m.text->makeCache(len + 32);
        m.text->forward(p.embeds, p.positions, cache);

        const std::vector<int64_t> ids = {1000, 2345, kEos, 77, 151655, 9, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310};
        for (const int64_t k : {2, 6, 17}) {
            const std::vector<int64_t> tokens(ids.begin(), ids.begin() + k);
            auto singleSteps = [&] {
                std::vector<at::Tensor> rows;
                for (const int64_t id : tokens) {
                    const at::Tensor pos = at::full({3, 1}, cache.length() + p.ropeDelta, at::kLong);
                    rows.push_back(m.text->logits(m.text->forward(m.text->embed(at::full({1}, id, at::kLong)), pos, cache)));
                }
                return at::cat(rows, 0);
            };
            const at::Tensor single = singleSteps();
            QCOMPARE(cache.length(), len + k);
            cache.truncate(len);
            const at::Tensor pos = (at::arange(k, at::kLong) + (len + p.ropeDelta)).unsqueeze(0).expand({3, k});
            const at::Tensor verified
                = m.text->logits(m.text->forward(m.text->embed(at::tensor(tokens, at::kLong)), pos, cache));
            QCOMPARE(cache.length(), len + k);
            cache.truncate(len);
            const at::Tensor again = singleSteps();
            cache.truncate(len);

            // float32: kernel order only; bf16 and the packed formats: the same roundings
            // (attention runs row by row, the matrix kernels row by row up to 32 rows).
            const double tolerance = dtype == QStringLiteral("f32") ? 1e-4 : 0.0;
            const double d = (verified - single).abs().max().item<double>();
            qInfo("%s %s: k=%lld verification vs single steps max|diff| %.3g", qPrintable(dtype), qPrintable(name),
                  static_cast<long long>(k), d);
            QVERIFY2(d <= tolerance, qPrintable(QStringLiteral("k=%1 max|diff| %2").arg(k).arg(d)));
            QCOMPARE((again - single).abs().max().item<double>(), 0.0); // the rollback left nothing behind
        }
    }

    void greedyWithDrafts_data() { addCaseRows(true); }
    void greedyWithDrafts()
    {
        QFETCH(QString, dtype);
        QFETCH(QString, name);
        QFETCH(QString, draft);
        c10::InferenceMode guard;
        const Model& m = model(dtype);
        const Prompt p = referencePrompt(m, name.toStdString());
        const int64_t budget = 24;
        GeneratorSettings settings = greedy(budget);
        const Generator generator(*m.text);
        const GeneratorOutput plain = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings, {}, nullptr);
        const std::vector<int64_t> truth = plain.generatedIds;
        QCOMPARE(static_cast<int64_t>(truth.size()), budget);
        QCOMPARE(plain.decodeSteps, budget - 1);
        QCOMPARE(plain.draftedTokens, int64_t(0));

        // A token the model did not write next: its neighbour id.
        auto wrong = [&](std::size_t i) { return slice(truth, i, 1, 0)[0] + 1; };
        ForcedDraft::Script script;
        std::vector<int64_t> expected = truth;
        if (draft == QStringLiteral("right")) {
            script = [&](std::size_t n) { return slice(truth, n, 5, 0); };
        } else if (draft == QStringLiteral("wrong")) {
            script = [&](std::size_t n) { return std::vector<int64_t>{wrong(n), wrong(n + 1), wrong(n + 2)}; };
        } else if (draft == QStringLiteral("partly right")) {
            script = [&](std::size_t n) {
                std::vector<int64_t> d = slice(truth, n, 2 + n % 3, 0);
                d.push_back(wrong(n + d.size()));
                d.push_back(slice(truth, n + d.size(), 1, 0)[0]);
                return d;
            };
        } else if (draft == QStringLiteral("beyond budget")) {
            script = [&](std::size_t n) { return slice(truth, n, 40, 0); }; // right, then past the end
        } else if (draft == QStringLiteral("stop inside")) {
            // A stop token the model does not write, after a right prefix: rejected there.
            script = [&](std::size_t n) {
                std::vector<int64_t> d = slice(truth, n, 2, 0);
                d.push_back(kEos);
                d.push_back(slice(truth, n + 3, 1, 0)[0]);
                return d;
            };
        } else { // "stop accepted": the 10th answer token is made a stop token; drafts run through it
            settings.stopIds.push_back(truth[9]);
            const auto first = std::find(truth.begin(), truth.end(), truth[9]);
            expected.assign(truth.begin(), first + 1);
            script = [&](std::size_t n) { return slice(truth, n, 6, 0); };
        }
        ForcedDraft source(script);
        source.budget = static_cast<std::size_t>(budget);
        settings.drafts = &source;
        std::vector<int64_t> streamed;
        const GeneratorOutput out = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings,
                                                  [&](int64_t id, float) { streamed.push_back(id); }, nullptr);
        QCOMPARE(out.generatedIds, expected);
        QCOMPARE(streamed, expected);
        QVERIFY(out.stopReason == (expected.size() < truth.size() ? StopReason::Eos : StopReason::MaxTokens));
        QCOMPARE(static_cast<std::size_t>(out.acceptedDraftTokens), source.accepted);
        QCOMPARE(static_cast<std::size_t>(out.draftedTokens), source.proposed);
        QVERIFY(out.draftedTokens > 0);
        // Every generated token after the first came from one step: an accepted draft token or
        // the model's own token after the accepted prefix (the last step may end inside a draft).
        QVERIFY(out.acceptedDraftTokens + out.decodeSteps >= static_cast<int64_t>(expected.size()) - 1);
        QVERIFY(out.decodeSteps <= static_cast<int64_t>(expected.size()) - 1);
        if (draft == QStringLiteral("wrong")) {
            QCOMPARE(out.acceptedDraftTokens, int64_t(0));
            QCOMPARE(out.decodeSteps, budget - 1);
        }
        if (draft == QStringLiteral("right") || draft == QStringLiteral("beyond budget")) {
            QVERIFY2(out.decodeSteps <= (budget - 1 + (draft == QStringLiteral("right") ? 5 : 0)) / (draft == QStringLiteral("right") ? 6 : 1),
                     qPrintable(QStringLiteral("%1 steps").arg(out.decodeSteps)));
            if (draft == QStringLiteral("beyond budget"))
                QCOMPARE(out.decodeSteps, int64_t(1)); // all 23 tokens after the first in one step
        }
        QCOMPARE(source.overBudget, std::size_t(0)); // each draft was cut to the budget left after the next token
        // Every verification step reported its time (what the draft length policy sizes drafts by).
        QCOMPARE(source.timedSteps, static_cast<std::size_t>(out.decodeSteps));
    }

    // Cancelled from the token callback in the middle of an accepted draft: it stops right there.
    void cancelInsideDraft()
    {
        c10::InferenceMode guard;
        const Model& m = model(QStringLiteral("f32"));
        const Prompt p = referencePrompt(m, "text_only");
        GeneratorSettings settings = greedy(24);
        const Generator generator(*m.text);
        const std::vector<int64_t> truth = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings, {}, nullptr).generatedIds;
        ForcedDraft source([&](std::size_t n) { return slice(truth, n, 8, 0); });
        settings.drafts = &source;
        std::atomic<bool> stop{false};
        std::vector<int64_t> streamed;
        const GeneratorOutput out = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings,
                                                  [&](int64_t id, float) {
                                                      streamed.push_back(id);
                                                      if (streamed.size() == 5)
                                                          stop = true;
                                                  },
                                                  &stop);
        QVERIFY(out.stopReason == StopReason::Cancelled);
        QCOMPARE(out.generatedIds, slice(truth, 0, 5, 0));
        QCOMPARE(streamed, out.generatedIds);
        QCOMPARE(out.decodeSteps, int64_t(1)); // tokens 2..5 came from one verified draft
    }

    // Sampling keeps drafts off: the same seed gives the same ids with and without a source.
    void samplingIgnoresDrafts_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("f32") << QStringLiteral("f32");
        QTest::newRow("bf16") << QStringLiteral("bf16");
    }
    void samplingIgnoresDrafts()
    {
        QFETCH(QString, dtype);
        c10::InferenceMode guard;
        const Model& m = model(dtype);
        const Prompt p = referencePrompt(m, "image_a");
        GeneratorSettings settings = greedy(24);
        settings.sampling.doSample = true;
        settings.sampling.temperature = 1.5f;
        settings.sampling.seed = 7;
        const Generator generator(*m.text);
        const GeneratorOutput plain = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings, {}, nullptr);
        ForcedDraft source([&](std::size_t n) { return slice(plain.generatedIds, n, 4, 0); });
        settings.drafts = &source;
        const GeneratorOutput drafted = generator.run(p.ids, p.embeds, p.positions, p.ropeDelta, settings, {}, nullptr);
        QCOMPARE(drafted.generatedIds, plain.generatedIds);
        QCOMPARE(source.calls, std::size_t(0));
        QCOMPARE(drafted.draftedTokens, int64_t(0));
        QCOMPARE(drafted.decodeSteps, static_cast<int64_t>(plain.generatedIds.size()) - 1);
    }
};

FOLIO_TEST_CLASS(TstSpeculative)
#include "tst_speculative.moc"
