// SafeTensorsFile and Checkpoint against the reference fixtures, whose headers are read here a
// second, independent way (QJsonDocument), and against hand-made broken files.
#include "inference/safetensors.h"

#include "testregistry.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <map>

using folio::inference::Checkpoint;
using folio::inference::SafeTensorsFile;

namespace {

QString modelDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

struct HeaderEntry {
    QString dtype;
    std::vector<int64_t> shape;
};

// The header as the format document describes it, parsed with Qt's JSON reader.
std::map<std::string, HeaderEntry> readHeader(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray lenBytes = f.read(8);
    quint64 len = 0;
    for (int i = 7; i >= 0; --i)
        len = (len << 8) | static_cast<unsigned char>(lenBytes[i]);
    const QJsonObject header = QJsonDocument::fromJson(f.read(static_cast<qint64>(len))).object();
    std::map<std::string, HeaderEntry> out;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__"))
            continue;
        HeaderEntry e;
        e.dtype = it.value().toObject().value(QStringLiteral("dtype")).toString();
        for (const auto& d : it.value().toObject().value(QStringLiteral("shape")).toArray())
            e.shape.push_back(d.toInteger());
        out.emplace(it.key().toStdString(), e);
    }
    return out;
}

at::ScalarType scalarTypeOf(const QString& dtype)
{
    if (dtype == QLatin1String("F32"))
        return at::kFloat;
    if (dtype == QLatin1String("BF16"))
        return at::kBFloat16;
    if (dtype == QLatin1String("I64"))
        return at::kLong;
    if (dtype == QLatin1String("I32"))
        return at::kInt;
    if (dtype == QLatin1String("U8"))
        return at::kByte;
    return at::ScalarType::Undefined;
}

