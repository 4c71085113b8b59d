#pragma once
// The one place a process keeps a loaded Qwen2.5-VL model. The GUI's jobs, the CLI commands
// and `serve` submit requests here instead of loading engines of their own, so a second
// extraction never loads a second copy of the weights.
//
// One worker thread owns the loaded Engine and runs the queued requests in order (FIFO). A
// request names its configuration (EngineOptions); the model of that configuration is loaded on
// first use and kept. A request for another configuration unloads the current model first:
// two models of several GiB each must not share a desktop's memory.
//
// Cancel: each request's stop flag is checked while it waits in the queue, while its model
// loads (between files and weight tensors), before every vision block, every prefill layer and
// every generated token. A request stopped in the queue or during loading returns an error
// saying it was cancelled; one stopped later returns its partial result with
// StopReason::Cancelled.
//
// Threads: every public call may be made from any thread. Callbacks run on the worker thread.
// The caller keeps the stop flag and whatever the callbacks capture alive until the request's
// future is ready.

#include "inference/engine.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <tuple>

namespace folio::inference {

// The fields of EngineOptions that shape a loaded model: two requests share it iff these are
// equal. A new option that changes the loaded weights joins the key here, and only here.
// packCacheDir is not part of it: it says where packed weights are kept, not what they are.
// The service compares options after resolving "auto" dtypes, so auto and the dtype it stands
// for share a model.
inline auto engineOptionsKey(const EngineOptions& o)
{
    return std::tie(o.modelDir, o.device, o.dtype, o.quant, o.threads);
}

inline bool sameConfiguration(const EngineOptions& a, const EngineOptions& b)
{
    return engineOptionsKey(a) == engineOptionsKey(b);
}

class EngineService {
public:
    EngineService();
    // Requests still queued fail with "shutting down"; the running one is stopped at its next
    // check; then the worker is joined.
    ~EngineService();
    EngineService(const EngineService&) = delete;
    EngineService& operator=(const EngineService&) = delete;

    // The process-wide service, created on first use.
    static EngineService& instance();

    // Queues a generation. The model folder is made absolute and the dtype resolved
    // (resolvedDtype) before the configuration is compared.
    std::future<Result<GenerationResult>> submit(EngineOptions options, GenerationRequest request,
                                                 TokenCallback onToken, const std::atomic<bool>* stop);

    // submit() and wait.
    Result<GenerationResult> generate(const EngineOptions& options, const GenerationRequest& request,
                                      const TokenCallback& onToken, const std::atomic<bool>* stop);

    // Queues loading the model of `options` (no generation) and waits: to report a missing or
    // broken model before any page is sent, and for `serve` to be ready before it listens.
    // Returns what was loaded (dtype chosen, quant, pack cache), for the caller to report.
    Result<EngineInfo> load(const EngineOptions& options, const std::atomic<bool>* stop);

    // How many times a model was loaded successfully since the service started.
    int loadCount() const { return m_loads.load(); }

private:
    struct Job {
        EngineOptions options;
        GenerationRequest request;
        TokenCallback onToken;
        const std::atomic<bool>* stop = nullptr;
        bool loadOnly = false;
        EngineInfo* info = nullptr; // loadOnly: filled on the worker before `done` is set
        std::promise<Result<GenerationResult>> done;
    };

    std::future<Result<GenerationResult>> enqueue(Job job);
    void work();
    Result<void> ensureLoaded(const EngineOptions& options, const std::atomic<bool>* stop);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_quit = false;
    std::atomic<bool> m_shutdown{false};
    std::atomic<int> m_loads{0};
    // Worker thread only.
    std::unique_ptr<Engine> m_engine;
    EngineOptions m_loaded; // dtype resolved
    std::thread m_worker; // last: starts once everything above exists
};

} // namespace folio::inference
