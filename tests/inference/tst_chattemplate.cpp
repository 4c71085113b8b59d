// renderChat and expandVisionPads against the reference cases: the prompt text that
// transformers' Jinja template rendered (cases.json) and the processor's input_ids (the case
// safetensors), which also checks the tokenizer end to end on real prompts.
#include "inference/safetensors.h"

#include "inference/chattemplate.h"
#include "inference/tokenizer.h"

#include "testregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <string>
#include <vector>

using folio::inference::ChatMessage;
using folio::inference::ContentItem;
using folio::inference::expandVisionPads;
using folio::inference::renderChat;
using folio::inference::SafeTensorsFile;
using folio::inference::Tokenizer;

namespace {

QString modelDir()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

std::vector<ChatMessage> messagesOf(const QJsonArray& json)
{
    std::vector<ChatMessage> messages;
    for (const auto& m : json) {
        ChatMessage message;
        message.role = m.toObject().value(QStringLiteral("role")).toString().toStdString();
        for (const auto& c : m.toObject().value(QStringLiteral("content")).toArray()) {
            const QString type = c.toObject().value(QStringLiteral("type")).toString();
            if (type == QLatin1String("image"))
                message.content.push_back({ ContentItem::Kind::Image, {} });
            else if (type == QLatin1String("video"))
                message.content.push_back({ ContentItem::Kind::Video, {} });
            else
                message.content.push_back(
                    { ContentItem::Kind::Text, c.toObject().value(QStringLiteral("text")).toString().toStdString() });
        }
        messages.push_back(std::move(message));
    }
    return messages;
}

// grid t·h·w / 4 per image or video: the processor's number of pad tokens.
std::vector<int64_t> padCounts(const QJsonValue& grids)
{
    std::vector<int64_t> counts;
    for (const auto& g : grids.toArray()) {
        const QJsonArray thw = g.toArray();
        counts.push_back(thw.at(0).toInteger() * thw.at(1).toInteger() * thw.at(2).toInteger() / 4);
    }
    return counts;
}

} // namespace

class TstChatTemplate : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const Tokenizer> m_tokenizer;

