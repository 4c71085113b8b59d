#pragma once
// The extraction engine the review app uses: the local model (Settings::modelDir) or an
// OpenAI-compatible server (vLLM, llama-server, Ollama, LM Studio, `folio serve`). Kept in
// QSettings under "engine/"; the API key is never stored, only the name of the environment
// variable that holds it.

#include "extract/remoteengine.h"

#include <QString>

class QSettings;

namespace folio::ui {

struct EngineSettings {
    static constexpr const char* kLocal = "local";
    static constexpr const char* kOpenAi = "openai";

    QString kind = QString::fromLatin1(kLocal); // kLocal or kOpenAi
    QString url;              // the server's base URL, e.g. http://127.0.0.1:8080/v1
    QString model;            // the server's model id (its /v1/models)
    QString apiKeyVariable;   // environment variable holding the key; empty: no key
    int concurrency = 4;      // pages in flight
    int timeoutSeconds = 600; // per page request

    bool remote() const { return kind == QLatin1String(kOpenAi); }
    // The remote engine's options, the key read from its variable now; an error says what to
    // fix in Settings.
    Result<extract::RemoteEngineOptions> remoteOptions() const;
    // The same without the model name: what reaching the server (its model list) needs.
    Result<extract::RemoteEngineOptions> connectionOptions() const;

    static EngineSettings load(const QSettings& s);
    void save(QSettings& s) const;
};

} // namespace folio::ui
