// The pack cache (inference/packcache.h): a written file reads back as the same tensors, mapped;
// a damaged, truncated, foreign or stale file is refused, never trusted; a cache directory that
// cannot be written leaves the load working without it. End to end through Weights::load on the
// fixture model: the second load maps what the first packed, with identical logits, and a
// changed checkpoint or a corrupted byte makes the load pack again.
#include "inference/config.h"
#include "inference/kvcache.h"
#include "inference/packcache.h"
#include "inference/safetensors.h"
#include "inference/textmodel.h"
#include "inference/weights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "testregistry.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace folio::inference;

namespace {

QString fixtureDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

// A few tensors of the kinds packed weights hold, with odd sizes.
std::map<std::string, at::Tensor> sampleTensors()
{
    at::manual_seed(7);
    return {
        {"a#0", at::randint(-128, 127, {37, 3}, at::kChar)},
        {"a#1", at::rand({37})},
        {"b#0", at::randint(0, 255, {1001}, at::kByte)},
        {"c#0", at::rand({5, 7}).to(at::kBFloat16)},
        {"d#0", at::rand({3}).to(at::kHalf)},
    };
}

std::string writeSample(const QString& dir, const std::string& key)
{
    const std::string path = (dir + QStringLiteral("/sample.fpk")).toStdString();
    auto writer = PackCacheWriter::create(path, key);
    if (!writer)
        qFatal("%s", writer.error().c_str());
    for (const auto& [name, t] : sampleTensors())
        if (auto added = (*writer)->add(name, t); !added)
            qFatal("%s", added.error().c_str());
    if (auto committed = (*writer)->commit(); !committed)
        qFatal("%s", committed.error().c_str());
    return path;
}

void flipByte(const std::string& path, std::size_t offset)
{
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(&c, 1);
}

// The byte offset of a tensor's data in a cache file, read from its table.
std::size_t tensorOffset(const std::string& path, const std::string& name)
{
    std::ifstream in(path, std::ios::binary);
    uint64_t head[4] = {};
    in.read(reinterpret_cast<char*>(head), sizeof head);
    std::string table(head[3], '\0');
    in.seekg(static_cast<std::streamoff>(head[2]));
    in.read(table.data(), static_cast<std::streamsize>(table.size()));
    return nlohmann::json::parse(table)["tensors"][name]["offset"].get<std::size_t>();
}

// A copy of the fixture model's config and f32 weights, which a test may change.
QString copyFixture(const QTemporaryDir& tmp)
{
    const QString dir = tmp.filePath(QStringLiteral("model"));
    QDir().mkpath(dir);
    for (const QString& name : {QStringLiteral("config.json"), QStringLiteral("model.safetensors")})
        if (!QFile::copy(fixtureDir() + QLatin1Char('/') + name, dir + QLatin1Char('/') + name))
            qFatal("cannot copy %s", qPrintable(name));
    QFile::setPermissions(dir + QStringLiteral("/model.safetensors"), QFile::ReadOwner | QFile::WriteOwner);
    return dir;
}

// Rewrites a safetensors file with a __metadata__ entry added to its header: same tensors,
// another header and size.
void addMetadata(const QString& path)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    f.close();
    uint64_t length = 0;
    std::memcpy(&length, bytes.constData(), 8);
    nlohmann::json header = nlohmann::json::parse(bytes.constData() + 8, bytes.constData() + 8 + length);
    header["__metadata__"] = {{"note", "re-saved"}};
    std::string text = header.dump();
    text.resize((text.size() + 7) / 8 * 8, ' ');
    const uint64_t newLength = text.size();
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(reinterpret_cast<const char*>(&newLength), 8);
    f.write(text.data(), qint64(text.size()));
    f.write(bytes.constData() + 8 + length, bytes.size() - qint64(8 + length));
}

struct Loaded {
    ModelConfig config;
    std::unique_ptr<Weights> weights;
    std::string report;
};

