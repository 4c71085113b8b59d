// Engine: end-to-end from PNG + prompt through Engine::generate against the reference cases,
// the log-probabilities it reports for its tokens, config.json layouts, and the load errors a user can meet (each message must name the file
// or key at fault).
#include "inference/config.h"
#include "inference/engine.h"
#include "inference/imagefile.h"
#include "inference/kvcache.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "fixturemodel.h"
#include "testregistry.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace folio::inference;

namespace {

QString fixtureDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

nlohmann::json readJson(const QString& path)
{
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

void writeJson(const QString& path, const nlohmann::json& j)
{
    std::ofstream(path.toStdString()) << j.dump(1);
}

bool copyFixture(const QString& relative, const QString& target)
{
    return QFile::copy(fixtureDir() + QLatin1Char('/') + relative, target);
}

// A minimal safetensors writer (F32 only): header JSON padded to 8 bytes, then the data.
void writeSafetensors(const QString& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors)
{
    nlohmann::json header = nlohmann::json::object();
    std::string data;
    for (const auto& [name, t] : tensors) {
        const at::Tensor c = t.to(at::kFloat).contiguous();
        const std::size_t begin = data.size();
        data.append(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.numel()) * 4);
        header[name] = {{"dtype", "F32"}, {"shape", c.sizes().vec()}, {"data_offsets", {begin, data.size()}}};
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    std::ofstream out(path.toStdString(), std::ios::binary);
    const uint64_t n = text.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << text << data;
}

// A model folder with the tiny model's configs and tokenizer, but no weights yet.
bool makeModelDir(const QTemporaryDir& dir, bool withTokenizer = true)
{
    const QString d = dir.path() + QLatin1Char('/');
    bool ok = copyFixture(QStringLiteral("config.json"), d + QStringLiteral("config.json"))
        && copyFixture(QStringLiteral("generation_config.json"), d + QStringLiteral("generation_config.json"))
        && copyFixture(QStringLiteral("preprocessor_config.json"), d + QStringLiteral("preprocessor_config.json"));
    if (withTokenizer)
        ok = ok && copyFixture(QStringLiteral("tokenizer.json"), d + QStringLiteral("tokenizer.json"));
    return ok;
}

std::string loadError(const QTemporaryDir& dir)
{
    EngineOptions options;
    options.modelDir = dir.path().toStdString();
    options.dtype = "f32";
    options.threads = 1;
    auto engine = Engine::load(options);
    return engine ? std::string() : engine.error();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TstEngine : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Engine> m_engine;
    nlohmann::json m_cases;

    // The reference case of that name in cases.json; null when there is none.
    const nlohmann::json* findCase(const QString& name) const
    {
        for (const auto& c : m_cases["cases"])
            if (c["name"] == name.toStdString())
                return &c;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cases = readJson(fixtureDir() + QStringLiteral("/reference/cases.json"));
        EngineOptions options;
        options.modelDir = fixtureDir().toStdString();
        options.dtype = "f32";
        options.threads = 1; // the tiny model gains nothing from more; keeps the suite fast on a busy machine
        auto engine = Engine::load(options);
        QVERIFY2(engine, engine ? "" : engine.error().c_str());
        m_engine = std::move(*engine);
    }

    // Cases whose user turn is "images, then text" (the engine's fixed order).
    void endToEnd_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"text_only", "image_a", "image_b", "image_a_c", "image_e_minpix"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void endToEnd()
    {
        QFETCH(QString, name);
        const nlohmann::json* found = findCase(name);
        QVERIFY(found);
        const nlohmann::json& c = *found;

        GenerationRequest request;
        for (const auto& item : c["messages"][0]["content"])
            if (item["type"] == "text")
                request.prompt = item["text"];
        for (const auto& path : c["images"]) {
            auto image = loadImageFile((fixtureDir() + QLatin1Char('/') + QString::fromStdString(path)).toStdString());
            QVERIFY2(image, image ? "" : image.error().c_str());
            request.images.push_back(std::move(*image));
        }
        request.minPixels = c["min_pixels"].get<int64_t>();
        request.maxPixels = c["max_pixels"].get<int64_t>();
        request.maxNewTokens = c["generation"]["max_new_tokens"];
        request.sampling.doSample = false;
        request.sampling.repetitionPenalty = c["generation"]["repetition_penalty"].get<double>();

        std::string streamed;
        std::vector<int64_t> streamedIds;
        auto result = m_engine->generate(
            request,
            [&](int64_t id, const std::string& text, float) {
                if (id >= 0)
                    streamedIds.push_back(id);
                streamed += text;
            },
            nullptr);
        QVERIFY2(result, result ? "" : result.error().c_str());
        QCOMPARE(result->inputIds, c["input_ids"].get<std::vector<int64_t>>());
        QCOMPARE(result->generatedIds, c["generation"]["new_ids"].get<std::vector<int64_t>>());
        QCOMPARE(streamedIds, result->generatedIds);
        QCOMPARE(streamed, result->text);
        QCOMPARE(result->text, c["generation"]["decoded"].get<std::string>());
        QVERIFY(result->stopReason == StopReason::MaxTokens);
        if (!c["image_grid_thw"].is_null())
            QCOMPARE(result->imageGrids, (c["image_grid_thw"].get<std::vector<std::array<int64_t, 3>>>()));
        QCOMPARE(result->resizedSizes.size(), c["images"].size());
        for (std::size_t i = 0; i < result->resizedSizes.size(); ++i) {
            const QString expected = QStringLiteral("_resized_%1x%2.png")
                                         .arg(result->resizedSizes[i].width)
                                         .arg(result->resizedSizes[i].height);
            QVERIFY2(QString::fromStdString(c["resized_images"][i].get<std::string>()).endsWith(expected),
                     qPrintable(expected));
        }
        QVERIFY(result->timings.prefillMs > 0.0);
    }

    // The draft hint reaches the drafter: with the answer itself as the "page's words" most
    // drafts are right, so far fewer steps give exactly the ids of --draft off.
    void draftFromHint_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"text_only", "image_a"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void draftFromHint()
    {
        QFETCH(QString, name);
        const nlohmann::json* found = findCase(name);
        QVERIFY(found);
        GenerationRequest request;
        for (const auto& item : (*found)["messages"][0]["content"])
            if (item["type"] == "text")
                request.prompt = item["text"];
        for (const auto& path : (*found)["images"]) {
            auto image = loadImageFile((fixtureDir() + QLatin1Char('/') + QString::fromStdString(path)).toStdString());
            QVERIFY(image);
            request.images.push_back(std::move(*image));
        }
        request.maxNewTokens = (*found)["generation"]["max_new_tokens"];
        request.sampling.doSample = false;
        const auto expected = (*found)["generation"]["new_ids"].get<std::vector<int64_t>>();

        request.draft = DraftMode::Off;
        auto off = m_engine->generate(request, {}, nullptr);
        QVERIFY2(off, off ? "" : off.error().c_str());
        QCOMPARE(off->generatedIds, expected);
        QVERIFY(!off->decode.drafting);
        QCOMPARE(off->decode.steps, static_cast<int64_t>(expected.size()) - 1);
        QCOMPARE(off->decode.tokensPerStep, 1.0);

        request.draft = DraftMode::Auto;
        request.draftHint = (*found)["generation"]["decoded"].get<std::string>();
        std::vector<int64_t> streamed;
        auto on = m_engine->generate(request, [&](int64_t id, const std::string&, float) {
            if (id >= 0)
                streamed.push_back(id);
        }, nullptr);
        QVERIFY2(on, on ? "" : on.error().c_str());
        QCOMPARE(on->generatedIds, expected);
        QCOMPARE(streamed, expected);
        QCOMPARE(on->text, off->text);
        QVERIFY(on->decode.drafting);
        QVERIFY(on->decode.acceptedDraftTokens > 0);
        // Not every token: the random model's ids need not be how the decoded text re-encodes.
        QVERIFY2(on->decode.steps < off->decode.steps, qPrintable(QString::number(on->decode.steps)));
        QVERIFY2(on->decode.tokensPerStep > 1.5, qPrintable(QString::number(on->decode.tokensPerStep)));

        // Sampling: drafts stay off whatever the mode says.
        request.sampling.doSample = true;
        request.sampling.seed = 3;
        auto sampled = m_engine->generate(request, {}, nullptr);
        QVERIFY(sampled);
        QVERIFY(!sampled->decode.drafting);
        QCOMPARE(sampled->decode.draftedTokens, int64_t(0));
    }

    // The log-probability reported for each generated token is log_softmax of the model's own
    // logits at that step, for the token chosen: recomputed here with one plain forward pass of
    // the fixture model over prompt + answer (float32, no cache reuse, no drafts).
    void tokenLogprobsAreLogSoftmax()
    {
        const nlohmann::json* found = findCase(QStringLiteral("text_only"));
        QVERIFY(found);
        GenerationRequest request;
        for (const auto& item : (*found)["messages"][0]["content"])
            if (item["type"] == "text")
                request.prompt = item["text"];
        request.maxNewTokens = 6;
        request.draft = DraftMode::Off;
        request.sampling.doSample = false;
        request.sampling.repetitionPenalty = 1.0; // greedy on the unmodified distribution
        std::vector<float> streamed;
        auto result = m_engine->generate(request, [&](int64_t id, const std::string&, float logprob) {
            if (id >= 0)
                streamed.push_back(logprob);
        }, nullptr);
        QVERIFY2(result, result ? "" : result.error().c_str());
        const std::vector<int64_t>& generated = result->generatedIds;
        QCOMPARE(result->logprobs.size(), generated.size());
        QCOMPARE(streamed, result->logprobs);
        QVERIFY(generated.size() >= 3);

        const auto model = folio::test::loadFixtureModel(fixtureDir().toStdString(), at::kFloat);
        std::vector<int64_t> ids = result->inputIds;
        ids.insert(ids.end(), generated.begin(), generated.end() - 1);
        const auto length = static_cast<int64_t>(ids.size());
        const auto promptLength = static_cast<int64_t>(result->inputIds.size());
        // Text only: the three M-RoPE axes are all 0..L-1.
        const at::Tensor positions = at::arange(length, at::kLong).unsqueeze(0).expand({3, length});
        KvCache cache = model->text->makeCache(length);
        const at::Tensor hidden = model->text->forward(model->text->embed(at::tensor(ids, at::kLong)), positions, cache);
        const at::Tensor logSoftmax = at::log_softmax(model->text->logits(hidden).to(at::kFloat), -1);
        for (size_t i = 0; i < generated.size(); ++i) {
            const at::Tensor row = logSoftmax[promptLength - 1 + static_cast<int64_t>(i)];
            QCOMPARE(row.argmax().item<int64_t>(), generated[i]); // greedy chose the top token
            const float expected = row[generated[i]].item<float>();
            QVERIFY2(std::abs(result->logprobs[i] - expected) < 1e-4f,
                     qPrintable(QStringLiteral("token %1: %2 vs %3").arg(i).arg(result->logprobs[i]).arg(expected)));
            QVERIFY(result->logprobs[i] <= 0.0f);
        }
    }

    void cancelled()
    {
        std::atomic<bool> stop{false};
        GenerationRequest request;
        request.prompt = "Hello";
        request.maxNewTokens = 50;
        int calls = 0;
        auto result = m_engine->generate(
            request,
            [&](int64_t, const std::string&, float) {
                if (++calls == 3)
                    stop = true;
            },
            &stop);
        QVERIFY2(result, result ? "" : result.error().c_str());
        QCOMPARE(result->generatedIds.size(), std::size_t(3));
        QVERIFY(result->stopReason == StopReason::Cancelled);
    }

    void invalidSampling()
    {
        GenerationRequest request;
        request.prompt = "Hello";
        request.sampling.doSample = true;
        request.sampling.temperature = -1.0;
        auto result = m_engine->generate(request, {}, nullptr);
        QVERIFY(!result);
        QVERIFY2(contains(result.error(), "emperature"), result.error().c_str());
    }

    // The three config.json layouts (spec 1.4) give the same model.
    void configLayouts_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::newRow("4.50 (fixture)") << QStringLiteral("fixture");
        QTest::newRow("original release") << QStringLiteral("original");
        QTest::newRow("4.52+ text_config") << QStringLiteral("text_config");
        QTest::newRow("v5 rope_parameters") << QStringLiteral("v5");
    }
    void configLayouts()
    {
        QFETCH(QString, layout);
        nlohmann::json j = readJson(fixtureDir() + QStringLiteral("/config.json"));
        if (layout == QStringLiteral("original")) {
            j["rope_scaling"] = {{"type", "mrope"}, {"mrope_section", {4, 6, 6}}};
            j["vision_config"].erase("in_channels");
            j["vision_config"]["in_chans"] = 3;
        } else if (layout == QStringLiteral("text_config") || layout == QStringLiteral("v5")) {
            nlohmann::json text = {{"model_type", "qwen2_5_vl_text"}};
            for (const char* key : {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                                    "num_attention_heads", "num_key_value_heads", "rms_norm_eps", "rope_theta",
                                    "rope_scaling", "tie_word_embeddings"}) {
                text[key] = j[key];
                j.erase(key);
            }
            if (layout == QStringLiteral("v5")) {
                text["rope_parameters"]
                    = {{"rope_type", "default"}, {"rope_theta", 1000000.0}, {"mrope_section", {4, 6, 6}}};
                text.erase("rope_scaling");
                text.erase("rope_theta");
                j["dtype"] = j["torch_dtype"];
                j.erase("torch_dtype");
            }
            j["text_config"] = text;
        }
        auto config = ModelConfig::parse(j.dump(), "config.json");
        QVERIFY2(config, config ? "" : config.error().c_str());
        QCOMPARE(config->text.hiddenSize, int64_t(64));
        QCOMPARE(config->text.numHiddenLayers, int64_t(3));
        QCOMPARE(config->text.mropeSection, (std::vector<int64_t>{4, 6, 6}));
        QCOMPARE(config->text.ropeTheta, 1e6);
        QCOMPARE(config->text.rmsNormEps, 1e-6);
        QCOMPARE(config->vision.inChannels, int64_t(3));
        QCOMPARE(config->tieWordEmbeddings, std::optional<bool>(true));
        QCOMPARE(config->dtype, std::string("float32"));
    }

    void configErrors_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown model_type") << QStringLiteral("model_type") << QStringLiteral("llava");
        QTest::newRow("missing rms_norm_eps") << QStringLiteral("rms_norm_eps") << QStringLiteral("rms_norm_eps");
        QTest::newRow("missing vision depth") << QStringLiteral("vision_config.depth") << QStringLiteral("depth");
        QTest::newRow("missing mrope_section") << QStringLiteral("rope_scaling") << QStringLiteral("mrope_section");
    }
    void configErrors()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        nlohmann::json j = readJson(fixtureDir() + QStringLiteral("/config.json"));
        if (field == QStringLiteral("model_type"))
            j["model_type"] = "llava";
        else if (field == QStringLiteral("vision_config.depth"))
            j["vision_config"].erase("depth");
        else
            j.erase(field.toStdString());
        auto config = ModelConfig::parse(j.dump(), "my/config.json");
        QVERIFY(!config);
        QVERIFY2(contains(config.error(), expected.toStdString()), config.error().c_str());
        QVERIFY2(contains(config.error(), "my/config.json"), config.error().c_str());
    }

    void generationDefaults()
    {
        auto g = GenerationDefaults::parse(R"({"do_sample": true, "temperature": 0.1, "top_p": 0.001, "top_k": 1,
            "repetition_penalty": 1.05, "eos_token_id": [151645, 151643]})",
                                           "g.json");
        QVERIFY(g);
        QVERIFY(g->doSample);
        QCOMPARE(g->topK, int64_t(1));
        QCOMPARE(g->repetitionPenalty, 1.05);
        QCOMPARE(g->eosTokenIds, (std::vector<int64_t>{151645, 151643}));
        g = GenerationDefaults::parse(R"({"eos_token_id": 151645})", "g.json");
        QVERIFY(g);
        QCOMPARE(g->eosTokenIds, (std::vector<int64_t>{151645}));
        QVERIFY(!g->doSample);
        g = GenerationDefaults::parse(R"({"top_k": "one"})", "g.json");
        QVERIFY(!g);
        QVERIFY2(contains(g.error(), "top_k"), g.error().c_str());
    }

    void unknownModelType()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        nlohmann::json j = readJson(dir.filePath(QStringLiteral("config.json")));
        j["model_type"] = "qwen2_vl";
        writeJson(dir.filePath(QStringLiteral("config.json")), j);
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "qwen2_vl") && contains(error, "config.json"), error.c_str());
    }

    void missingTokenizer()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir, /*withTokenizer=*/false));
        QVERIFY(QFile::link(fixtureDir() + QStringLiteral("/model.safetensors"),
                            dir.filePath(QStringLiteral("model.safetensors"))));
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "tokenizer.json"), error.c_str());
    }

    void missingShard()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        QVERIFY(copyFixture(QStringLiteral("model-bf16/model.safetensors.index.json"),
                            dir.filePath(QStringLiteral("model.safetensors.index.json"))));
        QVERIFY(copyFixture(QStringLiteral("model-bf16/model-00001-of-00002.safetensors"),
                            dir.filePath(QStringLiteral("model-00001-of-00002.safetensors"))));
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "model-00002-of-00002.safetensors"), error.c_str());
    }

    void wrongShape()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), {{"model.norm.weight", at::ones({32})}});
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "model.norm.weight") && contains(error, "[32]") && contains(error, "[64]")
                     && contains(error, "model.safetensors"),
                 error.c_str());
    }

    void missingKey()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), {{"model.norm.weight", at::ones({64})}});
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "missing") && contains(error, "visual.patch_embed.proj.weight"), error.c_str());
    }

    void unexpectedKey()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")),
                         {{"model.layers.7.mlp.gate_proj.weight", at::ones({128, 64})}});
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "Unexpected") && contains(error, "model.layers.7.mlp.gate_proj.weight")
                     && contains(error, "[128, 64]"),
                 error.c_str());
    }

    void truncatedFile()
    {
        QTemporaryDir dir;
        QVERIFY(makeModelDir(dir));
        const QString path = dir.filePath(QStringLiteral("model.safetensors"));
        writeSafetensors(path, {{"model.norm.weight", at::ones({64})}, {"model.embed_tokens.weight", at::ones({16, 64})}});
        QFile file(path);
        QVERIFY(file.resize(file.size() - 100));
        const std::string error = loadError(dir);
        QVERIFY2(contains(error, "model.safetensors"), error.c_str());
    }

    void badDtypeAndDevice()
    {
        EngineOptions options;
        options.modelDir = fixtureDir().toStdString();
        options.dtype = "int8";
        auto engine = Engine::load(options);
        QVERIFY(!engine);
        QVERIFY2(contains(engine.error(), "int8"), engine.error().c_str());
        options.dtype = "f32";
        options.device = "tpu";
        engine = Engine::load(options);
        QVERIFY(!engine);
        QVERIFY2(contains(engine.error(), "tpu"), engine.error().c_str());
    }
};

FOLIO_TEST_CLASS(TstEngine)
#include "tst_engine.moc"
