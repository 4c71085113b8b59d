// Trust boundaries of the model folder's JSON files: every size a config file can ask for has an
// upper bound, and a value past it is refused with the key and the bound named, before anything
// is sized from it. Each row changes one field of the fixture's own files.
#include "inference/config.h"
#include "inference/imageprocessor.h"

#include "testregistry.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QTest>

using folio::inference::GenerationDefaults;
using folio::inference::ModelConfig;
using folio::inference::parseImageProcessorOptions;

namespace {

nlohmann::json fixtureJson(const char* name)
{
    QFile f(folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return nlohmann::json::parse(f.readAll().toStdString());
}

// Sets "a.b.c" in `j` from a JSON text value.
void setPath(nlohmann::json& j, const QString& path, const QString& value)
{
    nlohmann::json* at = &j;
    for (const QString& part : path.split(QLatin1Char('.')))
        at = &(*at)[part.toStdString()];
    *at = nlohmann::json::parse(value.toStdString());
}

bool contains(const std::string& haystack, const QString& needle)
{
    return haystack.find(needle.toStdString()) != std::string::npos;
}

} // namespace

class TstConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtureFilesPass()
    {
        const auto config = ModelConfig::parse(fixtureJson("config.json").dump(), "config.json");
        QVERIFY2(config, config ? "" : config.error().c_str());
        const auto image = parseImageProcessorOptions(fixtureJson("preprocessor_config.json").dump(), "p.json");
        QVERIFY2(image, image ? "" : image.error().c_str());
        QCOMPARE(image->patchSize, 14);
        QCOMPARE(image->maxPixels, int64_t(12845056));
    }

    // A released-size model (the 72B's text dimensions) is inside every bound.
    void largestReleasedModelPasses()
    {
        nlohmann::json j = fixtureJson("config.json");
        j["hidden_size"] = 8192;
        j["intermediate_size"] = 29568;
        j["num_hidden_layers"] = 80;
        j["num_attention_heads"] = 64;
        j["num_key_value_heads"] = 8;
        j["vocab_size"] = 152064;
        j["rope_scaling"]["mrope_section"] = {16, 24, 24};
        j["vision_config"]["depth"] = 32;
        j["vision_config"]["hidden_size"] = 1280;
        j["vision_config"]["num_heads"] = 16;
        j["vision_config"]["intermediate_size"] = 3456;
        j["vision_config"]["out_hidden_size"] = 8192;
        j["vision_config"]["fullatt_block_indexes"] = {7, 15, 23, 31};
        const auto config = ModelConfig::parse(j.dump(), "config.json");
        QVERIFY2(config, config ? "" : config.error().c_str());
        QCOMPARE(config->text.numHiddenLayers, int64_t(80));
    }

