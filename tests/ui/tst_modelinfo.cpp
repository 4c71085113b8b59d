// readModelInfo: what the settings dialog says about a model folder, from its config.json.
#include "testregistry.h"

#include "ui/modelinfo.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
