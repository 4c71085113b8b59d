#pragma once

#include "extract/engine.h"

#include <memory>

namespace folio::inference {
class Engine;
}

namespace folio::extract {

struct LocalEngineOptions {
    QString modelDir;
    QString device = QStringLiteral("cpu"); // "cpu" or "cuda"
    QString dtype = QStringLiteral("bf16"); // "bf16" or "f32"
    int threads = 0;                        // 0: every core
};

// Qwen2.5-VL running in this process through inference/ (the one adapter between extract/ and
// inference/). Loading takes seconds to minutes for real weights; do it on a worker thread and
// keep the engine on that thread.
class LocalEngine final : public Engine {
public:
    static Result<std::unique_ptr<LocalEngine>> load(const LocalEngineOptions& options);
    ~LocalEngine() override;

    // "<model folder name> (<dtype>, <device>)", e.g. "Qwen2.5-VL-7B-Instruct (bf16, cpu)".
    QString modelId() const override { return m_modelId; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

private:
    LocalEngine(std::unique_ptr<inference::Engine> engine, QString modelId);

    std::unique_ptr<inference::Engine> m_engine;
    QString m_modelId;
};

} // namespace folio::extract
