#include "extract/openaiprotocol.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>

namespace folio::extract {

namespace {

    QString key(const char* name) { return QString::fromLatin1(name); }

    // Takes logprobs.content[] (OpenAI, vLLM, llama.cpp, Ollama) into answer.logprobs and tokenBytes.
    void takeLogprobs(const QJsonValue& logprobs, ChatAnswer& answer)
    {
        const QJsonArray content = logprobs.toObject().value(key("content")).toArray();
        for (const QJsonValue& entry : content) {
            const QJsonObject o = entry.toObject();
            answer.logprobs.push_back(float(o.value(key("logprob")).toDouble()));
            // "bytes" is exact where a token ends inside a character; "token" is its text.
            const QJsonValue bytes = o.value(key("bytes"));
            answer.tokenBytes.push_back(bytes.isArray() ? int(bytes.toArray().size()) : int(o.value(key("token")).toString().toUtf8().size()));
        }
    }

    void takeUsage(const QJsonObject& object, ChatAnswer& answer)
    {
        const QJsonValue usage = object.value(key("usage"));
        if (!usage.isObject())
            return;
        const QJsonObject u = usage.toObject();
        if (u.contains(key("prompt_tokens")))
            answer.promptTokens = u.value(key("prompt_tokens")).toInt();
        if (u.contains(key("completion_tokens")))
            answer.completionTokens = u.value(key("completion_tokens")).toInt();
    }

    void takeServerSize(const QJsonObject& object, ChatAnswer& answer)
    {
        const QJsonArray sizes = object.value(key("folio_image_sizes")).toArray();
        if (!sizes.isEmpty()) {
            const QJsonArray wh = sizes.first().toArray();
            answer.serverImageSize = QSize(wh.at(0).toInt(), wh.at(1).toInt());
        }
    }

    std::optional<QString> errorIn(const QJsonObject& object)
    {
        if (!object.contains(key("error")))
            return std::nullopt;
        const QJsonValue e = object.value(key("error"));
        return e.isObject() ? e.toObject().value(key("message")).toString() : e.toString();
    }

} // namespace

QByteArray chatRequestBody(const ChatRequestParams& params, const QImage& image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.convertToFormat(QImage::Format_RGB888).save(&buffer, "PNG");
    const QString url = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());

    QJsonArray messages;
    if (!params.systemPrompt.isEmpty())
        messages.append(QJsonObject{{key("role"), key("system")}, {key("content"), params.systemPrompt}});
    const QJsonArray content{QJsonObject{{key("type"), key("image_url")}, {key("image_url"), QJsonObject{{key("url"), url}}}},
                             QJsonObject{{key("type"), key("text")}, {key("text"), params.prompt}}};
    messages.append(QJsonObject{{key("role"), key("user")}, {key("content"), content}});
    QJsonObject body{{key("model"), params.model},
                     {key("messages"), messages},
                     {key("max_tokens"), params.maxTokens},
                     {key("temperature"), params.temperature},
                     {key("stream"), params.stream}};
    if (params.stream)
        body.insert(key("stream_options"), QJsonObject{{key("include_usage"), true}});
    if (params.logprobs)
        body.insert(key("logprobs"), true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

std::vector<QByteArray> SseParser::feed(const QByteArray& bytes)
{
    std::vector<QByteArray> events;
    m_buffer += bytes;
    qsizetype start = 0;
    while (true) {
        const qsizetype end = m_buffer.indexOf('\n', start);
        if (end < 0)
            break;
        QByteArray line = m_buffer.mid(start, end - start);
        start = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty()) { // a blank line ends the event
            if (m_hasData)
                events.push_back(m_data);
            m_data.clear();
            m_hasData = false;
        } else if (line.startsWith("data:")) {
            QByteArray value = line.mid(5);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (m_hasData)
                m_data += '\n';
            m_data += value;
            m_hasData = true;
        } // ":" comments (keep-alives), event:, id:, retry: carry nothing we use
    }
    m_buffer.remove(0, start);
    return events;
}

Result<void> applyStreamEvent(const QByteArray& data, ChatAnswer& answer)
{
    if (data.trimmed() == "[DONE]") {
        answer.done = true;
        return {};
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (!doc.isObject())
        return makeError("the server sent a stream event that is not JSON: " + data.left(200).toStdString());
    const QJsonObject chunk = doc.object();
    if (const auto message = errorIn(chunk))
        return makeError("the server reported an error mid-stream: " + message->toStdString());
    const QJsonArray choices = chunk.value(key("choices")).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonValue content = choice.value(key("delta")).toObject().value(key("content"));
        if (content.isString() && !content.toString().isEmpty()) {
            answer.text += content.toString();
            ++answer.chunks;
        }
        takeLogprobs(choice.value(key("logprobs")), answer);
        const QJsonValue finish = choice.value(key("finish_reason"));
        if (finish.isString())
            answer.finishReason = finish.toString();
    }
    takeUsage(chunk, answer);
    takeServerSize(chunk, answer);
    return {};
}

Result<ChatAnswer> parseChatResponse(const QByteArray& body)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!doc.isObject())
        return makeError("the server's answer is not JSON: " + error.errorString().toStdString());
    const QJsonObject object = doc.object();
    if (const auto message = errorIn(object))
        return makeError("the server reported an error: " + message->toStdString());
    const QJsonArray choices = object.value(key("choices")).toArray();
    if (choices.isEmpty())
        return makeError("the server's answer has no choices");
    const QJsonObject choice = choices.first().toObject();
    ChatAnswer answer;
    answer.text = choice.value(key("message")).toObject().value(key("content")).toString();
    answer.finishReason = choice.value(key("finish_reason")).toString();
    takeLogprobs(choice.value(key("logprobs")), answer);
    takeUsage(object, answer);
    takeServerSize(object, answer);
    answer.done = true;
    return answer;
}

QString serverErrorMessage(const QByteArray& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        if (const auto message = errorIn(o); message && !message->isEmpty())
            return *message;
        for (const char* field : {"detail", "message"})
            if (o.value(key(field)).isString())
                return o.value(key(field)).toString();
    }
    const QString text = QString::fromUtf8(body.left(300)).trimmed();
    return text.isEmpty() ? QStringLiteral("(no details)") : text;
}

Result<QStringList> parseModelList(const QByteArray& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return makeError("the server's model list is not JSON");
    QStringList ids;
    for (const QJsonValue& m : doc.object().value(key("data")).toArray())
        ids << m.toObject().value(key("id")).toString();
    for (const QJsonValue& m : doc.object().value(key("models")).toArray())
        ids << m.toObject().value(key("name")).toString();
    ids.removeAll(QString());
    return ids;
}

} // namespace folio::extract