private Q_SLOTS:
    void initTestCase()
    {
        auto tok = Tokenizer::load((modelDir() + QStringLiteral("/tokenizer.json")).toStdString());
        QVERIFY2(tok.ok(), tok.ok() ? "" : tok.error().c_str());
        m_tokenizer = *tok;
    }

    void referenceCases_data()
    {
        QTest::addColumn<QJsonArray>("messages");
        QTest::addColumn<QString>("promptText");
        QTest::addColumn<QJsonValue>("imageGrids");
        QTest::addColumn<QJsonValue>("videoGrids");
        QTest::addColumn<QString>("file");
        QFile f(modelDir() + QStringLiteral("/reference/cases.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("cases")).toArray();
        QCOMPARE(cases.size(), 7);
        for (const auto& v : cases) {
            const QJsonObject c = v.toObject();
            QTest::newRow(qPrintable(c.value(QStringLiteral("name")).toString()))
                << c.value(QStringLiteral("messages")).toArray() << c.value(QStringLiteral("prompt_text")).toString()
                << c.value(QStringLiteral("image_grid_thw")) << c.value(QStringLiteral("video_grid_thw"))
                << c.value(QStringLiteral("file")).toString();
        }
    }
    void referenceCases()
    {
        QFETCH(QJsonArray, messages);
        QFETCH(QString, promptText);
        QFETCH(QJsonValue, imageGrids);
        QFETCH(QJsonValue, videoGrids);
        QFETCH(QString, file);

        const std::string prompt = renderChat(messagesOf(messages), true);
        QCOMPARE(prompt, promptText.toStdString());

        const auto expanded = expandVisionPads(prompt, padCounts(imageGrids), padCounts(videoGrids));
        QVERIFY2(expanded.ok(), expanded.ok() ? "" : expanded.error().c_str());
        const std::vector<int32_t> ids = m_tokenizer->encode(*expanded);

        const auto reference = SafeTensorsFile::open((modelDir() + QStringLiteral("/reference/") + file).toStdString());
        QVERIFY2(reference.ok(), reference.ok() ? "" : reference.error().c_str());
        const at::Tensor inputIds = (*reference)->tensor("input_ids").to(at::kLong).contiguous().flatten();
        const std::vector<int64_t> expected(
            inputIds.data_ptr<int64_t>(), inputIds.data_ptr<int64_t>() + inputIds.numel());
        QCOMPARE(std::vector<int64_t>(ids.begin(), ids.end()), expected);
    }

    // Renderings worked out by hand from the template text (chat_template.json).
    void render_data()
    {
        QTest::addColumn<bool>("withSystem");
        QTest::addColumn<bool>("generationPrompt");
        QTest::addColumn<QString>("expected");
        QTest::newRow("system given") << true << false
                                      << QStringLiteral("<|im_start|>system\nBe brief.<|im_end|>\n"
                                                        "<|im_start|>user\nHi<|im_end|>\n"
                                                        "<|im_start|>assistant\nHello.<|im_end|>\n"
                                                        "<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>"
                                                        "Text <|vision_start|><|image_pad|><|vision_end|><|im_end|>\n");
        QTest::newRow("default system") << false << true
                                        << QStringLiteral(
                                               "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                                               "<|im_start|>user\nHi<|im_end|>\n"
                                               "<|im_start|>assistant\nHello.<|im_end|>\n"
                                               "<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>"
                                               "Text <|vision_start|><|image_pad|><|vision_end|><|im_end|>\n"
                                               "<|im_start|>assistant\n");
    }
    void render()
    {
        QFETCH(bool, withSystem);
        QFETCH(bool, generationPrompt);
        QFETCH(QString, expected);
        std::vector<ChatMessage> messages;
        if (withSystem)
            messages.push_back({ "system", { { ContentItem::Kind::Text, "Be brief." } } });
        messages.push_back({ "user", { { ContentItem::Kind::Text, "Hi" } } });
        messages.push_back({ "assistant", { { ContentItem::Kind::Text, "Hello." } } });
        messages.push_back({ "user",
            { { ContentItem::Kind::Video, {} }, { ContentItem::Kind::Text, "Text " },
                { ContentItem::Kind::Image, {} } } });
        QCOMPARE(renderChat(messages, generationPrompt), expected.toStdString());
    }

    void renderNoMessages()
    {
        QCOMPARE(renderChat({}, true), std::string("<|im_start|>assistant\n"));
        QCOMPARE(renderChat({}, false), std::string());
    }

    void expandInOrder()
    {
        const auto out = expandVisionPads("a<|image_pad|>b<|video_pad|>c<|image_pad|>", { 2, 1 }, { 3 });
        QVERIFY(out.ok());
        QCOMPARE(
            *out, std::string("a<|image_pad|><|image_pad|>b<|video_pad|><|video_pad|><|video_pad|>c<|image_pad|>"));
        const auto none = expandVisionPads("plain text", {}, {});
        QVERIFY(none.ok());
        QCOMPARE(*none, std::string("plain text"));
    }

    void expandErrors_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QList<qint64>>("images");
        QTest::addColumn<QList<qint64>>("videos");
        QTest::addColumn<QString>("expected");
        const QString two = QStringLiteral("<|image_pad|> and <|image_pad|>");
        QTest::newRow("too few image counts") << two << QList<qint64> { 4 } << QList<qint64> {}
                                              << QStringLiteral("2 <|image_pad|> placeholder(s) but 1 image");
        QTest::newRow("too many image counts")
            << two << QList<qint64> { 4, 4, 4 } << QList<qint64> {} << QStringLiteral("but 3 image");
        QTest::newRow("video count without video") << two << QList<qint64> { 4, 4 } << QList<qint64> { 8 }
                                                   << QStringLiteral("0 <|video_pad|> placeholder(s) but 1 video");
        QTest::newRow("zero count") << two << QList<qint64> { 4, 0 } << QList<qint64> {}
                                    << QStringLiteral("image 2 has a token count of 0");
    }
    void expandErrors()
    {
        QFETCH(QString, prompt);
        QFETCH(QList<qint64>, images);
        QFETCH(QList<qint64>, videos);
        QFETCH(QString, expected);
        const auto out = expandVisionPads(prompt.toStdString(), std::vector<int64_t>(images.begin(), images.end()),
            std::vector<int64_t>(videos.begin(), videos.end()));
        QVERIFY(!out.ok());
        QVERIFY2(QString::fromStdString(out.error()).contains(expected), out.error().c_str());
    }
};

FOLIO_TEST_CLASS(TstChatTemplate)
#include "tst_chattemplate.moc"
