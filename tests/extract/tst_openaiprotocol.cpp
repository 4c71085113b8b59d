// The OpenAI chat-completions client protocol against recorded exchanges in the formats vLLM,
// llama.cpp's llama-server and Ollama document (tests/data/openai/, each naming its source):
// SSE framing split at arbitrary byte boundaries, delta.content accumulation, the final
// finish_reason, usage, logprobs and mid-stream errors; and the request body's shape.
#include "extract/openaiprotocol.h"
#include "extract/taskparser.h"

#include "testregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace folio::extract;

namespace {

QByteArray recording(const QString& name)
{
    QFile f(folio::test::sourceDir() + QStringLiteral("/tests/data/openai/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing recording %s", qPrintable(f.fileName()));
    return f.readAll();
}

// Feeds the stream in pieces of `step` bytes, as a network delivers it.
folio::Result<ChatAnswer> replayStream(const QByteArray& body, int step)
{
    SseParser parser;
    ChatAnswer answer;
    for (qsizetype at = 0; at < body.size(); at += step)
        for (const QByteArray& event : parser.feed(body.mid(at, step)))
            if (auto applied = applyStreamEvent(event, answer); !applied)
                return folio::makeError(applied.error());
    return answer;
}

const QString kText = QStringLiteral("[{\"bbox_2d\": [28, 56, 308, 84], \"text_content\": \"Invoice 2024-117\"}]");

} // namespace

class TstOpenAiProtocol : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void streams_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<int>("logprobs");
        QTest::addColumn<int>("promptTokens");
        QTest::addColumn<int>("completionTokens");
        for (int step : {1, 7, 100000}) {
            const QByteArray s = QByteArray::number(step);
            QTest::newRow("vllm/" + s) << QStringLiteral("vllm-stream.sse") << step << QStringLiteral("stop") << 3 << 1312 << 3;
            QTest::newRow("llama.cpp/" + s) << QStringLiteral("llamacpp-stream.sse") << step << QStringLiteral("length") << 2 << 1290 << 2;
            QTest::newRow("ollama/" + s) << QStringLiteral("ollama-stream.sse") << step << QStringLiteral("stop") << 0 << 1305 << 2;
        }
    }
    void streams()
    {
        QFETCH(QString, file);
        QFETCH(int, step);
        QFETCH(QString, finish);
        QFETCH(int, logprobs);
        QFETCH(int, promptTokens);
        QFETCH(int, completionTokens);
        const auto answer = replayStream(recording(file), step);
        QVERIFY2(answer, answer ? "" : answer.error().c_str());
        QCOMPARE(answer->text, kText);
        QCOMPARE(answer->finishReason, finish);
        QVERIFY(answer->done);
        QCOMPARE(int(answer->logprobs.size()), logprobs);
        for (float lp : answer->logprobs)
            QVERIFY(lp < 0.0f);
        QCOMPARE(answer->promptTokens.value_or(-1), promptTokens);
        QCOMPARE(answer->completionTokens.value_or(-1), completionTokens);

        // What the stream accumulates is what the real parser reads (labelled replay: recorded).
        const ParsedOutput parsed = parseTaskOutput(QStringLiteral("ocr"), answer->text, ModelFrame{336, 476, 0}, 0);
        QVERIFY2(parsed.ok, qPrintable(parsed.error));
        QCOMPARE(int(parsed.result.lines.size()), 1);
        QCOMPARE(parsed.result.lines.front().text, QStringLiteral("Invoice 2024-117"));
    }

    void vllmFirstLogprobs()
    {
        const auto answer = replayStream(recording(QStringLiteral("vllm-stream.sse")), 13);
        QVERIFY(answer);
        QCOMPARE(answer->logprobs.front(), -0.0021f);
        QCOMPARE(answer->logprobs.back(), -0.3567f);
    }

    void nonStreamedLength()
    {
        const auto answer = parseChatResponse(recording(QStringLiteral("vllm-length.json")));
        QVERIFY2(answer, answer ? "" : answer.error().c_str());
        QCOMPARE(answer->finishReason, QStringLiteral("length"));
        QCOMPARE(int(answer->logprobs.size()), 2);
        QCOMPARE(answer->completionTokens.value_or(-1), 2);
        QCOMPARE(answer->text, QStringLiteral("[{\"bbox_2d\": [28, 56, 308, 84], \"text_content\": \"Invoice"));
    }

    void errorMidStream()
    {
        const auto answer = replayStream(recording(QStringLiteral("error-midstream.sse")), 5);
        QVERIFY(!answer);
        QVERIFY2(QString::fromStdString(answer.error()).contains(QStringLiteral("longer than the maximum model length")), answer.error().c_str());
    }

    void sseFraming()
    {
        SseParser parser;
        // A comment, a multi-line data field, CRLF, and an event left open until more bytes arrive.
        auto events = parser.feed(": keep-alive\n\ndata: a\ndata: b\r\n\r\ndata: {\"x\"");
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0], QByteArray("a\nb"));
        events = parser.feed(":1}\n\n");
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0], QByteArray("{\"x\":1}"));
        QVERIFY(parser.feed("data: [DONE]\n").empty()); // not finished until the blank line
    }

    void errorMessages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("openai") << QByteArray(R"({"error":{"message":"Invalid API key","type":"authentication_error"}})") << QStringLiteral("Invalid API key");
        QTest::newRow("string") << QByteArray(R"({"error":"model 'x' not found"})") << QStringLiteral("model 'x' not found");
        QTest::newRow("fastapi") << QByteArray(R"({"detail":"Not Found"})") << QStringLiteral("Not Found");
        QTest::newRow("text") << QByteArray("Bad Gateway") << QStringLiteral("Bad Gateway");
    }
    void errorMessages()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QCOMPARE(serverErrorMessage(body), message);
    }

    void modelLists()
    {
        auto openai = parseModelList(R"({"object":"list","data":[{"id":"Qwen/Qwen2.5-VL-7B-Instruct","object":"model"}]})");
        QVERIFY(openai);
        QCOMPARE(*openai, QStringList{QStringLiteral("Qwen/Qwen2.5-VL-7B-Instruct")});
        auto ollama = parseModelList(R"({"models":[{"name":"qwen2.5vl:7b"},{"name":"llava:13b"}]})");
        QVERIFY(ollama);
        QCOMPARE(ollama->size(), 2);
    }

    void requestBody()
    {
        const QJsonObject expected = QJsonDocument::fromJson(recording(QStringLiteral("request-page.json"))).object();
        ChatRequestParams params;
        params.model = QStringLiteral("Qwen/Qwen2.5-VL-7B-Instruct");
        params.systemPrompt = QStringLiteral("You are a helpful assistant.");
        params.prompt = QStringLiteral("Read every line of text with its bbox_2d.");
        params.maxTokens = 256;
        QImage page(56, 84, QImage::Format_RGB888);
        page.fill(QColor(200, 10, 30));
        QJsonObject body = QJsonDocument::fromJson(chatRequestBody(params, page)).object();

        // The image travels as a PNG data URL of exactly the pixels given.
        QJsonObject user = body[QStringLiteral("messages")].toArray()[1].toObject();
        QJsonArray content = user[QStringLiteral("content")].toArray();
        QJsonObject imagePart = content[0].toObject();
        const QString url = imagePart[QStringLiteral("image_url")].toObject()[QStringLiteral("url")].toString();
        QVERIFY(url.startsWith(QStringLiteral("data:image/png;base64,")));
        const QImage decoded = QImage::fromData(QByteArray::fromBase64(url.mid(22).toLatin1()), "PNG");
        QCOMPARE(decoded.size(), page.size());
        QCOMPARE(decoded.pixelColor(10, 10), QColor(200, 10, 30));

        // Everything else equals the recorded request.
        imagePart[QStringLiteral("image_url")] = QJsonObject{{QStringLiteral("url"), QStringLiteral("data:image/png;base64,...")}};
        content[0] = imagePart;
        user[QStringLiteral("content")] = content;
        QJsonArray messages = body[QStringLiteral("messages")].toArray();
        messages[1] = user;
        body[QStringLiteral("messages")] = messages;
        QJsonObject want = expected;
        want.remove(QStringLiteral("_source"));
        QCOMPARE(body, want);
    }
};

FOLIO_TEST_CLASS(TstOpenAiProtocol)
#include "tst_openaiprotocol.moc"
