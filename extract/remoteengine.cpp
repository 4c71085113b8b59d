// The remote engine: the only network client in Folio. It talks to exactly the URL the user
// configured (no redirects followed, no proxy consulted) and sends nothing but the page image
// and the prompt.
#include "extract/remoteengine.h"

#include "extract/modelframe.h"
#include "extract/openaiprotocol.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace folio::extract {

namespace {

    // One HTTP exchange, driven by a local event loop on the calling thread.
    struct Exchange {
        int status = 0;          // 0: no HTTP status (connection refused, reset, ...)
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QString errorText;
        QByteArray body;         // the whole body, unless it was streamed to onStream
        QByteArray retryAfter;
        bool streamed = false;   // the body was text/event-stream, handed to onStream
        bool cancelled = false;
        bool timedOut = false;
        bool stoppedByCaller = false; // onStream returned false
    };

    // onStream gets the bytes of a 200 text/event-stream body as they arrive; returning false
    // aborts the request.
    Exchange exchange(const QNetworkRequest& request, const QByteArray* body, int timeoutMs,
                      const std::atomic<bool>* cancel, const std::function<bool(const QByteArray&)>& onStream)
    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy); // the URL given, directly
        QEventLoop loop;
        Exchange out;
        QNetworkReply* reply = body ? network.post(request, *body) : network.get(request);
        const auto isStream = [&] {
            return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200
                && reply->header(QNetworkRequest::ContentTypeHeader).toString().contains(QLatin1String("text/event-stream"));
        };
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            if (!onStream || !isStream())
                return;
            out.streamed = true;
            if (!onStream(reply->readAll())) {
                out.stoppedByCaller = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer poll;
        poll.setInterval(50);
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (cancel && cancel->load()) {
                out.cancelled = true;
                reply->abort(); // closes the stream: the server stops generating
            }
        });
        poll.start();
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
            out.timedOut = true;
            reply->abort();
        });
        deadline.start(timeoutMs);
        if (!reply->isFinished())
            loop.exec();
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.error = reply->error();
        out.errorText = reply->errorString();
        out.retryAfter = reply->rawHeader("Retry-After");
        const QByteArray rest = reply->isOpen() ? reply->readAll() : QByteArray(); // an aborted reply is closed
        if (out.streamed || (onStream && isStream() && !out.cancelled && !out.timedOut)) {
            out.streamed = true;
            if (!rest.isEmpty() && !out.stoppedByCaller && !onStream(rest))
                out.stoppedByCaller = true;
        } else {
            out.body = rest;
        }
        delete reply;
        return out;
    }

    bool retryableStatus(int status)
    {
        return status == 429 || (status >= 500 && status <= 599);
    }

    // Retry-After: seconds or an HTTP date; nullopt when absent or unreadable.
    std::optional<int> retryAfterMs(const QByteArray& header)
    {
        if (header.isEmpty())
            return std::nullopt;
        bool ok = false;
        const int seconds = header.trimmed().toInt(&ok);
        if (ok && seconds >= 0)
            return seconds * 1000;
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(header.trimmed()), Qt::RFC2822Date);
        if (when.isValid())
            return int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
        return std::nullopt;
    }

    // Sleeps `ms`, waking early on cancel; false when cancelled.
    bool waitUnlessCancelled(int ms, const std::atomic<bool>* cancel)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            if (cancel && cancel->load())
                return false;
            QThread::msleep(std::min<qint64>(50, ms - timer.elapsed() + 1));
        }
        return !(cancel && cancel->load());
    }

    QString describe(const Exchange& e)
    {
        if (e.status != 0)
            return QStringLiteral("HTTP %1: %2").arg(e.status).arg(serverErrorMessage(e.body));
        return e.errorText;
    }

} // namespace

Result<QUrl> parseServerUrl(const QString& text)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return makeError("'" + text.toStdString() + "' is not a server URL: give http://HOST:PORT/v1");
    if (url.hasQuery() || url.hasFragment())
        return makeError("'" + text.toStdString() + "': give the server's base URL without ?query or #fragment");
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path.isEmpty() ? QStringLiteral("/v1") : path);
    return url;
}

Result<QString> apiKeyFromEnvironment(const QString& variable)
{
    if (variable.isEmpty())
        return QString();
    const QByteArray key = qgetenv(variable.toLocal8Bit().constData());
    if (key.isEmpty())
        return makeError("the API key variable " + variable.toStdString() + " is not set or empty");
    return QString::fromUtf8(key);
}

