#include "ui/enginesettings.h"

#include <QSettings>

#include <algorithm>

namespace folio::ui {

Result<extract::RemoteEngineOptions> EngineSettings::connectionOptions() const
{
    auto parsed = extract::parseServerUrl(url);
    if (!parsed)
        return makeError("Server URL: " + parsed.error());
    auto key = extract::apiKeyFromEnvironment(apiKeyVariable.trimmed());
    if (!key)
        return makeError("API key: " + key.error() + " (set it before starting Folio)");
    extract::RemoteEngineOptions o;
    o.baseUrl = *parsed;
    o.model = model.trimmed();
    o.apiKey = *key;
    o.concurrency = concurrency;
    o.timeoutSeconds = timeoutSeconds;
    return o;
}

Result<extract::RemoteEngineOptions> EngineSettings::remoteOptions() const
{
    if (model.trimmed().isEmpty())
        return makeError("Server model: give the model id the server lists (Settings → Test connection shows them)");
    return connectionOptions();
}

EngineSettings EngineSettings::load(const QSettings& s)
{
    EngineSettings out;
    if (s.value(QStringLiteral("engine/kind")).toString() == QLatin1String(kOpenAi))
        out.kind = QString::fromLatin1(kOpenAi);
    out.url = s.value(QStringLiteral("engine/url"), out.url).toString();
    out.model = s.value(QStringLiteral("engine/model"), out.model).toString();
    out.apiKeyVariable = s.value(QStringLiteral("engine/apiKeyVariable"), out.apiKeyVariable).toString();
    out.concurrency = std::clamp(s.value(QStringLiteral("engine/concurrency"), out.concurrency).toInt(), 1, 64);
    out.timeoutSeconds = std::clamp(s.value(QStringLiteral("engine/timeoutSeconds"), out.timeoutSeconds).toInt(), 1, 86400);
    return out;
}

void EngineSettings::save(QSettings& s) const
{
    s.setValue(QStringLiteral("engine/kind"), kind);
    s.setValue(QStringLiteral("engine/url"), url);
    s.setValue(QStringLiteral("engine/model"), model);
    s.setValue(QStringLiteral("engine/apiKeyVariable"), apiKeyVariable);
    s.setValue(QStringLiteral("engine/concurrency"), concurrency);
    s.setValue(QStringLiteral("engine/timeoutSeconds"), timeoutSeconds);
}

} // namespace folio::ui
