#include "inference/engineservice.h"

#include <filesystem>

namespace folio::inference {

namespace {

bool isSet(const std::atomic<bool>* flag)
{
    return flag && flag->load();
}

} // namespace

EngineService::EngineService() : m_worker([this] { work(); })
{
}

EngineService::~EngineService()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_shutdown = true;
    m_wake.notify_all();
    m_worker.join();
}

EngineService& EngineService::instance()
{
    static EngineService service;
    return service;
}

std::future<Result<GenerationResult>> EngineService::submit(EngineOptions options, GenerationRequest request,
                                                            TokenCallback onToken, const std::atomic<bool>* stop)
{
    Job job;
    job.options = std::move(options);
    job.request = std::move(request);
    job.onToken = std::move(onToken);
    job.stop = stop;
    return enqueue(std::move(job));
}

Result<GenerationResult> EngineService::generate(const EngineOptions& options, const GenerationRequest& request,
                                                 const TokenCallback& onToken, const std::atomic<bool>* stop)
{
    return submit(options, request, onToken, stop).get();
}

Result<EngineInfo> EngineService::load(const EngineOptions& options, const std::atomic<bool>* stop)
{
    EngineInfo info;
    Job job;
    job.options = options;
    job.stop = stop;
    job.loadOnly = true;
    job.info = &info;
    auto result = enqueue(std::move(job)).get();
    if (!result)
        return makeError(result.error());
    return info;
}

std::future<Result<GenerationResult>> EngineService::enqueue(Job job)
{
    std::error_code ignored;
    const std::filesystem::path absolute = std::filesystem::absolute(job.options.modelDir, ignored);
    if (!absolute.empty())
        job.options.modelDir = absolute.lexically_normal().string();
    std::future<Result<GenerationResult>> future = job.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_quit) {
            job.done.set_value(makeError("The engine service is shutting down."));
            return future;
        }
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return future;
}

Result<void> EngineService::ensureLoaded(const EngineOptions& options, const std::atomic<bool>* stop)
{
    // Compared with "auto" resolved; loaded as asked, so the engine reports how it chose.
    EngineOptions resolved = options;
    resolved.dtype = resolvedDtype(options);
    if (m_engine && sameConfiguration(m_loaded, resolved))
        return {};
    m_engine.reset(); // free the old weights before the new ones arrive
    auto engine = Engine::load(options, stop);
    if (!engine)
        return makeError(engine.error());
    m_engine = std::move(engine).value();
    m_loaded = resolved;
    ++m_loads;
    return {};
}

void EngineService::work()
{
    while (true) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || !m_queue.empty(); });
            if (m_quit) {
                for (Job& pending : m_queue)
                    pending.done.set_value(makeError("The engine service is shutting down."));
                m_queue.clear();
                return;
            }
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        // A request cancelled while it waited never touches the model.
        if (isSet(job.stop)) {
            job.done.set_value(makeError("cancelled"));
            continue;
        }
        // The shutdown flag stops the running request too; both flags are relayed into one.
        std::atomic<bool> stop{false};
        const auto relay = [&] { return isSet(job.stop) || m_shutdown.load(); };
        if (relay())
            stop = true;
        if (auto loaded = ensureLoaded(job.options, job.stop); !loaded) {
            job.done.set_value(makeError(isSet(job.stop) ? std::string("cancelled") : loaded.error()));
            continue;
        }
        if (job.loadOnly) {
            *job.info = m_engine->info();
            job.done.set_value(GenerationResult{});
            continue;
        }
        // Checks run on this thread at layer and token boundaries; copy the caller's flag in
        // at each one so a cancel from any thread is seen there.
        GenerationRequest request = std::move(job.request);
        LayerCallback userLayer = std::move(request.onLayer);
        request.onLayer = [&](Stage stage, int layer, int layers) {
            if (userLayer)
                userLayer(stage, layer, layers);
            if (relay())
                stop = true;
        };
        const TokenCallback onToken = [&](int64_t id, const std::string& text, float logprob) {
            if (job.onToken)
                job.onToken(id, text, logprob);
            if (relay())
                stop = true;
        };
        job.done.set_value(m_engine->generate(request, onToken, &stop));
    }
}

} // namespace folio::inference
