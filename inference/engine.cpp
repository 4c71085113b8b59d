#include "inference/engine.h"

#include "inference/chattemplate.h"
#include "inference/config.h"
#include "inference/drafter.h"
#include "inference/pagewordsdraft.h"
#include "inference/generator.h"
#include "inference/imageprocessor.h"
#include "inference/kernels/isa.h"
#include "inference/packcache.h"
#include "inference/ropeindex.h"
#include "inference/safetensors.h"
#include "inference/streamdecoder.h"
#include "inference/textmodel.h"
#include "inference/tokenizer.h"
#include "inference/visionencoder.h"
#include "inference/weights.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace folio::inference {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Result<at::ScalarType> parseDtype(const std::string& name)
{
    if (name == "bf16" || name == "bfloat16")
        return at::kBFloat16;
    if (name == "f32" || name == "float32")
        return at::kFloat;
    return makeError("Unknown dtype '" + name + "': use auto, bf16 or f32.");
}

Result<at::Device> parseDevice(const std::string& name)
{
    try {
        const at::Device device(name);
        if (device.is_cuda() && !at::hasCUDA())
            return makeError("Device '" + name + "' was requested, but this build of libtorch has no CUDA support "
                             + "or no GPU is visible; use --device cpu.");
        if (!device.is_cpu() && !device.is_cuda())
            return makeError("Unsupported device '" + name + "': use cpu or cuda.");
        return device;
    } catch (const std::exception&) {
        return makeError("Unknown device '" + name + "': use cpu or cuda.");
    }
}

// How "auto" was resolved, for EngineInfo.
std::string dtypeChoice(const EngineOptions& options)
{
    if (options.dtype != "auto")
        return "requested";
    if (options.device.rfind("cuda", 0) == 0)
        return "auto: bf16 on CUDA";
    return kernels::cpuHasFastBf16() ? "auto: this CPU has fast bf16 (AVX512-BF16 or AMX)"
                                     : "auto: no fast bf16 on this CPU (neither AVX512-BF16 nor AMX)";
}

} // namespace

std::string resolvedDtype(const EngineOptions& options)
{
    if (options.dtype != "auto")
        return options.dtype;
    if (options.device.rfind("cuda", 0) == 0)
        return "bf16";
    return kernels::cpuHasFastBf16() ? "bf16" : "f32";
}

std::string engineInfoText(const EngineInfo& info)
{
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "%.2f GB, loaded in %.1f s", static_cast<double>(info.weightBytes) / 1e9,
                  info.loadMs / 1000.0);
    std::string text = "dtype: " + info.dtype + " (" + info.dtypeChoice + ")\n" + "weights: quant "
        + quantSchemeName(info.quant) + ", " + numbers + ", kernels " + info.kernelPath + "\n";
    if (!info.packCache.empty())
        text += "pack cache: " + info.packCache + "\n";
    return text;
}

struct Engine::Impl {
    ModelConfig config;
    GenerationDefaults defaults;
    ImageProcessorOptions imageOptions;
    std::shared_ptr<const Tokenizer> tokenizer;
    std::unique_ptr<Weights> weights;
    std::unique_ptr<VisionEncoder> vision;
    std::unique_ptr<TextModel> text;
    EngineInfo info;

    Result<GenerationResult> generate(const GenerationRequest& request, const TokenCallback& onToken,
                                      const std::atomic<bool>* stop);
};

Engine::Engine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

Engine::~Engine() = default;

const EngineInfo& Engine::info() const
{
    return m_impl->info;
}

