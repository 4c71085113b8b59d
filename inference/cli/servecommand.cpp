#include "inference/cli/servecommand.h"

#include "inference/cli/chatcompletion.h"
#include "inference/cli/engineargs.h"
#include "inference/engineservice.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

namespace folio::inference {

namespace {

using nlohmann::json;

const std::string kUsage = std::string(R"(Usage: serve --model DIR [options]

An OpenAI-compatible server over Folio's Qwen2.5-VL engine: POST /v1/chat/completions
(image_url parts as base64 data: URLs; "stream": true for server-sent events; "logprobs": true),
GET /v1/models, GET /health. Requests queue on one loaded model.

  --model DIR               Hugging Face model folder
  --host ADDR               listen address (default 127.0.0.1: this machine only)
  --port N                  default 8080; 0 picks a free port (printed)
  --api-key-env VAR         require "Authorization: Bearer <key>" with the key read from $VAR
  --served-model-name NAME  the model id clients use (default: the folder name)
)") + kEngineArgsUsage + R"(  --device cpu|cuda         default cpu
  --threads N               intra-op threads (default: every core)
  --max-body-mb N           largest request body (default 32)
  --max-image-pixels N      largest decoded image (default 40000000)
  --max-queue N             requests waiting or running before 503 (default 16)
  --help                    this text
)";

std::atomic<bool> g_signalled{false};

extern "C" void onSignal(int)
{
    g_signalled = true;
}

// Equal strings take the same time whatever their content, so a key cannot be guessed byte by
// byte from response times.
bool constantTimeEqual(const std::string& a, const std::string& b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

bool isLoopback(const std::string& host)
{
    return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

struct Options {
    EngineOptions engine = cliEngineDefaults();
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string keyVariable;
    std::string modelName;
    int64_t maxBodyMb = 32;
    int maxQueue = 16;
    ChatLimits limits;
    bool help = false;
};

std::string parseArgs(const std::vector<std::string>& args, Options& o)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&](std::string& v) {
            if (i + 1 >= args.size())
                return false;
            v = args[++i];
            return true;
        };
        const auto integer = [&](auto& target, long long low, long long high) -> std::string {
            std::string v;
            if (!value(v))
                return a + " needs a value";
            char* end = nullptr;
            const long long n = std::strtoll(v.c_str(), &end, 10);
            if (v.empty() || *end || n < low || n > high)
                return a + ": '" + v + "' must be a whole number from " + std::to_string(low) + " to " + std::to_string(high);
            target = static_cast<std::remove_reference_t<decltype(target)>>(n);
            return {};
        };
        std::string error;
        if (a == "--help" || a == "-h")
            o.help = true;
        else if (a == "--model") {
            if (!value(o.engine.modelDir))
                return "--model needs a folder";
        } else if (a == "--host") {
            if (!value(o.host))
                return "--host needs an address";
        } else if (a == "--port")
            error = integer(o.port, 0, 65535);
        else if (a == "--api-key-env") {
            if (!value(o.keyVariable))
                return "--api-key-env needs a variable name";
        } else if (a == "--served-model-name") {
            if (!value(o.modelName))
                return "--served-model-name needs a name";
        } else if (applyEngineArg(a, i + 1 < args.size() ? &args[i + 1] : nullptr, o.engine, error)) {
            i += i + 1 < args.size();
        } else if (a == "--device") {
            if (!value(o.engine.device))
                return "--device needs cpu or cuda";
        } else if (a == "--threads")
            error = integer(o.engine.threads, 0, 1024);
        else if (a == "--max-body-mb")
            error = integer(o.maxBodyMb, 1, 1024);
        else if (a == "--max-image-pixels")
            error = integer(o.limits.maxImagePixels, 3136, 400'000'000);
        else if (a == "--max-queue")
            error = integer(o.maxQueue, 1, 1024);
        else
            return "unknown option '" + a + "'";
        if (!error.empty())
            return error;
    }
    if (!o.help && o.engine.modelDir.empty())
        return "--model is required";
    return {};
}

void sendError(httplib::Response& res, int status, const std::string& message)
{
    res.status = status;
    res.set_content(errorJson(status, message).dump(), "application/json");
}

std::string sseEvent(const json& data)
{
    return "data: " + data.dump() + "\n\n";
}

// One streamed request: the engine's worker pushes events, the HTTP thread writes them.
struct StreamState {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::string> events;
    std::atomic<bool> stop{false};
};

class Server {
public:
    Server(const Options& options, std::string key) : m_options(options), m_key(std::move(key)) {}

