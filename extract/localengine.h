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
    QString dtype = QStringLiteral("auto"); // "auto", "bf16" or "f32" (inference::resolvedDtype)
    int threads = 0;                        // 0: every core
    QString quant = QStringLiteral("int8"); // "none", "int8" or "int4": decoder weights packed at load
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

    // "<model folder name> (<dtype>[, <quant>], <device>)" with the dtype in use, e.g.
    // "Qwen2.5-VL-7B-Instruct (bf16, int8, cpu)"; an unquantized model names no quant, as before.
    QString modelId() const override { return m_modelId; }
    // What the load chose and did, e.g. "dtype: bf16 (auto: …)\nweights: 4.1 GB, quant int8, …".
    QString loadReport() const { return m_loadReport; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

private:
    LocalEngine(std::unique_ptr<inference::EngineOptions> options, QString modelId, QString loadReport);

    std::unique_ptr<inference::EngineOptions> m_options;
    QString m_modelId;
    QString m_loadReport;
};

} // namespace folio::extract
