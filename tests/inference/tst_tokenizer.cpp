// Tokenizer and StreamDecoder against the reference fixtures: ids.json (an independent JS
// tokenizer, checked against transformers' Python one), the HF-decoded generations in
// cases.json, and the facts of spec section 8 (special tokens, "Hello world").
#include "inference/streamdecoder.h"
#include "inference/tokenizer.h"

#include "testregistry.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <thread>
#include <vector>

using folio::inference::StreamDecoder;
using folio::inference::Tokenizer;

namespace {

QString fixture(const QString& relative)
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/") + relative;
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int32_t> idsOf(const QJsonArray& array)
{
    std::vector<int32_t> ids;
    for (const auto& v : array)
        ids.push_back(v.toInt());
    return ids;
}

std::string utf8Of(const QString& s)
{
    return s.toStdString();
}

// Checked with Qt's decoder, not with the code under test.
bool isWellFormedUtf8(const std::string& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));
    return !decoder.hasError();
}

} // namespace

class TstTokenizer : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const Tokenizer> m_tokenizer; // tokenizer.json ("a b" merges)
    std::shared_ptr<const Tokenizer> m_pairsTokenizer; // merges as ["a", "b"] pairs
    QJsonArray m_entries; // ids.json entries
    QJsonArray m_cases; // cases.json cases

    const Tokenizer& tokenizerFor(const QString& variant) const
    {
        return variant == QLatin1String("pairs") ? *m_pairsTokenizer : *m_tokenizer;
    }

    void addCorpusRows()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonArray>("ids");
        QTest::addColumn<QString>("decoded");
        for (const QString& variant : { QStringLiteral("strings"), QStringLiteral("pairs") }) {
            for (const auto& v : m_entries) {
                const QJsonObject e = v.toObject();
                QTest::addRow("%s/%s", qPrintable(variant), qPrintable(e.value(QStringLiteral("id")).toString()))
                    << variant << e.value(QStringLiteral("text")).toString() << e.value(QStringLiteral("ids")).toArray()
                    << e.value(QStringLiteral("decoded")).toString();
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto tok = Tokenizer::load(utf8Of(fixture(QStringLiteral("qwen25vl-tiny/tokenizer.json"))));
        QVERIFY2(tok.ok(), tok.ok() ? "" : tok.error().c_str());
        m_tokenizer = *tok;
        auto pairs = Tokenizer::load(utf8Of(fixture(QStringLiteral("tokenizer/tokenizer.pairs_merges.json"))));
        QVERIFY2(pairs.ok(), pairs.ok() ? "" : pairs.error().c_str());
        m_pairsTokenizer = *pairs;
        m_entries = readJson(fixture(QStringLiteral("tokenizer/ids.json"))).value(QStringLiteral("entries")).toArray();
        QCOMPARE(m_entries.size(), 73);
        m_cases = readJson(fixture(QStringLiteral("qwen25vl-tiny/reference/cases.json")))
                      .value(QStringLiteral("cases"))
                      .toArray();
        QCOMPARE(m_cases.size(), 7);
    }

    void encodeCorpus_data() { addCorpusRows(); }
    void encodeCorpus()
    {
        QFETCH(QString, variant);
        QFETCH(QString, text);
        QFETCH(QJsonArray, ids);
        QCOMPARE(tokenizerFor(variant).encode(utf8Of(text)), idsOf(ids));
    }

    void decodeCorpus_data() { addCorpusRows(); }
    void decodeCorpus()
    {
        QFETCH(QString, variant);
        QFETCH(QJsonArray, ids);
        QFETCH(QString, decoded);
        QCOMPARE(tokenizerFor(variant).decode(idsOf(ids)), utf8Of(decoded));
    }

    // Spec section 8: the Qwen2Tokenizer docstring's examples.
    void helloWorld()
    {
        QCOMPARE(m_tokenizer->encode("Hello world"), (std::vector<int32_t> { 9707, 1879 }));
        QCOMPARE(m_tokenizer->encode(" Hello world"), (std::vector<int32_t> { 21927, 1879 }));
        QCOMPARE(m_tokenizer->token(1879), std::string("Ġworld"));
        QCOMPARE(m_tokenizer->tokenId("Ġworld"), std::optional<int32_t>(1879));
        QCOMPARE(m_tokenizer->tokenId("no such token"), std::optional<int32_t>());
        QCOMPARE(m_tokenizer->token(-1), std::string());
    }

    // Spec section 7.2: 22 added tokens, 151643-151656 special, <tool_call>... not.
    void addedTokens_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<int>("id");
        QTest::addColumn<bool>("special");
        QTest::newRow("endoftext") << QStringLiteral("<|endoftext|>") << 151643 << true;
        QTest::newRow("im_start") << QStringLiteral("<|im_start|>") << 151644 << true;
        QTest::newRow("im_end") << QStringLiteral("<|im_end|>") << 151645 << true;
        QTest::newRow("vision_start") << QStringLiteral("<|vision_start|>") << 151652 << true;
        QTest::newRow("image_pad") << QStringLiteral("<|image_pad|>") << 151655 << true;
        QTest::newRow("video_pad") << QStringLiteral("<|video_pad|>") << 151656 << true;
        QTest::newRow("tool_call") << QStringLiteral("<tool_call>") << 151657 << false;
        QTest::newRow("tool_call_end") << QStringLiteral("</tool_call>") << 151658 << false;
        QTest::newRow("file_sep") << QStringLiteral("<|file_sep|>") << 151664 << false;
    }
    void addedTokens()
    {
        QFETCH(QString, content);
        QFETCH(int, id);
        QFETCH(bool, special);
        const std::string text = utf8Of(content);
        QCOMPARE(m_tokenizer->size(), std::size_t(151665));
        QCOMPARE(m_tokenizer->tokenId(text), std::optional<int32_t>(id));
        QCOMPARE(m_tokenizer->token(id), text);
        QCOMPARE(m_tokenizer->isSpecial(id), special);
        // Matched anywhere, even glued to words; the text around it is encoded on its own.
        const std::vector<int32_t> before = m_tokenizer->encode("x=");
        const std::vector<int32_t> after = m_tokenizer->encode("yes.");
        std::vector<int32_t> expected = before;
        expected.push_back(id);
        expected.insert(expected.end(), after.begin(), after.end());
        QCOMPARE(m_tokenizer->encode("x=" + text + "yes."), expected);
        QCOMPARE(m_tokenizer->decode(expected), "x=" + text + "yes.");
        QCOMPARE(m_tokenizer->decode(expected, true), special ? std::string("x=yes.") : "x=" + text + "yes.");
    }

    // The generations were decoded by transformers; one contains a broken character (U+FFFD).
    void decodeGenerations_data()
    {
        QTest::addColumn<QJsonArray>("ids");
        QTest::addColumn<QString>("decoded");
        for (const auto& v : m_cases) {
            const QJsonObject gen = v.toObject().value(QStringLiteral("generation")).toObject();
            QTest::newRow(qPrintable(v.toObject().value(QStringLiteral("name")).toString()))
                << gen.value(QStringLiteral("new_ids")).toArray() << gen.value(QStringLiteral("decoded")).toString();
        }
    }
    void decodeGenerations()
    {
        QFETCH(QJsonArray, ids);
        QFETCH(QString, decoded);
        QCOMPARE(m_tokenizer->decode(idsOf(ids)), utf8Of(decoded));
    }

    // Python's errors="replace": one U+FFFD per maximal invalid subpart.
    void decodeInvalidUtf8()
    {
        const auto e4 = m_tokenizer->tokenId("ä"); // byte 0xE4: the lead of a 3-byte character
        const auto b8 = m_tokenizer->tokenId("¸"); // byte 0xB8: a continuation byte
        QVERIFY(e4 && b8);
        QCOMPARE(m_tokenizer->decode({ *e4, *b8 }), std::string("\xEF\xBF\xBD"));
        QCOMPARE(m_tokenizer->decode({ *b8, *b8 }), std::string("\xEF\xBF\xBD\xEF\xBF\xBD"));
        QCOMPARE(m_tokenizer->decode({ *e4, *b8, 9707 }), std::string("\xEF\xBF\xBDHello"));
        QCOMPARE(m_tokenizer->decode({ 9707, 151665, -3 }), std::string("Hello\xEF\xBF\xBD\xEF\xBF\xBD"));
    }

    void encodeInvalidUtf8()
    {
        QCOMPARE(m_tokenizer->encode("a\xFF"
                                     "b"),
            m_tokenizer->encode("a\xEF\xBF\xBD"
                                "b"));
    }

    // The tokenizer is shared read-only; its piece cache must survive concurrent encoders.
    void concurrentEncode()
    {
        std::vector<std::string> texts;
        std::vector<std::vector<int32_t>> expected;
        for (const auto& v : m_entries) {
            texts.push_back(utf8Of(v.toObject().value(QStringLiteral("text")).toString()));
            expected.push_back(idsOf(v.toObject().value(QStringLiteral("ids")).toArray()));
        }
        auto fresh = Tokenizer::load(utf8Of(fixture(QStringLiteral("qwen25vl-tiny/tokenizer.json"))));
        QVERIFY(fresh.ok());
        const std::shared_ptr<const Tokenizer> tok = *fresh;
        std::vector<int> mismatches(4, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int round = 0; round < 5; ++round) {
                    for (std::size_t i = 0; i < texts.size(); ++i) {
                        const std::size_t k = (i + static_cast<std::size_t>(t) * 17) % texts.size();
                        if (tok->encode(texts[k]) != expected[k])
                            ++mismatches[static_cast<std::size_t>(t)];
                    }
                }
            });
        }
        for (auto& th : threads)
            th.join();
        QCOMPARE(mismatches, std::vector<int>(4, 0));
    }

    void streamDecode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("chinese") << QStringLiteral("发票号码：INV-2024-0042，总金额 ¥1,234.56 元。");
        QTest::newRow("emoji") << QStringLiteral(
            "Done 👍🏽 — 🇩🇪 flags, 👩‍👩‍👧 family, 𝓦 math");
        QTest::newRow("mixed") << QStringLiteral("日本語のテキスト and 한국어 😀😃 ü ß ∑");
    }
    void streamDecode()
    {
        QFETCH(QString, text);
        const std::vector<int32_t> ids = m_tokenizer->encode(utf8Of(text));
        StreamDecoder decoder(m_tokenizer);
        std::string joined;
        int heldBack = 0;
        for (const int32_t id : ids) {
            const std::string chunk = decoder.push(id);
            QVERIFY2(isWellFormedUtf8(chunk), chunk.c_str());
            if (!isWellFormedUtf8(std::string(m_tokenizer->tokenBytes(id))))
                ++heldBack;
            joined += chunk;
        }
        joined += decoder.finish();
        QCOMPARE(joined, m_tokenizer->decode(ids));
        QCOMPARE(joined, utf8Of(text));
        QVERIFY2(heldBack > 0, "no token of this text splits a character; the test would not exercise holding back");
    }

    // A generation that breaks off mid-character, and one with a broken character in it.
    void streamDecodeBrokenText()
    {
        // U+2070E, a CJK Extension B character, is spread over several byte-level tokens; cut
        // it after the first token that leaves it unfinished.
        const std::vector<int32_t> ids = m_tokenizer->encode("\xF0\xA0\x9C\x8E");
        std::vector<int32_t> prefix;
        std::string bytes;
        for (std::size_t i = 0; i < ids.size() && (prefix.empty() || isWellFormedUtf8(bytes)); ++i) {
            prefix.push_back(ids[i]);
            bytes += m_tokenizer->tokenBytes(ids[i]);
        }
        QVERIFY(!isWellFormedUtf8(bytes));
        StreamDecoder decoder(m_tokenizer);
        std::string cut;
        for (const int32_t id : prefix)
            cut += decoder.push(id);
        cut += decoder.finish();
        QCOMPARE(cut, m_tokenizer->decode(prefix));
        QVERIFY(cut.ends_with("\xEF\xBF\xBD"));

        const QJsonObject textOnly = m_cases.at(0).toObject().value(QStringLiteral("generation")).toObject();
        const std::vector<int32_t> gen = idsOf(textOnly.value(QStringLiteral("new_ids")).toArray());
        std::string joined;
        for (const int32_t id : gen) {
            const std::string chunk = decoder.push(id);
            QVERIFY(isWellFormedUtf8(chunk));
            joined += chunk;
        }
        joined += decoder.finish();
        QCOMPARE(joined, utf8Of(textOnly.value(QStringLiteral("decoded")).toString()));
    }

    void streamDecodeSkipSpecial()
    {
        const std::string text = "<|im_start|>assistant\n<tool_call>{\"价格\": 1}</tool_call>👍<|im_end|><|endoftext|>";
        const std::vector<int32_t> ids = m_tokenizer->encode(text);
        for (const bool skip : { false, true }) {
            StreamDecoder decoder(m_tokenizer, skip);
            std::string joined;
            for (const int32_t id : ids)
                joined += decoder.push(id);
            joined += decoder.finish();
            QCOMPARE(joined, m_tokenizer->decode(ids, skip));
        }
        StreamDecoder skipping(m_tokenizer, true);
        std::string joined;
        for (const int32_t id : ids)
            joined += skipping.push(id);
        QCOMPARE(joined + skipping.finish(), std::string("assistant\n<tool_call>{\"价格\": 1}</tool_call>👍"));
    }

    void loadErrors_data()
    {
        // Everything but the model is valid, so each row fails for the reason it names.
        const auto withModel = [](const char* model) {
            return QByteArray(
                       R"({"normalizer": {"type": "NFC"}, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [)"
                       R"({"type": "Split", "pattern": {"Regex": "\\s+|\\S+"}, "behavior": "Isolated", "invert": false},)"
                       R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}, "model": )")
                + model + "}";
        };
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed JSON") << QByteArray("{\"model\": {\"type\": \"BPE\",")
                                        << QStringLiteral("not valid JSON");
        QTest::newRow("not a tokenizer") << QByteArray("[1, 2, 3]") << QStringLiteral("no \"model\" section");
        QTest::newRow("not BPE") << withModel(R"({"type": "WordPiece", "vocab": {}})")
                                 << QStringLiteral("not a BPE model");
        QTest::newRow("vocab not an object")
            << withModel(R"({"type": "BPE", "vocab": [], "merges": []})") << QStringLiteral("no \"vocab\" object");
        QTest::newRow("unknown merge token")
            << withModel(R"({"type": "BPE", "vocab": {"a": 0}, "merges": ["a zz"]})")
            << QStringLiteral("merge 0 ('a zz') uses a token that is not in the vocabulary");
        QTest::newRow("missing byte token") << withModel(R"({"type": "BPE", "vocab": {"a": 0}, "merges": []})")
                                            << QStringLiteral("lacks the token for byte 0");
        QTest::newRow("unsupported normalizer") << QByteArray(
            R"({"normalizer": {"type": "Lowercase"}, "model": {"type": "BPE", "vocab": {}, "merges": []}})")
                                                << QStringLiteral("normalizer 'Lowercase'");
        QTest::newRow("post-processor adding tokens") << QByteArray(
            R"({"post_processor": {"type": "TemplateProcessing"}, "model": {"type": "BPE", "vocab": {}, "merges": []}})")
                                                      << QStringLiteral("post_processor 'TemplateProcessing'");
        QTest::newRow("no pre-tokenizer")
            << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
            << QStringLiteral("pre_tokenizer is not a Split regex");
    }
    void loadErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const auto tok = Tokenizer::load(utf8Of(path));
        QVERIFY(!tok.ok());
        const QString message = QString::fromStdString(tok.error());
        QVERIFY2(message.contains(path), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void loadMissingFile()
    {
        const std::string path = "/nonexistent/folder/tokenizer.json";
        const auto tok = Tokenizer::load(path);
        QVERIFY(!tok.ok());
        QVERIFY2(tok.error().find(path) != std::string::npos, tok.error().c_str());
        QVERIFY2(tok.error().find("No such file") != std::string::npos, tok.error().c_str());
    }

    // Throughput on the corpus, cold (empty piece cache) and warm. Printed, not asserted.
    void encodeSpeed()
    {
        std::string corpus;
        for (const auto& v : m_entries)
            corpus += utf8Of(v.toObject().value(QStringLiteral("text")).toString()) + "\n";
        std::string big;
        while (big.size() < (1u << 20))
            big += corpus;

        QElapsedTimer timer;
        timer.start();
        auto fresh = Tokenizer::load(utf8Of(fixture(QStringLiteral("qwen25vl-tiny/tokenizer.json"))));
        const qint64 loadMs = timer.elapsed();
        QVERIFY(fresh.ok());
        const auto seconds = [&] { return static_cast<double>(timer.nsecsElapsed()) / 1e9; };
        timer.restart();
        (*fresh)->encode(corpus); // starts with an empty piece cache
        const double coldS = seconds();
        timer.restart();
        const std::size_t ids = (*fresh)->encode(big).size(); // pieces mostly cached
        const double warmS = seconds();
        qInfo("tokenizer.json load %lld ms; encode: corpus once, empty cache %.2f MB/s (%zu bytes); "
              "corpus repeated to %zu bytes %.2f MB/s (%zu ids)",
            loadMs, static_cast<double>(corpus.size()) / 1e6 / coldS, corpus.size(), big.size(),
            static_cast<double>(big.size()) / 1e6 / warmS, ids);
    }
};

FOLIO_TEST_CLASS(TstTokenizer)
#include "tst_tokenizer.moc"
