#pragma once
// The public face of the inference layer: load a Qwen2.5-VL model folder once, then answer
// requests (images + prompt -> streamed text). Std types only, so Qt code and the CLI can use it
// without libtorch headers.
//
// A request runs the whole pipeline: chat template (default system prompt unless one is given;
// one user turn holding the images in order, then the prompt text), image preprocessing,
// placeholder expansion, tokenisation, M-RoPE positions, vision encoder, prefill and decode.
// Sampling defaults come from the folder's generation_config.json, as in HF generate();
// fields of the request override them.
//
// Threads: an Engine is owned and driven by one thread at a time (the worker that calls
// generate(); in the app that is EngineService's worker); libtorch's intra-op pool does the
// parallel work. `stop` may be set from any thread and is checked before every vision block,
// every prefill layer and every decode step (one token, or a verified draft). The callbacks run on the generating thread.

#include "inference/image.h"
#include "inference/layerhook.h"
#include "inference/quantscheme.h"
#include "inference/result.h"
#include "inference/stopreason.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::inference {

struct EngineOptions {
    std::string modelDir;
    std::string device = "cpu"; // "cpu" or "cuda" (or "cuda:N")
    // Compute dtype: "bf16", "f32" or "auto" (resolvedDtype: bf16 on CUDA and on CPUs with fast
    // bf16 matrix products, AVX512-BF16 or AMX, f32 elsewhere).
    std::string dtype = "auto";
    // The decoder's linear layers (and the embedding / lm_head) packed at load time. None keeps
    // the checkpoint's weights as they are (the exact path the parity tests run); the CLI and the
    // app default to Int8.
    QuantScheme quant = QuantScheme::None;
    int threads = 0; // intra-op threads; 0 = every core
    // Where packed weights are cached (packcache.h); empty: defaultPackCacheDir().
    std::string packCacheDir;
};

// The dtype `options.dtype` stands for on this machine: "auto" resolved, anything else as given.
std::string resolvedDtype(const EngineOptions& options);

// What a load produced, for reports (generate, serve, the app's model info).
struct EngineInfo {
    std::string dtype;        // the compute dtype in use: "bf16" or "f32"
    std::string dtypeChoice;  // how it was chosen, e.g. "auto: AVX512-BF16 present" or "requested"
    QuantScheme quant = QuantScheme::None;
    std::string kernelPath;   // the CPU kernel path (kernels::kernelPathDescription())
    int64_t weightBytes = 0;  // every parameter as held in memory (packed where packed)
    int64_t decodeBytesPerToken = 0; // weight bytes one decode step reads
    std::string packCache;    // what the pack cache did: "hit …", "written …", "not used: …"; empty for none
    double loadMs = 0.0;
};

// Lines for stderr: the compute dtype and how it was chosen, the weights' size and format, the
// kernel path and what the pack cache did.
std::string engineInfoText(const EngineInfo& info);

// Unset fields take generation_config.json's value (or HF's default when the file is silent).
struct SamplingOverrides {
    std::optional<bool> doSample;
    std::optional<double> temperature;
    std::optional<int> topK;
    std::optional<double> topP;
    std::optional<double> repetitionPenalty;
    std::optional<uint64_t> seed;
};

// Speculative decoding with n-gram drafts (Generator): Auto drafts under greedy decoding and
// not under sampling; Off never drafts. The greedy text is the same either way.
enum class DraftMode { Auto, Off };

struct GenerationRequest {
    std::vector<Image> images;               // in prompt order
    std::optional<std::string> systemPrompt; // default: the template's "You are a helpful assistant."
    std::string prompt;                      // UTF-8 user text, after the images
    std::optional<int64_t> minPixels;        // default: preprocessor_config.json
    std::optional<int64_t> maxPixels;
    int64_t maxNewTokens = 512;
    SamplingOverrides sampling;
    LayerCallback onLayer; // optional: hears of every finished vision block and prefill layer
    DraftMode draft = DraftMode::Auto;
    // Text the answer is likely to copy, e.g. the page's words (PDF text layer or OCR) in
    // reading order; tokenised once per request and used as a draft source. May be empty.
    std::string draftHint;
};

struct GenerationTimings {
    double preprocessMs = 0.0;      // template, image resize/normalise, tokenise, positions
    double visionMs = 0.0;          // vision encoder
    double prefillMs = 0.0;         // decoder over the prompt, up to the first token's logits
    double decodeMs = 0.0;          // every later token
    double decodeMsPerToken = 0.0;  // decodeMs / (generated tokens − 1)
    double totalMs = 0.0;
};

// How the decode steps went: with drafts a step verifies several tokens at once.
struct DecodeStats {
    bool drafting = false;           // drafts were used (DraftMode::Auto under greedy decoding)
    int64_t steps = 0;               // forward passes after the prefill
    int64_t draftedTokens = 0;       // draft tokens verified in those passes
    int64_t acceptedDraftTokens = 0; // of which the model agreed with
    double tokensPerStep = 0.0;      // tokens after the first per step (1 without drafts)
};

struct ImageSize {
    int width = 0;
    int height = 0;
};

struct GenerationResult {
    std::vector<int64_t> inputIds;
    std::vector<int64_t> generatedIds;             // including the stop token, if any
    std::vector<float> logprobs;                   // per generated id: log p under the model
    std::string text;                              // generatedIds decoded, special tokens left out
    std::vector<std::array<int64_t, 3>> imageGrids; // (t, h, w) per image, in 14-px patches
    // The size each image was resized to; the model's pixel coordinates refer to it.
    std::vector<ImageSize> resizedSizes;
    // Cancelled with no generated ids when the stop flag was seen in the vision pass or prefill.
    StopReason stopReason = StopReason::MaxTokens;
    GenerationTimings timings;
    DecodeStats decode;
};

// Receives each generated token's id, the text it completes (possibly empty: a character
// can span tokens; special tokens give no text) and its log-probability under the model's
// own distribution. If bytes of an unfinished character remain at the end, one last call with
// id −1 (logprob 0) delivers them (as U+FFFD).
using TokenCallback = std::function<void(int64_t tokenId, const std::string& text, float logprob)>;

class Engine {
public:
    // Reads config.json, generation_config.json, preprocessor_config.json, tokenizer.json and
    // the safetensors weights of `options.modelDir`. Errors name the file and what is wrong.
    // `stop` (any thread) is checked between the files and the weight tensors; a stopped load
    // returns an error saying so.
    static Result<std::unique_ptr<Engine>> load(const EngineOptions& options, const std::atomic<bool>* stop = nullptr);
    ~Engine();

    const EngineInfo& info() const;

    Result<GenerationResult> generate(const GenerationRequest& request, const TokenCallback& onToken,
                                      const std::atomic<bool>* stop);

private:
    struct Impl;
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace folio::inference
