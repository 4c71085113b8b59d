#include "app/remoteoptions.h"

namespace folio::app {

void addRemoteEngineOptions(QCommandLineParser& p)
{
    p.addOption({QStringLiteral("url"), QStringLiteral("openai engine: the server's base URL, e.g. http://127.0.0.1:8080/v1."), QStringLiteral("url")});
    p.addOption({QStringLiteral("remote-model"), QStringLiteral("openai engine: the model id on the server (see its /v1/models)."), QStringLiteral("name")});
    p.addOption({QStringLiteral("api-key-env"), QStringLiteral("openai engine: environment variable holding the API key."), QStringLiteral("var")});
    p.addOption({QStringLiteral("concurrency"), QStringLiteral("openai engine: pages in flight (default 4)."), QStringLiteral("n"), QStringLiteral("4")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("openai engine: seconds allowed per page request (default 600)."), QStringLiteral("s"), QStringLiteral("600")});
}

Result<std::unique_ptr<extract::RemoteEngine>> remoteEngineFromOptions(const QCommandLineParser& p)
{
    if (!p.isSet(QStringLiteral("url")))
        return makeError("--engine openai needs --url http://HOST:PORT/v1");
    if (p.value(QStringLiteral("remote-model")).isEmpty())
        return makeError("--engine openai needs --remote-model NAME (the server's model id)");
    auto url = extract::parseServerUrl(p.value(QStringLiteral("url")));
    if (!url)
        return makeError("--url: " + url.error());
    extract::RemoteEngineOptions o;
    o.baseUrl = *url;
    o.model = p.value(QStringLiteral("remote-model"));
    if (p.isSet(QStringLiteral("api-key-env"))) {
        const QString variable = p.value(QStringLiteral("api-key-env"));
        if (variable.isEmpty())
            return makeError("--api-key-env needs the name of an environment variable");
        auto key = extract::apiKeyFromEnvironment(variable);
        if (!key)
            return makeError("--api-key-env: " + key.error());
        o.apiKey = *key;
    }
    bool ok = false;
    o.concurrency = p.value(QStringLiteral("concurrency")).toInt(&ok);
    if (!ok || o.concurrency < 1 || o.concurrency > 64)
        return makeError("--concurrency must be between 1 and 64");
    o.timeoutSeconds = p.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || o.timeoutSeconds < 1 || o.timeoutSeconds > 86400)
        return makeError("--timeout must be between 1 and 86400 seconds");
    return std::make_unique<extract::RemoteEngine>(o);
}

} // namespace folio::app
