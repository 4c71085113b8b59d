#pragma once

#include "extract/answertokens.h"
#include "inference/result.h"

#include <QImage>
#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace folio::extract {

// One page for the model: the page rendered as displayed (rotation applied), opaque RGB888.
struct EngineRequest {
    QImage image;
    int pageIndex = 0; // 0-based
    QString systemPrompt; // empty: the model's default system prompt
    QString prompt;
    int maxNewTokens = 1024;
    std::optional<double> temperature; // unset: the model's generation_config; retries raise it
    qint64 minPixels = 3136;
    qint64 maxPixels = 1280 * 28 * 28; // documents need detail but not 16k tokens a page
    // Speculative decoding: draft from the page's words, the prompt and the answer so far
    // (greedy decoding only; same text, fewer model steps). false: one token per step.
    bool draft = true;
    QString draftHint; // the page's words (text layer or OCR) in reading order; may be empty
};

struct EngineOutput {
    QString text;             // the raw model output, exactly as generated (or recorded)
    int resizedWidth = 0;     // the model's input frame: its boxes are pixels of this size
    int resizedHeight = 0;
    QString stopReason;       // "eos", "max_tokens", "stopped" (by the token callback), "replay"
    int generatedTokens = 0;
    // milliseconds: preprocess, vision, prefill, decode_per_token, total; and the decode
    // steps: new_tokens, decode_steps, tokens_per_step, drafted_tokens, accepted_draft_tokens,
    // drafting (whether drafts were used)
    QJsonObject timings;
    AnswerTokens tokens;      // per generated token: bytes of text and log-probability, where the engine knows them
    QJsonObject request;      // engine-specific request parameters, stored with the run (no image data)
};

// Called after every generated token with the count and the text so far; returning false stops
// the generation (the repetition guard uses this). Runs on the engine's thread.
using TokenProgress = std::function<bool(int tokens, const QString& textSoFar)>;

// Turns a page image and a prompt into model text. Implementations: LocalEngine (Qwen2.5-VL
// through inference/), RemoteEngine (an OpenAI-compatible server) and ReplayEngine (recorded
// outputs). run() may be called from up to concurrency() threads at once; `cancel` may be set
// from any thread and is checked at least once per token.
class Engine {
public:
    virtual ~Engine() = default;
    // Stored with every run: which model (or recording) produced the text.
    virtual QString modelId() const = 0;
    // Whether running the same request again (e.g. at a higher temperature) can give another
    // answer; a recording cannot, so retrying it would only repeat the failure.
    virtual bool canResample() const { return true; }
    // How many pages may be in flight at once; a server batches concurrent requests, an
    // in-process model runs one at a time.
    virtual int concurrency() const { return 1; }
    virtual Result<EngineOutput> run(const EngineRequest& request, const TokenProgress& progress,
                                     const std::atomic<bool>* cancel) = 0;
};

} // namespace folio::extract