    void install(httplib::Server& http)
    {
        http.Get("/health", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"status":"ok"})", "application/json");
        });
        http.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res))
                return;
            const json model = {{"id", m_options.modelName}, {"object", "model"}, {"created", m_started}, {"owned_by", "folio"}};
            res.set_content(json{{"object", "list"}, {"data", json::array({model})}}.dump(), "application/json");
        });
        http.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) { chat(req, res); });
        http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty())
                return;
            const std::string message = res.status == 404 ? "no route " + req.method + " " + req.path
                : res.status == 413                       ? "the request body is larger than the server's limit"
                                                          : "request failed";
            sendError(res, res.status, message);
        });
        http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
            std::string what = "internal error";
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                what = std::string("internal error: ") + ex.what();
            } catch (...) {
            }
            sendError(res, 500, what);
        });
    }

private:
    bool authorized(const httplib::Request& req, httplib::Response& res) const
    {
        if (m_key.empty())
            return true;
        const std::string header = req.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        const std::string given = header.rfind(prefix, 0) == 0 ? header.substr(prefix.size()) : std::string();
        if (constantTimeEqual(given, m_key))
            return true;
        res.set_header("WWW-Authenticate", "Bearer");
        sendError(res, 401, header.empty() ? "this server requires an API key (Authorization: Bearer <key>)"
                                           : "the API key is not valid");
        return false;
    }

    void chat(const httplib::Request& req, httplib::Response& res)
    {
        if (!authorized(req, res))
            return;
        auto parsed = parseChatCompletionRequest(req.body, m_options.limits);
        if (!parsed)
            return sendError(res, 400, parsed.error());
        if (!parsed->model.empty() && parsed->model != m_options.modelName)
            return sendError(res, 404, "The model '" + parsed->model + "' does not exist; this server serves '" + m_options.modelName + "'");
        // Waiting + running requests; beyond the limit the client should come back later.
        if (m_inFlight.fetch_add(1) >= m_options.maxQueue) {
            m_inFlight.fetch_sub(1);
            res.set_header("Retry-After", "1");
            return sendError(res, 503, "the server is busy (" + std::to_string(m_options.maxQueue) + " requests queued); retry later");
        }
        const std::string id = "chatcmpl-folio-" + std::to_string(++m_counter);
        const int64_t created = static_cast<int64_t>(std::time(nullptr));
        if (!parsed->stream) {
            // Per token, the text it completed (empty for the first part of a split character).
            json logprobs = parsed->logprobs ? json::array() : json();
            const TokenCallback onToken = [&](int64_t tokenId, const std::string& text, float logprob) {
                if (parsed->logprobs && tokenId >= 0)
                    logprobs.push_back(logprobEntry(text, logprob));
            };
            auto result = EngineService::instance().generate(m_options.engine, parsed->generation, onToken, nullptr);
            m_inFlight.fetch_sub(1);
            if (!result)
                return sendError(res, 500, result.error());
            res.set_content(chatCompletionResponse(id, created, m_options.modelName, *result, logprobs).dump(), "application/json");
            return;
        }
        stream(res, std::move(*parsed), id, created);
    }

    void stream(httplib::Response& res, ChatCompletionRequest request, const std::string& id, int64_t created)
    {
        res.set_header("Cache-Control", "no-cache");
        auto state = std::make_shared<StreamState>();
        const std::string model = m_options.modelName;
        const bool logprobs = request.logprobs;
        const bool includeUsage = request.includeUsage;
        // Every token becomes one chunk with its text (and logprob when asked).
        TokenCallback onToken = [state, id, created, model, logprobs](int64_t tokenId, const std::string& text, float logprob) {
            json choice = {{"delta", {{"content", text}}}, {"finish_reason", nullptr}};
            if (logprobs && tokenId >= 0)
                choice["logprobs"] = {{"content", json::array({logprobEntry(text, logprob)})}};
            std::lock_guard lock(state->mutex);
            state->events.push_back(sseEvent(chatCompletionChunk(id, created, model, choice)));
            state->ready.notify_one();
        };
        auto future = std::make_shared<std::future<Result<GenerationResult>>>(
            EngineService::instance().submit(m_options.engine, std::move(request.generation), onToken, &state->stop));
        res.set_chunked_content_provider(
            "text/event-stream",
            [this, state, future, id, created, model, includeUsage](size_t, httplib::DataSink& sink) {
                const auto write = [&](const std::string& data) {
                    if (!state->stop && !sink.write(data.data(), data.size()))
                        state->stop = true; // the client went away: stop the generation at its next check
                };
                write(sseEvent(chatCompletionChunk(id, created, model, {{"delta", {{"role", "assistant"}, {"content", ""}}}, {"finish_reason", nullptr}})));
                while (true) {
                    std::deque<std::string> events;
                    bool finished = false;
                    {
                        std::unique_lock lock(state->mutex);
                        state->ready.wait_for(lock, std::chrono::seconds(1), [&] { return !state->events.empty(); });
                        events.swap(state->events);
                        finished = events.empty() && future->wait_for(std::chrono::seconds(0)) == std::future_status::ready;
                    }
                    for (const std::string& e : events)
                        write(e);
                    if (finished)
                        break;
                    if (events.empty())
                        write(": keep-alive\n\n"); // an SSE comment; also how a vanished client is noticed while queued
                }
                m_inFlight.fetch_sub(1);
                const Result<GenerationResult> result = future->get();
                if (!result) {
                    write(sseEvent(errorJson(500, result.error())));
                } else if (result->stopReason != StopReason::Cancelled) {
                    json last = chatCompletionChunk(id, created, model, {{"delta", json::object()}, {"finish_reason", finishReason(result->stopReason)}});
                    last["folio_image_sizes"] = imageSizesJson(*result);
                    write(sseEvent(last));
                    if (includeUsage) {
                        json usage = chatCompletionChunk(id, created, model, nullptr);
                        usage["usage"] = usageJson(*result);
                        write(sseEvent(usage));
                    }
                }
                write("data: [DONE]\n\n");
                if (!state->stop)
                    sink.done();
                return !state->stop.load();
            });
    }

    const Options& m_options;
    const std::string m_key;
    const int64_t m_started = static_cast<int64_t>(std::time(nullptr));
    std::atomic<int> m_inFlight{0};
    std::atomic<int64_t> m_counter{0};
};

} // namespace

int runServeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    Options o;
    if (const std::string usage = parseArgs(args, o); !usage.empty()) {
        err << "serve: " << usage << "\n\n" << kUsage;
        return 2;
    }
    if (o.help) {
        out << kUsage;
        return 0;
    }
    std::string key;
    if (!o.keyVariable.empty()) {
        const char* value = std::getenv(o.keyVariable.c_str());
        if (!value || !*value) {
            err << "serve: --api-key-env " << o.keyVariable << ": the variable is not set or empty\n";
            return 2;
        }
        key = value;
    }
    if (o.modelName.empty())
        o.modelName = std::filesystem::absolute(o.engine.modelDir).lexically_normal().filename().string();
    if (o.modelName.empty())
        o.modelName = std::filesystem::absolute(o.engine.modelDir).lexically_normal().parent_path().filename().string();

    err << "serve: loading " << o.engine.modelDir << " ...\n";
    auto loaded = EngineService::instance().load(o.engine, nullptr);
    if (!loaded) {
        err << "serve: " << loaded.error() << "\n";
        return 1;
    }
    err << engineInfoText(*loaded);
    if (!isLoopback(o.host))
        err << "serve: WARNING: listening on " << o.host << " makes the model reachable from other machines"
            << (key.empty() ? ", without an API key (set --api-key-env)" : "") << "\n";

    httplib::Server http;
    // Enough HTTP threads for every request the queue admits, plus a few to answer 503/health.
    const auto threads = static_cast<std::size_t>(o.maxQueue) + 4;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_payload_max_length(static_cast<std::size_t>(o.maxBodyMb) * 1024 * 1024);
    http.set_read_timeout(60);
    http.set_write_timeout(60);
    Server server(o, key);
    server.install(http);
    int port = o.port;
    if (port == 0)
        port = http.bind_to_any_port(o.host);
    else if (!http.bind_to_port(o.host, port))
        port = -1;
    if (port < 0) {
        err << "serve: cannot listen on " << o.host << ":" << o.port << " (in use, or not an address of this machine)\n";
        return 1;
    }
    const std::string shownHost = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
    out << "serve: model " << o.modelName << "; listening on http://" << shownHost << ":" << port << "/v1" << std::endl;

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // A signal handler may only set a flag; this thread turns it into a clean stop.
    std::thread watcher([&] {
        while (!g_signalled)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        http.stop();
    });
    const bool ok = http.listen_after_bind();
    g_signalled = true;
    watcher.join();
    err << "serve: stopped\n";
    return ok ? 0 : 1;
}

} // namespace folio::inference
