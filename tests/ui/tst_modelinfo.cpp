// readModelInfo: what the settings dialog says about a model folder, from its config.json.
#include "testregistry.h"

#include "ui/modelinfo.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace folio;

class TstModelInfo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<bool>("weights");
        QTest::addColumn<QString>("name");  // empty: an error is expected
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("errorPart");
        // Sizes as published in the Qwen2.5-VL model cards' config.json files.
        QTest::newRow("7B flat") << QByteArray(R"({"model_type":"qwen2_5_vl","hidden_size":3584,"num_hidden_layers":28,"torch_dtype":"bfloat16"})")
                                 << true << "Qwen2.5-VL-7B" << "bfloat16" << "";
        QTest::newRow("3B nested") << QByteArray(R"({"model_type":"qwen2_5_vl","text_config":{"hidden_size":2048,"num_hidden_layers":36},"torch_dtype":"bfloat16"})")
                                   << false << "Qwen2.5-VL-3B" << "bfloat16" << "";
        QTest::newRow("other model") << QByteArray(R"({"model_type":"llama","hidden_size":4096})") << true << "" << ""
                                     << "'llama'";
        QTest::newRow("not json") << QByteArray("{model_type: qwen") << true << "" << "" << "not valid JSON";
        QTest::newRow("no size") << QByteArray(R"({"model_type":"qwen2_5_vl"})") << true << "" << "" << "hidden_size";
    }
    void reads()
    {
        QFETCH(QByteArray, config);
        QFETCH(bool, weights);
        QFETCH(QString, name);
        QFETCH(QString, dtype);
        QFETCH(QString, errorPart);
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(config);
        f.close();
        if (weights) {
            QFile w(dir.filePath(QStringLiteral("model-00001-of-00002.safetensors")));
            QVERIFY(w.open(QIODevice::WriteOnly));
        }
        const Result<ui::ModelInfo> info = ui::readModelInfo(dir.path());
        if (name.isEmpty()) {
            QVERIFY(!info);
            QVERIFY2(QString::fromStdString(info.error()).contains(errorPart), info.error().c_str());
            return;
        }
        QVERIFY2(info, info ? "" : info.error().c_str());
        QCOMPARE(info->displayName, name);
        QCOMPARE(info->dtype, dtype);
        QCOMPARE(info->hasWeights, weights);
    }

    // The memory the settings dialog quotes per quantization, from the released 3B config.json's
    // sizes, against what `folio bench generate --config 3b --random-weights --quant Q` measured
    // its packed weights to hold ("weights:" line): none 7.51 GB, int8 4.43 GB, int4 3.21 GB.
    void weightBytesPerQuant_data()
    {
        QTest::addColumn<QString>("quant");
        QTest::addColumn<double>("measuredGB");
        QTest::newRow("none") << QStringLiteral("none") << 7.51;
        QTest::newRow("int8") << QStringLiteral("int8") << 4.43;
        QTest::newRow("int4") << QStringLiteral("int4") << 3.21;
    }
    void weightBytesPerQuant()
    {
        QFETCH(QString, quant);
        QFETCH(double, measuredGB);
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model_type": "qwen2_5_vl", "vocab_size": 151936, "hidden_size": 2048, "intermediate_size": 11008,
                    "num_hidden_layers": 36, "num_attention_heads": 16, "num_key_value_heads": 2,
                    "tie_word_embeddings": true, "torch_dtype": "bfloat16",
                    "vision_config": {"depth": 32, "hidden_size": 1280, "intermediate_size": 3420,
                                      "out_hidden_size": 2048, "patch_size": 14, "spatial_merge_size": 2}})");
        f.close();
        const Result<ui::ModelInfo> info = ui::readModelInfo(dir.path());
        QVERIFY2(info, info ? "" : info.error().c_str());
        const double gb = double(info->weightBytes(quant)) / 1e9;
        QVERIFY2(std::abs(gb - measuredGB) <= 0.01 * measuredGB, qPrintable(QStringLiteral("%1 GB").arg(gb)));
    }

    void sizesUnknownWithoutTheirKeys()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model_type":"qwen2_5_vl","hidden_size":3584,"num_hidden_layers":28})");
        f.close();
        const Result<ui::ModelInfo> info = ui::readModelInfo(dir.path());
        QVERIFY(info);
        QCOMPARE(info->weightBytes(QStringLiteral("int8")), qint64(0));
    }

    void missingFolderIsNamed()
    {
        const Result<ui::ModelInfo> info = ui::readModelInfo(QStringLiteral("/nonexistent/Qwen2.5-VL-7B-Instruct"));
        QVERIFY(!info);
        QVERIFY(QString::fromStdString(info.error()).contains(QStringLiteral("/nonexistent/Qwen2.5-VL-7B-Instruct")));
    }

    void folderWithoutConfig()
    {
        QTemporaryDir dir;
        const Result<ui::ModelInfo> info = ui::readModelInfo(dir.path());
        QVERIFY(!info);
        QVERIFY(QString::fromStdString(info.error()).contains(QStringLiteral("config.json")));
    }
};

FOLIO_TEST_CLASS(TstModelInfo)
#include "tst_modelinfo.moc"
