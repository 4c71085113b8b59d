#pragma once

#include "extract/engine.h"

#include <QStringList>
#include <QUrl>

namespace folio::extract {

struct RemoteEngineOptions {
    QUrl baseUrl;            // e.g. http://127.0.0.1:8080/v1 — the only address ever contacted
    QString model;           // the server's model id
    QString apiKey;          // sent as "Authorization: Bearer"; empty: none
    int timeoutSeconds = 600; // per request, from sending to the last byte
    int concurrency = 4;     // pages in flight
    int maxAttempts = 5;     // tries per page on connection errors, 429 and 5xx
    int initialBackoffMs = 250; // doubled per retry (capped at 30 s) unless Retry-After says otherwise
};

// Qwen2.5-VL (or another VLM) behind an OpenAI-compatible /v1/chat/completions: vLLM, SGLang,
// llama.cpp's llama-server, Ollama, LM Studio, another machine's `folio serve`.
//
// The page is resized here to the exact smart_resize size for the request's pixel budget and
// sent as a PNG data URL, so a server that resizes with the same rule leaves it unchanged and
// the model's boxes are pixels of the size Folio knows (stored with the run). The answer is
// streamed (SSE) for token progress; cancel aborts the stream. finish_reason "length" reports
// as max_tokens (the job marks the run truncated); logprobs are requested and returned.
// Connection errors, 429 and 5xx are retried with exponential backoff, honouring Retry-After.
//
// Threads: run() may be called from several threads at once (up to concurrency()); each call
// uses its own QNetworkAccessManager and event loop on the calling thread.
class RemoteEngine final : public Engine {
public:
    explicit RemoteEngine(RemoteEngineOptions options);

    // "openai:<model> @ <url>"
    QString modelId() const override;
    int concurrency() const override { return m_options.concurrency; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

    // GET <url>/models: the server's model ids ("Test connection"). Same retries and timeout.
    Result<QStringList> listModels(const std::atomic<bool>* cancel = nullptr) const;

private:
    RemoteEngineOptions m_options;
};

// Checks a user's URL: http or https, a host, no query or fragment; a trailing "/" dropped.
Result<QUrl> parseServerUrl(const QString& text);

// The API key held by the environment variable the user named (the key itself is never stored
// nor given on a command line, where other users of the machine could read it). An empty name
// means no key; a named variable that is unset or empty is an error naming it.
Result<QString> apiKeyFromEnvironment(const QString& variable);

} // namespace folio::extract