Result<std::unique_ptr<Engine>> Engine::load(const EngineOptions& options, const std::atomic<bool>* stop)
{
    namespace fs = std::filesystem;
    const auto started = std::chrono::steady_clock::now();
    const fs::path dir(options.modelDir);
    const std::string dtypeName = resolvedDtype(options);
    auto dtype = parseDtype(dtypeName);
    if (!dtype)
        return makeError(dtype.error());
    auto device = parseDevice(options.device);
    if (!device)
        return makeError(device.error());
    auto impl = std::make_unique<Impl>();
    auto config = ModelConfig::load((dir / "config.json").string());
    if (!config)
        return makeError(config.error());
    impl->config = *config;

    const fs::path generationPath = dir / "generation_config.json";
    if (fs::exists(generationPath)) {
        auto defaults = GenerationDefaults::load(generationPath.string());
        if (!defaults)
            return makeError(defaults.error());
        impl->defaults = *defaults;
    }
    if (impl->defaults.eosTokenIds.empty())
        impl->defaults.eosTokenIds = {impl->config.tokens.eos};

    auto imageOptions = loadImageProcessorOptions((dir / "preprocessor_config.json").string());
    if (!imageOptions)
        return makeError(imageOptions.error());
    impl->imageOptions = *imageOptions;

    auto tokenizer = Tokenizer::load((dir / "tokenizer.json").string());
    if (!tokenizer)
        return makeError(tokenizer.error());
    impl->tokenizer = *tokenizer;

    const std::string cancelled = "Loading " + options.modelDir + " was cancelled.";
    if (stop && stop->load())
        return makeError(cancelled);
    auto checkpoint = Checkpoint::open(options.modelDir);
    if (!checkpoint)
        return makeError(checkpoint.error());
    try {
        c10::InferenceMode guard;
        PackOptions pack;
        pack.quant = options.quant;
        pack.cacheDir = options.packCacheDir.empty() ? defaultPackCacheDir() : options.packCacheDir;
        pack.modelDir = options.modelDir;
        auto weights = Weights::load(*checkpoint, impl->config, *dtype, *device, stop, pack);
        if (stop && stop->load())
            return makeError(cancelled);
        if (!weights)
            return makeError("Cannot load the weights of " + options.modelDir + ": " + weights.error());
        impl->weights = std::make_unique<Weights>(std::move(*weights));
        impl->vision = std::make_unique<VisionEncoder>(impl->config.vision, *impl->weights);
        impl->text = std::make_unique<TextModel>(impl->config.text, *impl->weights);
    } catch (const std::exception& e) {
        return makeError("Cannot load the model in " + options.modelDir + ": " + e.what());
    }
    // Process-wide; set only once the model is in place.
    at::set_num_threads(options.threads > 0 ? options.threads
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    EngineInfo& info = impl->info;
    info.dtype = dtypeName;
    info.dtypeChoice = dtypeChoice(options);
    info.quant = options.quant;
    info.kernelPath = kernels::kernelPathDescription();
    info.weightBytes = impl->weights->totalBytes();
    info.decodeBytesPerToken = impl->weights->decodeBytesPerToken();
    info.packCache = impl->weights->packReport();
    info.loadMs = msSince(started);
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<GenerationResult> Engine::generate(const GenerationRequest& request, const TokenCallback& onToken,
                                          const std::atomic<bool>* stop)
{
    try {
        c10::InferenceMode guard;
        return m_impl->generate(request, onToken, stop);
    } catch (const Cancelled&) {
        // Seen at a vision block or prefill layer: no token was generated.
        GenerationResult cancelled;
        cancelled.stopReason = StopReason::Cancelled;
        return cancelled;
    } catch (const std::exception& e) {
        return makeError(std::string("Generation failed: ") + e.what());
    }
}

Result<GenerationResult> Engine::Impl::generate(const GenerationRequest& request, const TokenCallback& onToken,
                                                const std::atomic<bool>* stop)
{
    const auto started = std::chrono::steady_clock::now();
    GenerationResult result;

    // Sampling: generation_config.json defaults, then the request's overrides.
    SamplingParams sampling;
    sampling.doSample = request.sampling.doSample.value_or(defaults.doSample);
    sampling.temperature = static_cast<float>(request.sampling.temperature.value_or(defaults.temperature));
    sampling.topK = request.sampling.topK.value_or(static_cast<int>(defaults.topK));
    sampling.topP = static_cast<float>(request.sampling.topP.value_or(defaults.topP));
    sampling.repetitionPenalty
        = static_cast<float>(request.sampling.repetitionPenalty.value_or(defaults.repetitionPenalty));
    sampling.seed = request.sampling.seed.value_or(0);
    if (auto valid = Sampler::validate(sampling); !valid)
        return makeError(valid.error());
    if (request.maxNewTokens <= 0)
        return makeError("max_new_tokens must be positive.");

    // Preprocess: images, prompt, token ids, M-RoPE positions.
    auto t0 = std::chrono::steady_clock::now();
    ImageProcessorOptions options = imageOptions;
    if (request.minPixels)
        options.minPixels = *request.minPixels;
    if (request.maxPixels)
        options.maxPixels = *request.maxPixels;
    std::vector<at::Tensor> pixels;
    std::vector<GridThw> grids;
    std::vector<int64_t> tokensPerImage;
    const int64_t unit = config.vision.spatialMergeSize * config.vision.spatialMergeSize;
    for (std::size_t i = 0; i < request.images.size(); ++i) {
        auto input = processImage(request.images[i], options);
        if (!input)
            return makeError("Image " + std::to_string(i + 1) + ": " + input.error());
        const GridThw grid = {input->gridThw[0], input->gridThw[1], input->gridThw[2]};
        pixels.push_back(input->pixelValues);
        grids.push_back(grid);
        tokensPerImage.push_back(grid[0] * grid[1] * grid[2] / unit);
        result.imageGrids.push_back(grid);
        result.resizedSizes.push_back({static_cast<int>(input->resizedWidth), static_cast<int>(input->resizedHeight)});
    }

    std::vector<ChatMessage> messages;
    if (request.systemPrompt)
        messages.push_back({"system", {{ContentItem::Kind::Text, *request.systemPrompt}}});
    ChatMessage user{"user", {}};
    for (std::size_t i = 0; i < request.images.size(); ++i)
        user.content.push_back({ContentItem::Kind::Image, {}});
    user.content.push_back({ContentItem::Kind::Text, request.prompt});
    messages.push_back(std::move(user));
    auto prompt = expandVisionPads(renderChat(messages, /*addGenerationPrompt=*/true), tokensPerImage, {});
    if (!prompt)
        return makeError(prompt.error());
    for (int32_t id : tokenizer->encode(*prompt))
        result.inputIds.push_back(id);

    auto rope = computeRopeIndex(result.inputIds, grids, {}, {}, ropeIndexParams(config));
    if (!rope)
        return makeError(rope.error());
    result.timings.preprocessMs = msSince(t0);

    // Vision encoder, then the image rows scattered into the <|image_pad|> positions.
    t0 = std::chrono::steady_clock::now();
    const LayerHook hook{stop, &request.onLayer};
    const at::Tensor ids = at::tensor(result.inputIds, at::kLong);
    at::Tensor embeds = text->embed(ids);
    at::Tensor imageEmbeds;
    if (!pixels.empty()) {
        imageEmbeds = vision->forward(at::cat(pixels, 0), grids, nullptr, &hook);
        if (imageEmbeds.device().is_cuda())
            imageEmbeds.sum().item<double>(); // wait for the device so the timing is honest
    }
    auto merged = mergeVisionEmbeddings(embeds, result.inputIds, config.tokens.image, imageEmbeds, "image");
    if (!merged)
        return makeError(merged.error());
    result.timings.visionMs = msSince(t0);

    // Prefill and decode, streaming text.
    GeneratorSettings settings;
    settings.maxNewTokens = request.maxNewTokens;
    settings.stopIds = defaults.eosTokenIds;
    settings.sampling = sampling;
    settings.prefillHook = &hook;
    std::unique_ptr<Drafter> drafter;
    if (request.draft == DraftMode::Auto && !sampling.doSample) {
        drafter = Drafter::standard(PageWordsDraft::tokenize(*tokenizer, request.draftHint),
                                    DraftLengthPolicy(defaultDraftStepCost()));
        settings.drafts = drafter.get();
    }
    StreamDecoder stream(tokenizer, /*skipSpecialTokens=*/true);
    Generator::TokenCallback callback;
    if (onToken)
        callback = [&](int64_t id, float logprob) { onToken(id, stream.push(static_cast<int32_t>(id)), logprob); };
    const GeneratorOutput out
        = Generator(*text).run(result.inputIds, *merged, rope->positionIds, rope->ropeDelta, settings, callback, stop);
    if (onToken) {
        const std::string tail = stream.finish();
        if (!tail.empty())
            onToken(-1, tail, 0.0f);
    }

    result.generatedIds = out.generatedIds;
    result.logprobs = out.logprobs;
    result.text = tokenizer->decode(std::vector<int32_t>(out.generatedIds.begin(), out.generatedIds.end()),
                                    /*skipSpecialTokens=*/true);
    result.stopReason = out.stopReason;
    result.timings.prefillMs = out.prefillMs;
    result.timings.decodeMs = out.decodeMs;
    if (out.generatedIds.size() > 1)
        result.timings.decodeMsPerToken = out.decodeMs / static_cast<double>(out.generatedIds.size() - 1);
    result.decode.drafting = drafter != nullptr;
    result.decode.steps = out.decodeSteps;
    result.decode.draftedTokens = out.draftedTokens;
    result.decode.acceptedDraftTokens = out.acceptedDraftTokens;
    result.decode.tokensPerStep = out.tokensPerStep();
    result.timings.totalMs = msSince(started);
    return result;
}

} // namespace folio::inference
