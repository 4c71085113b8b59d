#pragma once

#include "extract/engine.h"

#include <memory>

namespace folio::inference {
struct EngineOptions;
}

namespace folio::extract {

struct LocalEngineOptions {
    QString modelDir;
    QString device = QStringLiteral("cpu"); // "cpu" or "cuda"
    QString dtype = QStringLiteral("bf16"); // "bf16" or "f32"
    int threads = 0;                        // 0: every core
};

// Qwen2.5-VL running in this process through inference/'s EngineService (the one adapter
// between extract/ and inference/): the model is loaded once per configuration and shared with
// every other LocalEngine of the process; requests queue on the service's worker. load() waits
// for the model (seconds to minutes for real weights): call it off the GUI thread.
class LocalEngine final : public Engine {
public:
    // `cancel` (any thread) stops a load in progress.
    static Result<std::unique_ptr<LocalEngine>> load(const LocalEngineOptions& options,
                                                     const std::atomic<bool>* cancel = nullptr);
    ~LocalEngine() override;

    // "<model folder name> (<dtype>, <device>)", e.g. "Qwen2.5-VL-7B-Instruct (bf16, cpu)".
    QString modelId() const override { return m_modelId; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

private:
    LocalEngine(std::unique_ptr<inference::EngineOptions> options, QString modelId);

    std::unique_ptr<inference::EngineOptions> m_options;
    QString m_modelId;
};

} // namespace folio::extract