// A safetensors file from a header text and raw data, the header padded with spaces to 8.
QByteArray makeFile(QByteArray header, const QByteArray& data)
{
    while (header.size() % 8 != 0)
        header.append(' ');
    QByteArray out(8, '\0');
    quint64 len = static_cast<quint64>(header.size());
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((len >> (8 * i)) & 0xff);
    return out + header + data;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TstSafeTensors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void headerMatches_data()
    {
        QTest::addColumn<QString>("path");
        const QString ref = modelDir() + QStringLiteral("/reference");
        for (const QString& name : QDir(ref).entryList({ QStringLiteral("*.safetensors") }, QDir::Files))
            QTest::newRow(qPrintable(name)) << ref + QLatin1Char('/') + name;
        QTest::newRow("model.safetensors") << modelDir() + QStringLiteral("/model.safetensors");
        for (const QString& name : QDir(modelDir() + QStringLiteral("/model-bf16"))
                                       .entryList({ QStringLiteral("*.safetensors") }, QDir::Files))
            QTest::newRow(qPrintable(name)) << modelDir() + QStringLiteral("/model-bf16/") + name;
    }

    void headerMatches()
    {
        QFETCH(QString, path);
        const auto expected = readHeader(path);
        QVERIFY(!expected.empty());
        auto file = SafeTensorsFile::open(path.toStdString());
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().c_str());
        const auto names = file.value()->names();
        QCOMPARE(names.size(), expected.size());
        for (const auto& [name, entry] : expected) {
            QVERIFY2(file.value()->contains(name), name.c_str());
            QCOMPARE(file.value()->dtype(name), entry.dtype.toStdString());
            QCOMPARE(file.value()->shape(name), entry.shape);
            const at::Tensor t = file.value()->tensor(name);
            QCOMPARE(t.scalar_type(), scalarTypeOf(entry.dtype));
            QCOMPARE(t.sizes().vec(), entry.shape);
            QVERIFY(t.device().is_cpu());
        }
        QVERIFY(!file.value()->contains("__metadata__"));
    }

    // The values read back equal what cases.json lists as the case's token ids.
    void referenceValues()
    {
        QFile json(modelDir() + QStringLiteral("/reference/cases.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray cases
            = QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("cases")).toArray();
        QCOMPARE(cases.size(), 7);
        for (const auto& c : cases) {
            const QJsonObject obj = c.toObject();
            const QString path
                = modelDir() + QStringLiteral("/reference/") + obj.value(QStringLiteral("file")).toString();
            auto file = SafeTensorsFile::open(path.toStdString());
            QVERIFY2(file.ok(), file.ok() ? "" : file.error().c_str());
            const at::Tensor ids = file.value()->tensor("input_ids");
            const QJsonArray expected = obj.value(QStringLiteral("input_ids")).toArray();
            QCOMPARE(ids.numel(), static_cast<int64_t>(expected.size()));
            const auto* p = ids.data_ptr<int64_t>();
            for (int i = 0; i < expected.size(); ++i)
                QCOMPARE(p[i], expected[i].toInteger());
        }
    }

    void zeroCopyAndKeepAlive()
    {
        const std::string path = (modelDir() + QStringLiteral("/model.safetensors")).toStdString();
        at::Tensor norm;
        const void* first = nullptr;
        {
            auto file = SafeTensorsFile::open(path);
            QVERIFY(file.ok());
            norm = file.value()->tensor("model.norm.weight");
            first = norm.data_ptr();
            // A second read is the same memory, not a copy.
            QCOMPARE(file.value()->tensor("model.norm.weight").data_ptr(), first);
        }
        // The file object is gone; the tensor still holds the mapping. Compare with a fresh read.
        auto again = SafeTensorsFile::open(path);
        QVERIFY(again.ok());
        QVERIFY(at::equal(norm, again.value()->tensor("model.norm.weight")));
        QCOMPARE(norm.data_ptr(), first);
    }

    void singleFileCheckpoint()
    {
        auto ckpt = Checkpoint::open(modelDir().toStdString());
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().c_str());
        const auto expected = readHeader(modelDir() + QStringLiteral("/model.safetensors"));
        QCOMPARE(ckpt->names().size(), expected.size());
        QVERIFY(ckpt->contains("model.embed_tokens.weight"));
        QVERIFY(!ckpt->contains("lm_head.weight")); // tied, so not stored
        QCOMPARE(ckpt->shape("model.embed_tokens.weight"), (std::vector<int64_t> { 151936, 64 }));
        QCOMPARE(ckpt->shape("visual.patch_embed.proj.weight"), (std::vector<int64_t> { 64, 3, 2, 14, 14 }));
        QCOMPARE(ckpt->dtype("model.norm.weight"), std::string("F32"));
        QVERIFY(
            QString::fromStdString(ckpt->fileOf("model.norm.weight")).endsWith(QStringLiteral("/model.safetensors")));
    }

    void shardedBf16EqualsF32Cast()
    {
        auto f32 = Checkpoint::open(modelDir().toStdString());
        auto bf16 = Checkpoint::open((modelDir() + QStringLiteral("/model-bf16")).toStdString());
        QVERIFY(f32.ok());
        QVERIFY2(bf16.ok(), bf16.ok() ? "" : bf16.error().c_str());
        QCOMPARE(bf16->names(), f32->names());
        for (const auto& name : bf16->names()) {
            QCOMPARE(bf16->dtype(name), std::string("BF16"));
            QCOMPARE(bf16->shape(name), f32->shape(name));
            const at::Tensor b = bf16->tensor(name);
            QCOMPARE(b.scalar_type(), at::kBFloat16);
            QVERIFY2(at::equal(b, f32->tensor(name).to(at::kBFloat16)), name.c_str());
            // The README: shard 1 holds the vision tower, shard 2 the language model.
            const QString shard = QString::fromStdString(bf16->fileOf(name));
            const bool visual = name.rfind("visual.", 0) == 0;
            QVERIFY2(shard.endsWith(visual ? QStringLiteral("model-00001-of-00002.safetensors")
                                           : QStringLiteral("model-00002-of-00002.safetensors")),
                name.c_str());
        }
    }

    void allSafetensorsWithoutIndex()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a.safetensors")),
            makeFile(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", QByteArray(8, '\0'))));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("b.safetensors")),
            makeFile(R"({"y":{"dtype":"I8","shape":[3],"data_offsets":[0,3]}})", QByteArray("\x01\x02\x03", 3))));
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().c_str());
        QCOMPARE(ckpt->names(), (std::vector<std::string> { "x", "y" }));
        QCOMPARE(ckpt->tensor("y").scalar_type(), at::kChar);
        QCOMPARE(ckpt->tensor("y")[2].item<int8_t>(), int8_t(3));

        QVERIFY(writeFile(dir.filePath(QStringLiteral("c.safetensors")),
            makeFile(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", QByteArray(4, '\0'))));
        auto dup = Checkpoint::open(dir.path().toStdString());
        QVERIFY(!dup.ok());
        QVERIFY2(QString::fromStdString(dup.error()).contains(QStringLiteral("'x'")), dup.error().c_str());
        QVERIFY2(QString::fromStdString(dup.error()).contains(dir.filePath(QStringLiteral("c.safetensors"))),
            dup.error().c_str());
    }

    void brokenFile_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("tensor"); // the tensor the message must name, if any
        const QByteArray valid
            = makeFile(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})", QByteArray(16, '\1'));
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("truncated in length") << valid.left(5) << QString();
        QTest::newRow("truncated in data") << valid.left(valid.size() - 4) << QStringLiteral("w");
        QByteArray hugeHeader = valid;
        hugeHeader[5] = '\x7f';
        QTest::newRow("header length beyond EOF") << hugeHeader << QString();
        QTest::newRow("data range beyond EOF") << makeFile(
            R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"v":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}})",
            QByteArray(16, '\0')) << QStringLiteral("v");
        QTest::newRow("unknown dtype") << makeFile(R"({"q":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})",
            QByteArray(4, '\0')) << QStringLiteral("q");
        QTest::newRow("size does not match shape")
            << makeFile(R"({"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,8]}})", QByteArray(8, '\0'))
            << QStringLiteral("w");
        QTest::newRow("begin after end") << makeFile(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[8,4]}})",
            QByteArray(8, '\0')) << QStringLiteral("w");
        QTest::newRow("negative dim") << makeFile(R"({"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}})",
            QByteArray()) << QStringLiteral("w");
        QTest::newRow("header not JSON") << makeFile("{\"w\":", QByteArray(8, '\0')) << QString();
        QTest::newRow("entry without offsets")
            << makeFile(R"({"w":{"dtype":"U8","shape":[1]}})", QByteArray(8, '\0')) << QStringLiteral("w");
    }

    void brokenFile()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, tensor);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("broken.safetensors"));
        QVERIFY(writeFile(path, bytes));
        auto file = SafeTensorsFile::open(path.toStdString());
        QVERIFY(!file.ok());
        const QString message = QString::fromStdString(file.error());
        QVERIFY2(message.contains(path), qPrintable(message));
        if (!tensor.isEmpty())
            QVERIFY2(message.contains(QLatin1Char('\'') + tensor + QLatin1Char('\'')), qPrintable(message));

        // A folder holding only that file fails to open as a checkpoint with the same message.
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY(!ckpt.ok());
        QCOMPARE(QString::fromStdString(ckpt.error()), message);
    }

    void missingFile()
    {
        auto file = SafeTensorsFile::open("/nonexistent/folio/x.safetensors");
        QVERIFY(!file.ok());
        QVERIFY2(QString::fromStdString(file.error()).contains(QStringLiteral("/nonexistent/folio/x.safetensors")),
            file.error().c_str());
        auto ckpt = Checkpoint::open("/nonexistent/folio");
        QVERIFY(!ckpt.ok());
        QVERIFY(QString::fromStdString(ckpt.error()).contains(QStringLiteral("/nonexistent/folio")));
    }

    void brokenIndex_data()
    {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("mustName");
        QTest::newRow("missing shard") << QByteArray(
            R"({"metadata":{},"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}})")
                                       << QStringLiteral("s2.safetensors");
        QTest::newRow("key not in its shard")
            << QByteArray(R"({"weight_map":{"a":"s1.safetensors","zz":"s1.safetensors"}})") << QStringLiteral("'zz'");
        QTest::newRow("shard key not in index")
            << QByteArray(R"({"weight_map":{"a":"s1.safetensors"}})") << QStringLiteral("'c'");
        QTest::newRow("empty weight_map") << QByteArray(R"({"weight_map":{}})") << QStringLiteral("lists no tensors");
        QTest::newRow("no weight_map") << QByteArray(R"({"metadata":{}})") << QStringLiteral("weight_map");
        QTest::newRow("not JSON") << QByteArray("{") << QStringLiteral("model.safetensors.index.json");
    }

    void brokenIndex()
    {
        QFETCH(QByteArray, index);
        QFETCH(QString, mustName);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("s1.safetensors")),
            makeFile(
                R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"c":{"dtype":"U8","shape":[1],"data_offsets":[4,5]}})",
                QByteArray(5, '\0'))));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("model.safetensors.index.json")), index));
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY(!ckpt.ok());
        const QString message = QString::fromStdString(ckpt.error());
        QVERIFY2(message.contains(mustName), qPrintable(message));
        QVERIFY2(message.contains(dir.path()), qPrintable(message));
    }

    void validIndex()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("s1.safetensors")),
            makeFile(
                R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"c":{"dtype":"U8","shape":[1],"data_offsets":[4,5]}})",
                QByteArray(5, '\0'))));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("model.safetensors.index.json")),
            QByteArray(R"({"weight_map":{"a":"s1.safetensors","c":"s1.safetensors"}})")));
        // A stray file beside the index is not part of the checkpoint.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("stray.safetensors")), QByteArray("junk")));
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().c_str());
        QCOMPARE(ckpt->names(), (std::vector<std::string> { "a", "c" }));
        QCOMPARE(ckpt->tensor("a").scalar_type(), at::kHalf);
    }

    // The index is data from the download: a shard it names must stay inside the model folder,
    // whether it says so by an absolute path, by '..' or through a link placed in the folder.
    void shardOutsideFolder_data()
    {
        QTest::addColumn<QString>("shard");
        QTest::addColumn<QString>("linkTo"); // "outside": the shard is a link to a file in another folder
        QTest::addColumn<QString>("mustName");
        QTest::newRow("climbs to /etc/passwd") << "../../../../../../../../etc/passwd" << QString()
                                                << "climbs out of the folder with '..'";
        QTest::newRow("climbs into a sibling") << "sub/../../other/s1.safetensors" << QString() << "'..'";
        QTest::newRow("absolute path") << "/etc/passwd" << QString() << "is not a relative file name";
        QTest::newRow("empty name") << "" << QString() << "is not a relative file name";
        QTest::newRow("link leaving the folder") << "s1.safetensors" << "outside" << "outside the folder";
    }
    void shardOutsideFolder()
    {
        QFETCH(QString, shard);
        QFETCH(QString, linkTo);
        QFETCH(QString, mustName);
        QTemporaryDir outside;
        QTemporaryDir dir;
        QVERIFY(dir.isValid() && outside.isValid());
        const QByteArray tensors = makeFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})", QByteArray(1, '\0'));
        QVERIFY(writeFile(outside.filePath(QStringLiteral("s1.safetensors")), tensors));
        if (!linkTo.isEmpty())
            QVERIFY(QFile::link(outside.filePath(QStringLiteral("s1.safetensors")), dir.filePath(shard)));
        writeIndex(dir.path(), shard);
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY(!ckpt.ok());
        const QString message = QString::fromStdString(ckpt.error());
        QVERIFY2(message.contains(mustName), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("model.safetensors.index.json")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1Char('\'') + shard + QLatin1Char('\'')), qPrintable(message));
    }

    // Without an index the folder's own *.safetensors are read, but a link out is still refused.
    void unindexedLinkOutside()
    {
        QTemporaryDir outside;
        QTemporaryDir dir;
        QVERIFY(dir.isValid() && outside.isValid());
        QVERIFY(writeFile(outside.filePath(QStringLiteral("model.safetensors")),
            makeFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})", QByteArray(1, '\0'))));
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("model.safetensors")),
            dir.filePath(QStringLiteral("model.safetensors"))));
        auto ckpt = Checkpoint::open(dir.path().toStdString());
        QVERIFY(!ckpt.ok());
        QVERIFY2(QString::fromStdString(ckpt.error()).contains(QStringLiteral("outside the folder")), ckpt.error().c_str());
    }

    // Links that stay inside are fine, and so is the Hugging Face hub cache layout, where every
    // file of snapshots/<rev>/ is a link to ../../blobs/<sha>.
    void linksInsideAccepted_data()
    {
        QTest::addColumn<bool>("hubLayout");
        QTest::newRow("link to a subfolder") << false;
        QTest::newRow("hub cache snapshot") << true;
    }
    void linksInsideAccepted()
    {
        QFETCH(bool, hubLayout);
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString modelPath = root.filePath(hubLayout ? QStringLiteral("snapshots/abc123") : QStringLiteral("model"));
        const QString blobPath = hubLayout ? root.filePath(QStringLiteral("blobs/f00d")) : modelPath + QStringLiteral("/data/blob");
        QVERIFY(QDir().mkpath(modelPath));
        QVERIFY(QDir().mkpath(QFileInfo(blobPath).path()));
        QVERIFY(writeFile(blobPath, makeFile(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}})", QByteArray(1, 'x'))));
        QVERIFY(QFile::link(hubLayout ? QStringLiteral("../../blobs/f00d") : QStringLiteral("data/blob"),
            modelPath + QStringLiteral("/s1.safetensors")));
        writeIndex(modelPath, QStringLiteral("s1.safetensors"));
        auto ckpt = Checkpoint::open(modelPath.toStdString());
        QVERIFY2(ckpt.ok(), ckpt.ok() ? "" : ckpt.error().c_str());
        QCOMPARE(ckpt->names(), (std::vector<std::string> { "a" }));
    }

private:
    // An index mapping the tensor "a" to `shard`.
    static void writeIndex(const QString& dir, const QString& shard)
    {
        QJsonObject map;
        map.insert(QStringLiteral("a"), shard);
        QJsonObject index;
        index.insert(QStringLiteral("weight_map"), map);
        QVERIFY(writeFile(dir + QStringLiteral("/model.safetensors.index.json"), QJsonDocument(index).toJson()));
    }
};

FOLIO_TEST_CLASS(TstSafeTensors)
#include "tst_safetensors.moc"
