#pragma once

#include "extract/engine.h"

namespace folio::extract {

// Replays recorded raw model output instead of running a model: page N (1-based) reads
// DIR/N.txt. For tests, demos and reproducing a user's case; its runs are labelled
// "replay:<dir>" so they are never mistaken for a model's work. The model frame (the resized
// input size the recorded boxes refer to) is recomputed from the page image and the pixel
// budget exactly as the model's image processor does.
class ReplayEngine final : public Engine {
public:
    explicit ReplayEngine(QString directory);
    QString modelId() const override;
    bool canResample() const override { return false; }
    Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                             const std::atomic<bool>* cancel) override;

private:
    QString m_directory;
};

} // namespace folio::extract
