#pragma once
// The client side of the OpenAI chat-completions format, as vLLM, SGLang, llama.cpp's
// llama-server, Ollama's /v1, LM Studio and `folio serve` speak it: the request body for one
// page, the server-sent-event framing of a streamed answer, and the accumulation of its
// chunks (choices[0].delta.content, logprobs.content[].logprob, finish_reason, usage,
// in-stream errors). No network here: RemoteEngine feeds it bytes. Pure, no thread affinity.

#include "inference/result.h"

#include <QByteArray>
#include <QImage>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace folio::extract {

struct ChatRequestParams {
    QString model;
    QString systemPrompt; // empty: none sent (the server's template default applies)
    QString prompt;
    int maxTokens = 1024;
    double temperature = 0.0; // 0: greedy, like the local engine's default for documents
    bool stream = true;
    bool logprobs = true;
};

// The JSON body; the image (already at its final size) goes as a base64 PNG data URL before
// the text, as Qwen2.5-VL's own chat template orders a page and its question.
QByteArray chatRequestBody(const ChatRequestParams& params, const QImage& image);

// Splits a text/event-stream into the data of each event ("data:" lines joined by "\n";
// comments and other fields ignored; LF or CRLF line ends).
class SseParser {
public:
    // Appends bytes; returns the data of every event completed by them, in order.
    std::vector<QByteArray> feed(const QByteArray& bytes);

private:
    QByteArray m_buffer;
    QByteArray m_data;
    bool m_hasData = false;
};

// What a chat completion answered, streamed or not.
struct ChatAnswer {
    QString text;
    std::vector<float> logprobs; // one per token, when the server sent them
    std::vector<int> tokenBytes; // parallel: each token's UTF-8 length ("bytes", else "token"; 0 when neither is sent)
    int chunks = 0;              // content deltas received (a token count where usage is missing)
    QString finishReason;        // "stop", "length", ... ; empty while streaming
    std::optional<int> promptTokens, completionTokens;
    bool done = false;           // [DONE] seen (streams), or the whole object parsed
    // The size the server says it resized the image to (folio serve's folio_image_sizes), when told.
    std::optional<QSize> serverImageSize;
};

// Applies one event's data (a chunk object or "[DONE]") to `answer`. Errors: not JSON, or an
// {"error": ...} object sent mid-stream (the message is the server's).
Result<void> applyStreamEvent(const QByteArray& data, ChatAnswer& answer);

// A whole non-streamed chat.completion object.
Result<ChatAnswer> parseChatResponse(const QByteArray& body);

// The server's message from an error body ({"error": {"message"}}, {"error": "..."},
// {"detail": ...} or {"message": ...}), else the body itself, shortened.
QString serverErrorMessage(const QByteArray& body);

// Model ids from GET /v1/models ({"data": [{"id"}]}; Ollama's {"models": [{"name"}]} too).
Result<QStringList> parseModelList(const QByteArray& body);

} // namespace folio::extract