    void configBounds_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected"); // the key and the bound
        QTest::newRow("a million layers") << "num_hidden_layers" << "1000000" << "\"num_hidden_layers\" is 1000000, outside the bounds 1..1024";
        QTest::newRow("hidden size") << "hidden_size" << "1048576" << "\"hidden_size\" is 1048576, outside the bounds 1..65536";
        QTest::newRow("negative heads") << "num_attention_heads" << "-2" << "\"num_attention_heads\" is -2, outside the bounds 1..1024";
        QTest::newRow("kv heads") << "num_key_value_heads" << "100000" << "\"num_key_value_heads\" is 100000";
        QTest::newRow("vocab") << "vocab_size" << "100000000" << "\"vocab_size\" is 100000000, outside the bounds 1..2097152";
        QTest::newRow("intermediate") << "intermediate_size" << "9999999999" << "\"intermediate_size\" is 9999999999, outside the bounds 1..262144";
        QTest::newRow("uint64 wraps negative") << "num_hidden_layers" << "18446744073709551615" << "\"num_hidden_layers\" has an invalid value 18446744073709551615 (too large)";
        QTest::newRow("head_dim") << "head_dim" << "4096" << "\"head_dim\" is 4096, outside the bounds 1..1024";
        QTest::newRow("rope theta huge") << "rope_theta" << "1e300" << "\"rope_theta\" is 1e+300";
        QTest::newRow("rope theta zero") << "rope_theta" << "0" << "\"rope_theta\" is 0, outside the bounds (0, 1e+12]";
        QTest::newRow("negative mrope section") << "rope_scaling.mrope_section" << "[-2, 12, 6]" << "\"mrope_section\" is -2";
        QTest::newRow("rms eps") << "rms_norm_eps" << "5" << "\"rms_norm_eps\" is 5";
        QTest::newRow("token id past vocab") << "image_token_id" << "151936" << "\"image_token_id\" is 151936, outside the bounds 0..151935";
        QTest::newRow("vision depth") << "vision_config.depth" << "1000000" << "\"vision_config.depth\" is 1000000, outside the bounds 1..1024";
        QTest::newRow("vision hidden") << "vision_config.hidden_size" << "100000" << "\"vision_config.hidden_size\" is 100000";
        QTest::newRow("vision heads") << "vision_config.num_heads" << "0" << "\"vision_config.num_heads\" is 0";
        QTest::newRow("vision intermediate") << "vision_config.intermediate_size" << "1000000" << "\"vision_config.intermediate_size\" is 1000000";
        QTest::newRow("in channels") << "vision_config.in_channels" << "0" << "\"vision_config.in_channels\" is 0, outside the bounds 1..16";
        QTest::newRow("patch size") << "vision_config.patch_size" << "100000" << "\"vision_config.patch_size\" is 100000, outside the bounds 1..128";
        QTest::newRow("temporal patch") << "vision_config.temporal_patch_size" << "1000" << "\"vision_config.temporal_patch_size\" is 1000";
        QTest::newRow("merge size") << "vision_config.spatial_merge_size" << "1000" << "\"vision_config.spatial_merge_size\" is 1000";
        QTest::newRow("window size") << "vision_config.window_size" << "1000000" << "\"vision_config.window_size\" is 1000000, outside the bounds 1..8192";
        QTest::newRow("tokens per second") << "vision_config.tokens_per_second" << "-1" << "\"vision_config.tokens_per_second\" is -1";
    }
    void configBounds()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        nlohmann::json j = fixtureJson("config.json");
        QVERIFY(j.is_object());
        setPath(j, path, value);
        const auto config = ModelConfig::parse(j.dump(), "my/config.json");
        QVERIFY(!config);
        QVERIFY2(contains(config.error(), expected), config.error().c_str());
        QVERIFY2(contains(config.error(), QStringLiteral("my/config.json")), config.error().c_str());
    }

    void preprocessorBounds_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("max pixels") << "size.longest_edge" << "100000000000" << "\"max_pixels\" is 100000000000, outside the bounds 3136..268435456";
        QTest::newRow("max below min") << "size.longest_edge" << "100" << "\"max_pixels\" is 100";
        QTest::newRow("min pixels") << "size.shortest_edge" << "0" << "\"min_pixels\" is 0";
        QTest::newRow("patch past int") << "patch_size" << "4294967310" << "\"patch_size\" is 4294967310, outside the bounds 1..128";
        QTest::newRow("merge") << "merge_size" << "0" << "\"merge_size\" is 0";
        QTest::newRow("temporal") << "temporal_patch_size" << "99" << "\"temporal_patch_size\" is 99";
        QTest::newRow("zero std") << "image_std" << "[0.2, 0, 0.2]" << "\"image_std\" is 0";
        QTest::newRow("huge mean") << "image_mean" << "[1e300, 0, 0]" << "\"image_mean\" is 1e+300";
    }
    void preprocessorBounds()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        nlohmann::json j = fixtureJson("preprocessor_config.json");
        QVERIFY(j.is_object());
        setPath(j, path, value);
        const auto options = parseImageProcessorOptions(j.dump(), "my/preprocessor_config.json");
        QVERIFY(!options);
        QVERIFY2(contains(options.error(), expected), options.error().c_str());
        QVERIFY2(contains(options.error(), QStringLiteral("my/preprocessor_config.json")), options.error().c_str());
    }

    void generationBounds_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top_p") << R"({"top_p": 7})" << "\"top_p\" is 7";
        QTest::newRow("temperature") << R"({"temperature": -1})" << "\"temperature\" is -1";
        QTest::newRow("top_k") << R"({"top_k": -5})" << "\"top_k\" is -5";
        QTest::newRow("repetition penalty") << R"({"repetition_penalty": 0})" << "\"repetition_penalty\" is 0";
    }
    void generationBounds()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const auto g = GenerationDefaults::parse(json.toStdString(), "g.json");
        QVERIFY(!g);
        QVERIFY2(contains(g.error(), expected), g.error().c_str());
    }
};

FOLIO_TEST_CLASS(TstConfig)
#include "tst_config.moc"