RemoteEngine::RemoteEngine(RemoteEngineOptions options) : m_options(std::move(options))
{
    m_options.concurrency = std::max(1, m_options.concurrency);
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
}

QString RemoteEngine::modelId() const
{
    return QStringLiteral("openai:%1 @ %2").arg(m_options.model, m_options.baseUrl.toString());
}

namespace {

    QNetworkRequest makeRequest(const RemoteEngineOptions& o, const QString& endpoint, bool stream)
    {
        QUrl url = o.baseUrl;
        url.setPath(url.path() + endpoint);
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Accept", stream ? "text/event-stream" : "application/json");
        if (!o.apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + o.apiKey.toUtf8());
        // Never somewhere else: a redirect is reported, not followed.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        return request;
    }

    // The retry loop shared by chat and model-list requests. `attempt` performs one exchange;
    // the result says whether to try again (connection errors, 429, 5xx, a stream cut short).
    template <typename Attempt>
    Result<Exchange> withRetries(const RemoteEngineOptions& o, const std::atomic<bool>* cancel, int* attemptsMade, Attempt attempt)
    {
        const QString where = o.baseUrl.toString();
        int backoff = std::max(1, o.initialBackoffMs);
        for (int n = 1;; ++n) {
            *attemptsMade = n;
            Exchange e = attempt();
            if (e.cancelled)
                return makeError("cancelled");
            if (e.timedOut)
                return makeError(QStringLiteral("%1: no complete answer within %2 s (--timeout)").arg(where).arg(o.timeoutSeconds).toStdString());
            const bool cutShort = e.status == 200 && e.error != QNetworkReply::NoError && !e.stoppedByCaller;
            const bool retry = e.status == 0 || retryableStatus(e.status) || cutShort;
            if (!retry)
                return e;
            const QString reason = cutShort ? QStringLiteral("the connection closed mid-answer (%1)").arg(e.errorText) : describe(e);
            if (n >= o.maxAttempts)
                return makeError(QStringLiteral("%1: %2 (gave up after %3 attempts)").arg(where, reason).arg(n).toStdString());
            const int wait = std::min(120'000, retryAfterMs(e.retryAfter).value_or(backoff));
            backoff = std::min(30'000, backoff * 2);
            if (!waitUnlessCancelled(wait, cancel))
                return makeError("cancelled");
        }
    }

    Result<void> checkStatus(const Exchange& e, const QString& where)
    {
        if (e.status == 200)
            return {};
        if (e.status == 401 || e.status == 403)
            return makeError(QStringLiteral("%1 refused the API key (%2): %3 (check --api-key-env / Settings)")
                                 .arg(where).arg(e.status).arg(serverErrorMessage(e.body)).toStdString());
        if (e.status >= 300 && e.status < 400)
            return makeError(QStringLiteral("%1 answered with a redirect (%2), which Folio does not follow: give the final URL")
                                 .arg(where).arg(e.status).toStdString());
        return makeError(QStringLiteral("%1: %2").arg(where, describe(e)).toStdString());
    }

} // namespace

Result<EngineOutput> RemoteEngine::run(const EngineRequest& request, const TokenProgress& progress,
                                       const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load())
        return makeError("cancelled");
    const auto size = modelInputSize(request.image.size(), request.minPixels, request.maxPixels);
    if (!size)
        return makeError(size.error());
    // Folio's own resize to the exact model frame: the server's smart_resize is then the identity.
    const QImage image = request.image.size() == *size
        ? request.image
        : request.image.scaled(*size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);

    ChatRequestParams params;
    params.model = m_options.model;
    params.systemPrompt = request.systemPrompt;
    params.prompt = request.prompt;
    params.maxTokens = request.maxNewTokens;
    params.temperature = request.temperature.value_or(0.0);
    const QByteArray body = chatRequestBody(params, image);
    const QNetworkRequest http = makeRequest(m_options, QStringLiteral("/chat/completions"), true);

    ChatAnswer answer;
    bool stoppedByGuard = false;
    QElapsedTimer clock;
    double firstTokenMs = -1;
    int attempts = 0;
    const auto exchanged = withRetries(m_options, cancel, &attempts, [&] {
        answer = ChatAnswer{}; // a retry starts the answer over
        clock.start();
        firstTokenMs = -1;
        auto parser = std::make_shared<SseParser>();
        auto streamError = std::make_shared<QString>();
        Exchange e = exchange(http, &body, m_options.timeoutSeconds * 1000, cancel, [&, parser, streamError](const QByteArray& bytes) {
            for (const QByteArray& event : parser->feed(bytes)) {
                const int before = answer.chunks;
                if (const auto applied = applyStreamEvent(event, answer); !applied) {
                    *streamError = QString::fromStdString(applied.error());
                    return false;
                }
                if (answer.chunks > before) {
                    if (firstTokenMs < 0)
                        firstTokenMs = double(clock.nsecsElapsed()) / 1e6;
                    const int tokens = std::max<int>(answer.chunks, int(answer.logprobs.size()));
                    if (progress && !progress(tokens, answer.text)) {
                        stoppedByGuard = true;
                        return false;
                    }
                }
            }
            return true;
        });
        if (!streamError->isEmpty()) { // an {"error"} event: the server's own failure, reported as a 500
            e.status = 500;
            e.stoppedByCaller = false;
            e.error = QNetworkReply::NoError;
            e.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), *streamError}}).toJson();
        }
        return e;
    });
    if (!exchanged)
        return makeError(exchanged.error());
    const QString where = m_options.baseUrl.toString();
    if (!stoppedByGuard) {
        if (auto ok = checkStatus(*exchanged, where); !ok)
            return makeError(ok.error());
        if (!exchanged->streamed) { // a server that ignored "stream": true
            auto whole = parseChatResponse(exchanged->body);
            if (!whole)
                return makeError(QStringLiteral("%1: %2").arg(where, QString::fromStdString(whole.error())).toStdString());
            answer = *whole;
        } else if (!answer.done && answer.finishReason.isEmpty()) {
            return makeError(QStringLiteral("%1: the answer stream ended without finish_reason or [DONE]").arg(where).toStdString());
        }
    }

    EngineOutput out;
    out.text = answer.text;
    out.resizedWidth = image.width();
    out.resizedHeight = image.height();
    QJsonObject sent{{QStringLiteral("engine"), QStringLiteral("openai")},
                     {QStringLiteral("url"), where},
                     {QStringLiteral("model"), m_options.model},
                     {QStringLiteral("sent_width"), image.width()},
                     {QStringLiteral("sent_height"), image.height()},
                     {QStringLiteral("max_tokens"), params.maxTokens},
                     {QStringLiteral("temperature"), params.temperature},
                     {QStringLiteral("stream"), true},
                     {QStringLiteral("logprobs"), true},
                     {QStringLiteral("attempts"), attempts}};
    if (answer.serverImageSize && *answer.serverImageSize != image.size()) {
        // The server resized the page anyway (its max_pixels is below ours): its frame is the
        // one the boxes are in.
        sent.insert(QStringLiteral("server_width"), answer.serverImageSize->width());
        sent.insert(QStringLiteral("server_height"), answer.serverImageSize->height());
        out.resizedWidth = answer.serverImageSize->width();
        out.resizedHeight = answer.serverImageSize->height();
    }
    if (answer.finishReason == u"length")
        out.stopReason = QStringLiteral("max_tokens");
    else if (answer.finishReason == u"stop")
        out.stopReason = QStringLiteral("eos");
    else
        out.stopReason = answer.finishReason;
    if (stoppedByGuard)
        out.stopReason = QStringLiteral("stopped");
    sent.insert(QStringLiteral("finish_reason"), answer.finishReason);
    out.generatedTokens = answer.completionTokens.value_or(std::max<int>(answer.chunks, int(answer.logprobs.size())));
    out.tokens.logprobs = answer.logprobs;
    out.tokens.bytes = answer.tokenBytes;
    if (answer.promptTokens)
        sent.insert(QStringLiteral("prompt_tokens"), *answer.promptTokens);
    out.request = sent;
    out.timings = QJsonObject{{QStringLiteral("total_ms"), double(clock.nsecsElapsed()) / 1e6},
                              {QStringLiteral("first_token_ms"), firstTokenMs}};
    return out;
}

Result<QStringList> RemoteEngine::listModels(const std::atomic<bool>* cancel) const
{
    const QNetworkRequest http = makeRequest(m_options, QStringLiteral("/models"), false);
    int attempts = 0;
    const auto exchanged = withRetries(m_options, cancel, &attempts, [&] {
        return exchange(http, nullptr, m_options.timeoutSeconds * 1000, cancel, {});
    });
    if (!exchanged)
        return makeError(exchanged.error());
    if (auto ok = checkStatus(*exchanged, m_options.baseUrl.toString()); !ok)
        return makeError(ok.error());
    return parseModelList(exchanged->body);
}

} // namespace folio::extract