Loaded loadModel(const QString& dir, QuantScheme quant, const QString& cacheDir)
{
    Loaded m;
    auto config = ModelConfig::load((dir + QStringLiteral("/config.json")).toStdString());
    if (!config)
        qFatal("%s", config.error().c_str());
    m.config = *config;
    auto checkpoint = Checkpoint::open(dir.toStdString());
    if (!checkpoint)
        qFatal("%s", checkpoint.error().c_str());
    PackOptions pack;
    pack.quant = quant;
    pack.cacheDir = cacheDir.toStdString();
    pack.modelDir = dir.toStdString();
    auto weights = Weights::load(*checkpoint, m.config, at::kFloat, at::kCPU, nullptr, pack);
    if (!weights)
        qFatal("%s", weights.error().c_str());
    m.report = weights->packReport();
    m.weights = std::make_unique<Weights>(std::move(*weights));
    return m;
}

// Logits of a short text prompt: every position (prefill, the tiled path) and one decode
// step (the kernel path).
std::pair<at::Tensor, at::Tensor> logitsOf(const Loaded& m)
{
    c10::InferenceMode guard;
    const TextModel text(m.config.text, *m.weights);
    const std::vector<int64_t> ids = {151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872,
                                      198, 9707, 0, 151645, 198, 151644, 77091, 198};
    const auto len = static_cast<int64_t>(ids.size());
    KvCache cache = text.makeCache(len + 1);
    const at::Tensor positions = at::arange(len, at::kLong).expand({3, len});
    const at::Tensor prefill = text.logits(text.forward(text.embed(at::tensor(ids, at::kLong)), positions, cache));
    const at::Tensor step = text.logits(text.forward(text.embed(at::tensor({int64_t(1234)}, at::kLong)),
                                                     at::full({3, 1}, len, at::kLong), cache));
    return {prefill, step};
}

} // namespace

class TstPackCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writeAndReload()
    {
        QTemporaryDir tmp;
        const std::string path = writeSample(tmp.path(), "key-1");
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{QStringLiteral("sample.fpk")}); // no temp file left
        auto reader = PackCacheReader::open(path, "key-1");
        QVERIFY2(reader, reader ? "" : reader.error().c_str());
        for (const auto& [name, t] : sampleTensors()) {
            QVERIFY((*reader)->contains(name));
            const at::Tensor back = (*reader)->tensor(name);
            QCOMPARE(back.scalar_type(), t.scalar_type());
            QCOMPARE(back.sizes().vec(), t.sizes().vec());
            QVERIFY2(at::equal(back, t), name.c_str());
            QCOMPARE(reinterpret_cast<uintptr_t>(back.data_ptr()) % 64, uintptr_t(0));
        }
        QVERIFY(!(*reader)->contains("missing"));
    }

    void refusesDamagedFiles_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("magic") << QStringLiteral("magic") << QStringLiteral("not a Folio pack cache");
        QTest::newRow("head") << QStringLiteral("head") << QStringLiteral("head fails its checksum");
        QTest::newRow("table") << QStringLiteral("table") << QStringLiteral("table fails its checksum");
        QTest::newRow("first tensor") << QStringLiteral("a#0") << QStringLiteral("tensor 'a#0' fails its checksum");
        QTest::newRow("last byte of a tensor") << QStringLiteral("b#0+1000") << QStringLiteral("tensor 'b#0' fails its checksum");
    }
    void refusesDamagedFiles()
    {
        QFETCH(QString, where);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        const std::string path = writeSample(tmp.path(), "key-1");
        std::ifstream in(path, std::ios::binary);
        uint64_t head[4] = {};
        in.read(reinterpret_cast<char*>(head), sizeof head);
        std::size_t offset = 0;
        if (where == u"magic")
            offset = 3;
        else if (where == u"head")
            offset = 17; // inside the table offset
        else if (where == u"table")
            offset = head[2] + head[3] / 2;
        else if (where == u"a#0")
            offset = tensorOffset(path, "a#0");
        else
            offset = tensorOffset(path, "b#0") + 1000;
        flipByte(path, offset);
        auto reader = PackCacheReader::open(path, "key-1");
        QVERIFY(!reader);
        QVERIFY2(QString::fromStdString(reader.error()).contains(message), reader.error().c_str());
    }

    void refusesTruncatedFiles_data()
    {
        QTest::addColumn<int>("cut"); // bytes removed from the end
        QTest::newRow("table end") << 1;
        QTest::newRow("whole table") << 400;
        QTest::newRow("into the head") << -100; // negative: keep only this many bytes
    }
    void refusesTruncatedFiles()
    {
        QFETCH(int, cut);
        QTemporaryDir tmp;
        const std::string path = writeSample(tmp.path(), "key-1");
        const auto size = std::filesystem::file_size(path);
        std::filesystem::resize_file(path, cut > 0 ? size - static_cast<uintmax_t>(cut) : static_cast<uintmax_t>(-cut));
        auto reader = PackCacheReader::open(path, "key-1");
        QVERIFY(!reader);
        QVERIFY2(QString::fromStdString(reader.error()).contains(QStringLiteral("truncated")), reader.error().c_str());
    }

    void refusesStaleKey()
    {
        QTemporaryDir tmp;
        const std::string path = writeSample(tmp.path(), "key-1");
        auto reader = PackCacheReader::open(path, "key-2");
        QVERIFY(!reader);
        QVERIFY2(QString::fromStdString(reader.error()).contains(QStringLiteral("stale")), reader.error().c_str());
    }

    void abandonedWriterLeavesNothing()
    {
        QTemporaryDir tmp;
        const std::string path = (tmp.path() + QStringLiteral("/x.fpk")).toStdString();
        {
            auto writer = PackCacheWriter::create(path, "k");
            QVERIFY(writer);
            QVERIFY((*writer)->add("t", at::ones({4})));
            auto twice = (*writer)->add("t", at::ones({4}));
            QVERIFY(!twice);
        } // no commit
        QVERIFY(QDir(tmp.path()).entryList(QDir::Files).isEmpty());
    }

    void unwritableDirectory()
    {
        QTemporaryDir tmp;
        // A regular file where the directory should be: fails for root too (unlike permissions).
        QFile blocker(tmp.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        auto writer = PackCacheWriter::create((tmp.filePath(QStringLiteral("blocker/sub/x.fpk"))).toStdString(), "k");
        QVERIFY(!writer);
        QVERIFY2(QString::fromStdString(writer.error()).contains(QStringLiteral("pack cache directory")), writer.error().c_str());
    }

    void keyFollowsTheCheckpoint()
    {
        QTemporaryDir tmp;
        const QString model = copyFixture(tmp);
        const std::vector<std::string> files{(model + QStringLiteral("/model.safetensors")).toStdString()};
        const auto base = packCacheKey(files, QuantScheme::Int8, "bf16");
        QVERIFY2(base, base ? "" : base.error().c_str());
        QCOMPARE(*packCacheKey(files, QuantScheme::Int8, "bf16"), *base);
        QVERIFY(*packCacheKey(files, QuantScheme::Int4, "bf16") != *base);
        QVERIFY(*packCacheKey(files, QuantScheme::Int8, "f32") != *base);
        // Same header and size, other values: the data sample tells them apart.
        flipByte(files[0], std::filesystem::file_size(files[0]) - 5);
        const auto changedData = packCacheKey(files, QuantScheme::Int8, "bf16");
        QVERIFY(*changedData != *base);
        addMetadata(model + QStringLiteral("/model.safetensors"));
        QVERIFY(*packCacheKey(files, QuantScheme::Int8, "bf16") != *changedData);
        QVERIFY(!packCacheKey({(model + QStringLiteral("/none.safetensors")).toStdString()}, QuantScheme::Int8, "bf16"));
    }

    void defaultDirectoryFollowsXdg()
    {
        const QByteArray saved = qgetenv("XDG_CACHE_HOME");
        qputenv("XDG_CACHE_HOME", "/somewhere/cache");
        QCOMPARE(QString::fromStdString(defaultPackCacheDir()), QStringLiteral("/somewhere/cache/folio/packed"));
        qputenv("XDG_CACHE_HOME", "relative/ignored");
        QCOMPARE(QString::fromStdString(defaultPackCacheDir()), QDir::homePath() + QStringLiteral("/.cache/folio/packed"));
        qputenv("XDG_CACHE_HOME", saved);
    }

    // End to end on the fixture model: pack, map back, detect damage and a changed checkpoint.
    void loadsThroughTheCache_data()
    {
        QTest::addColumn<int>("quant");
        QTest::newRow("int8") << int(QuantScheme::Int8);
        QTest::newRow("int4") << int(QuantScheme::Int4);
    }
    void loadsThroughTheCache()
    {
        QFETCH(int, quant);
        const auto scheme = static_cast<QuantScheme>(quant);
        QTemporaryDir tmp;
        const QString model = copyFixture(tmp);
        const QString cache = tmp.filePath(QStringLiteral("cache"));

        const Loaded packed = loadModel(model, scheme, cache);
        QVERIFY2(QString::fromStdString(packed.report).startsWith(QStringLiteral("written ")), packed.report.c_str());
        const std::string file = packed.report.substr(std::string("written ").size());
        QVERIFY(std::filesystem::exists(file));
        QCOMPARE(QDir(cache).entryList(QDir::Files).size(), 1);
        const auto [prefill, step] = logitsOf(packed);

        const Loaded mapped = loadModel(model, scheme, cache);
        QCOMPARE(QString::fromStdString(mapped.report), QStringLiteral("hit ") + QString::fromStdString(file));
        QCOMPARE(mapped.weights->totalBytes(), packed.weights->totalBytes());
        const auto [prefill2, step2] = logitsOf(mapped);
        QVERIFY(at::equal(prefill, prefill2));
        QVERIFY(at::equal(step, step2));

        // One damaged byte in a packed matrix: refused, packed again, same results.
        flipByte(file, tensorOffset(file, "model.layers.1.mlp.down_proj.weight#0") + 3);
        const Loaded repacked = loadModel(model, scheme, cache);
        QVERIFY2(repacked.report.find("fails its checksum") != std::string::npos, repacked.report.c_str());
        QVERIFY2(repacked.report.find("rebuilt") != std::string::npos, repacked.report.c_str());
        QVERIFY(at::equal(logitsOf(repacked).second, step));
        QVERIFY(QString::fromStdString(loadModel(model, scheme, cache).report).startsWith(QStringLiteral("hit ")));

        // A re-saved checkpoint (other header, other size): the cache is stale.
        addMetadata(model + QStringLiteral("/model.safetensors"));
        const Loaded changed = loadModel(model, scheme, cache);
        QVERIFY2(changed.report.find("stale") != std::string::npos, changed.report.c_str());
        QVERIFY(at::equal(logitsOf(changed).second, step));
        QCOMPARE(QDir(cache).entryList(QDir::Files).size(), 1); // replaced, not added

        // A truncated file: refused and rebuilt.
        std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
        const Loaded truncated = loadModel(model, scheme, cache);
        QVERIFY2(truncated.report.find("truncated") != std::string::npos, truncated.report.c_str());
        QVERIFY(at::equal(logitsOf(truncated).second, step));
    }

    void loadsWithoutAWritableCache()
    {
        QTemporaryDir tmp;
        QFile blocker(tmp.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Loaded m = loadModel(fixtureDir(), QuantScheme::Int8, tmp.filePath(QStringLiteral("blocker/cache")));
        QVERIFY2(QString::fromStdString(m.report).startsWith(QStringLiteral("not used: ")), m.report.c_str());
        const Loaded cached = loadModel(fixtureDir(), QuantScheme::Int8, tmp.filePath(QStringLiteral("cache")));
        QVERIFY(at::equal(logitsOf(m).second, logitsOf(cached).second));
    }
};

FOLIO_TEST_CLASS(TstPackCache)
#include "tst_packcache.moc"
