#include "inference/cli/benchcommand.h"

#include "inference/cli/benchlinearcommand.h"
#include "inference/cli/engineargs.h"
#include "inference/config.h"
#include "inference/drafter.h"
#include "inference/generator.h"
#include "inference/image.h"
#include "inference/imageprocessor.h"
#include "inference/kernels/bandwidth.h"
#include "inference/kernels/isa.h"
#include "inference/kvcache.h"
#include "inference/ropeindex.h"
#include "inference/textmodel.h"
#include "inference/visionencoder.h"
#include "inference/weights.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <sstream>
#include <chrono>
#include <fstream>
#include <ostream>
#include <thread>

namespace folio::inference {

namespace {

const char* kUsage = R"(Usage: bench generate --config 3b|7b --random-weights [options]
       bench linear [options]   (one linear layer per weight format: bench linear --help)

Times vision, prefill and decode of the full-size Qwen2.5-VL architecture with random bf16
weights (packed as a load packs them) on a 150-DPI US-letter page (1240 visual tokens).

  --config 3b|7b       architecture (released Qwen2.5-VL-3B/7B-Instruct dimensions)
  --random-weights     required: no model files are read
  --device cpu|cuda    default cpu
  --new-tokens N       tokens to generate, stop tokens ignored (default 128)
  --threads N          intra-op threads (default: every core)
  --quant none|int8|int4
                       decoder weights as --quant of generate packs them (default int8)
  --dtype auto|bf16|f32
                       compute dtype (default auto: bf16 with AVX512-BF16 or AMX, or on CUDA)
  --verify-tokens LIST time decode steps over k tokens at once (e.g. 1,2,4,8,16) after the
                       page's prefill, relative to a one-token step: the cost of verifying a
                       draft of k − 1 tokens, and the acceptance it needs to break even
  --costs-out FILE     with --verify-tokens: write the relative costs as JSON (for bench draft)
  --repeats N          timed repetitions per k (default 5; the median is reported)
  --draft auto|off     speculative decoding during the timed generation (default off: random
                       weights make acceptance meaningless; `folio bench draft` estimates it
                       on recorded answers)
)";

// The released config.json files (original layout, spec 1.1–1.3), parsed by the same loader
// as real model folders.
const char* k3b = R"({"model_type": "qwen2_5_vl", "vocab_size": 151936, "hidden_size": 2048,
 "intermediate_size": 11008, "num_hidden_layers": 36, "num_attention_heads": 16, "num_key_value_heads": 2,
 "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
 "tie_word_embeddings": true, "torch_dtype": "bfloat16", "bos_token_id": 151643, "eos_token_id": 151645,
 "vision_start_token_id": 151652, "vision_end_token_id": 151653, "vision_token_id": 151654,
 "image_token_id": 151655, "video_token_id": 151656,
 "vision_config": {"depth": 32, "hidden_size": 1280, "num_heads": 16, "intermediate_size": 3420,
  "out_hidden_size": 2048, "in_chans": 3, "patch_size": 14, "spatial_patch_size": 14, "temporal_patch_size": 2,
  "spatial_merge_size": 2, "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31], "tokens_per_second": 2}})";
const char* k7b = R"({"model_type": "qwen2_5_vl", "vocab_size": 152064, "hidden_size": 3584,
 "intermediate_size": 18944, "num_hidden_layers": 28, "num_attention_heads": 28, "num_key_value_heads": 4,
 "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
 "tie_word_embeddings": false, "torch_dtype": "bfloat16", "bos_token_id": 151643, "eos_token_id": 151645,
 "vision_start_token_id": 151652, "vision_end_token_id": 151653, "vision_token_id": 151654,
 "image_token_id": 151655, "video_token_id": 151656,
 "vision_config": {"depth": 32, "hidden_size": 1280, "num_heads": 16, "intermediate_size": 3420,
  "out_hidden_size": 3584, "in_chans": 3, "patch_size": 14, "spatial_patch_size": 14, "temporal_patch_size": 2,
  "spatial_merge_size": 2, "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31], "tokens_per_second": 2}})";

constexpr int kPageWidth = 1275; // 8.5 in × 150 DPI
constexpr int kPageHeight = 1650; // 11 in × 150 DPI
constexpr int64_t kPageMaxPixels = 1280 * 28 * 28;
constexpr int64_t kExpectedPageTokens = 1240;

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// A white page with dark text-like bars, so the resize sees edges like a real scan.
Image syntheticPage()
{
    Image page;
    page.width = kPageWidth;
    page.height = kPageHeight;
    page.rgb.assign(static_cast<std::size_t>(kPageWidth) * kPageHeight * 3, 255);
    for (int y = 150; y < kPageHeight - 150; y += 28)
        for (int dy = 0; dy < 12; ++dy)
            for (int x = 120; x < kPageWidth - 120 - (y * 7) % 300; ++x)
                if ((x / 9) % 7 != 6)
                    for (int c = 0; c < 3; ++c)
                        page.rgb[(static_cast<std::size_t>(y + dy) * kPageWidth + x) * 3 + c] = 30;
    return page;
}

// Peak resident set size in MiB (VmHWM), or -1 when /proc is unavailable.
double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // kB
    return -1.0;
}

// Copy bandwidth in bytes/s (bytes copied per second, best of 5 passes over 1 GiB).
double copyBandwidth(const at::Device& device)
{
    const int64_t bytes = int64_t(1) << 30;
    const at::Tensor src = at::ones({bytes}, at::TensorOptions().dtype(at::kByte).device(device));
    at::Tensor dst = at::empty_like(src);
    double best = 1e300;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        dst.copy_(src);
        if (device.is_cuda())
            dst.sum().item<int64_t>();
        best = std::min(best, msSince(t0));
    }
    return static_cast<double>(bytes) / (best / 1000.0);
}

// The per-token acceptance a at which a step over k tokens (k − 1 drafted) yields as many
// tokens per unit of time as one-token steps: (1 − a^k) / (1 − a) = cost. Bisection.
double breakEvenAcceptance(int64_t k, double cost)
{
    if (cost <= 1.0)
        return 0.0;
    if (cost >= static_cast<double>(k))
        return 1.0; // not reachable: even a draft that is always right does not pay
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 60; ++i) {
        const double a = (lo + hi) / 2;
        const double tokens = (1.0 - std::pow(a, static_cast<double>(k))) / (1.0 - a);
        (tokens < cost ? lo : hi) = a;
    }
    return (lo + hi) / 2;
}

// Median time of a decode step over each k tokens (logits of every row included, as the
// generator computes them), after a prefill of the prompt; the cache is rolled back after
// every step, so each k sees the same cache length. The first k must be 1.
std::vector<double> verificationStepMs(const TextModel& text, const at::Tensor& embeds, const at::Tensor& positions,
                                       int64_t ropeDelta, const std::vector<int64_t>& ks, int repeats,
                                       const at::Device& device)
{
    const int64_t promptLen = embeds.size(0);
    const int64_t maxK = *std::max_element(ks.begin(), ks.end());
    KvCache cache = text.makeCache(promptLen + maxK);
    text.forward(embeds, positions, cache);
    const at::TensorOptions longs = at::TensorOptions().dtype(at::kLong).device(device);
    std::vector<double> medians;
    for (int64_t k : ks) {
        const at::Tensor ids = at::arange(1000, 1000 + k, longs);
        const at::Tensor pos = (at::arange(k, longs) + (promptLen + ropeDelta)).unsqueeze(0).expand({3, k});
        std::vector<double> times;
        for (int r = 0; r <= repeats; ++r) { // the first run warms up this width
            const auto t0 = std::chrono::steady_clock::now();
            text.logits(text.forward(text.embed(ids), pos, cache)).to(at::kCPU);
            const double ms = msSince(t0);
            cache.truncate(promptLen);
            if (r > 0)
                times.push_back(ms);
        }
        std::sort(times.begin(), times.end());
        medians.push_back(times[times.size() / 2]);
    }
    return medians;
}

template <typename T>
bool parseInt(const std::string& text, T& out)
{
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

} // namespace

int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? err : out) << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "linear")
        return runBenchLinearCommand({ args.begin() + 1, args.end() }, out, err);
    if (args[0] != "generate") {
        err << "bench: unknown benchmark '" << args[0] << "'\n\n" << kUsage;
        return 2;
    }
    std::string configName, deviceName = "cpu";
    bool randomWeights = false;
    int64_t newTokens = 128;
    int threads = 0;
    std::vector<int64_t> verifyTokens;
    std::string costsOut;
    int repeats = 5;
    bool draft = false;
    EngineOptions engine = cliEngineDefaults(); // --quant and --dtype
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool hasValue = i + 1 < args.size();
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--random-weights") {
            randomWeights = true;
        } else if (a == "--config" && hasValue) {
            configName = args[++i];
        } else if (a == "--device" && hasValue) {
            deviceName = args[++i];
        } else if (a == "--quant" || a == "--dtype") {
            std::string error;
            applyEngineArg(a, hasValue ? &args[i + 1] : nullptr, engine, error);
            if (!error.empty()) {
                err << "bench: " << error << "\n";
                return 2;
            }
            ++i;
        } else if (a == "--new-tokens" && hasValue) {
            if (!parseInt(args[++i], newTokens) || newTokens <= 0) {
                err << "bench: --new-tokens needs a positive number\n";
                return 2;
            }
        } else if (a == "--verify-tokens" && hasValue) {
            std::stringstream list(args[++i]);
            std::string item;
            while (std::getline(list, item, ',')) {
                int64_t k = 0;
                if (!parseInt(item, k) || k <= 0 || k > 64) {
                    err << "bench: --verify-tokens needs a comma-separated list of numbers from 1 to 64\n";
                    return 2;
                }
                verifyTokens.push_back(k);
            }
        } else if (a == "--draft" && hasValue) {
            const std::string& mode = args[++i];
            if (mode != "auto" && mode != "off") {
                err << "bench: --draft needs auto or off\n";
                return 2;
            }
            draft = mode == "auto";
        } else if (a == "--costs-out" && hasValue) {
            costsOut = args[++i];
        } else if (a == "--repeats" && hasValue) {
            if (!parseInt(args[++i], repeats) || repeats <= 0) {
                err << "bench: --repeats needs a positive number\n";
                return 2;
            }
        } else if (a == "--threads" && hasValue) {
            if (!parseInt(args[++i], threads) || threads <= 0) {
                err << "bench: --threads needs a positive number\n";
                return 2;
            }
        } else {
            err << "bench: unknown option or missing value '" << a << "'\n\n" << kUsage;
            return 2;
        }
    }
    if (configName != "3b" && configName != "7b") {
        err << "bench: --config must be 3b or 7b\n\n" << kUsage;
        return 2;
    }
    if (!verifyTokens.empty() && verifyTokens.front() != 1)
        verifyTokens.insert(verifyTokens.begin(), 1); // the baseline every cost is relative to
    if (!costsOut.empty() && verifyTokens.empty()) {
        err << "bench: --costs-out needs --verify-tokens\n";
        return 2;
    }
    if (!randomWeights) {
        err << "bench: only --random-weights is supported (the benchmark reads no model files)\n";
        return 2;
    }

    try {
        c10::InferenceMode guard;
        const at::Device device(deviceName);
        if (device.is_cuda() && !at::hasCUDA()) {
            err << "bench: this libtorch has no CUDA support or no GPU is visible\n";
            return 1;
        }
        at::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
        auto config = ModelConfig::parse(configName == "3b" ? k3b : k7b, "the built-in " + configName + " config");
        if (!config) {
            err << "bench: " << config.error() << "\n";
            return 1;
        }
        engine.device = deviceName;
        const std::string dtypeName = resolvedDtype(engine);
        const at::ScalarType dtype = dtypeName == "f32" ? at::kFloat : at::kBFloat16;
        out << "Qwen2.5-VL-" << (configName == "3b" ? "3B" : "7B") << " architecture, random " << dtypeName << " weights, device "
            << deviceName << ", " << at::get_num_threads() << " threads" << std::endl;
        out << "quant:                " << quantSchemeName(engine.quant) << " (decoder linear layers "
            << weightFormatName(packedFormat("model.layers.0.mlp.up_proj.weight", engine.quant))
            << ", embedding and lm_head " << weightFormatName(packedFormat("model.embed_tokens.weight", engine.quant))
            << "), compute dtype " << dtypeName << (engine.dtype == "auto" ? " (auto)" : "") << "\n"
            << "kernel path:          " << kernels::kernelPathDescription() << std::endl;

        auto t0 = std::chrono::steady_clock::now();
        const Weights weights = Weights::random(*config, dtype, device, /*seed=*/0, engine.quant);
        // What one decode step streams: decoder layers, final norm, lm_head, as held.
        const int64_t decodeBytes = weights.decodeBytesPerToken();
        out << "weights: " << weights.totalBytes() / 1e9 << " GB (" << msSince(t0) / 1000.0 << " s to fill)" << std::endl;
        const double loadRss = peakRssMiB();
        const VisionEncoder vision(config->vision, weights);
        const TextModel text(config->text, weights);

        ImageProcessorOptions imageOptions;
        imageOptions.maxPixels = kPageMaxPixels;
        t0 = std::chrono::steady_clock::now();
        auto page = processImage(syntheticPage(), imageOptions);
        if (!page) {
            err << "bench: " << page.error() << "\n";
            return 1;
        }
        const double preprocessMs = msSince(t0);
        const GridThw grid = {page->gridThw[0], page->gridThw[1], page->gridThw[2]};
        const int64_t pageTokens = grid[0] * grid[1] * grid[2] / 4;
        out << "page " << kPageWidth << "x" << kPageHeight << " -> " << page->resizedWidth << "x"
            << page->resizedHeight << ", " << pageTokens << " visual tokens (expected " << kExpectedPageTokens
            << (pageTokens == kExpectedPageTokens ? ", ok" : ", MISMATCH") << "), preprocess " << preprocessMs
            << " ms" << std::endl;

        // Prompt ids: the chat frame of the default system prompt and one user turn (ids of the
        // Qwen2.5 tokenizer), the page, and a few arbitrary text ids standing in for the question.
        const TokenIds& tok = config->tokens;
        std::vector<int64_t> ids = {151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872, 198};
        ids.push_back(tok.visionStart);
        ids.insert(ids.end(), static_cast<std::size_t>(pageTokens), tok.image);
        ids.push_back(tok.visionEnd);
        for (int64_t i = 0; i < 12; ++i)
            ids.push_back(1000 + 37 * i);
        ids.insert(ids.end(), {151645, 198, 151644, 77091, 198});

        { // warm-up (kernel selection, first-touch allocations) on a 4×4-patch image and 8 tokens
            vision.forward(page->pixelValues.narrow(0, 0, 16), {GridThw{1, 4, 4}});
            KvCache cache = text.makeCache(8);
            text.forward(text.embed(at::arange(8, at::kLong)), at::arange(8, at::kLong).expand({3, 8}), cache);
        }

        // Step costs do not depend on what the page rows hold: --verify-tokens skips the encoder
        // and keeps the pad tokens' embeddings.
        t0 = std::chrono::steady_clock::now();
        const at::Tensor imageEmbeds = verifyTokens.empty()
            ? vision.forward(page->pixelValues, {grid})
            : text.embed(at::full({pageTokens}, tok.image, at::kLong));
        if (device.is_cuda())
            imageEmbeds.sum().item<double>();
        const double visionMs = msSince(t0);

        auto rope = computeRopeIndex(ids, {grid}, {}, {}, ropeIndexParams(*config));
        if (!rope) {
            err << "bench: " << rope.error() << "\n";
            return 1;
        }
        auto embeds = mergeVisionEmbeddings(text.embed(at::tensor(ids, at::kLong)), ids, tok.image, imageEmbeds, "image");
        if (!embeds) {
            err << "bench: " << embeds.error() << "\n";
            return 1;
        }
        // The weights' format, as bench draft labels cost tables: the dtype when unquantized.
        const std::string formatLabel = engine.quant == QuantScheme::None ? dtypeName : quantSchemeName(engine.quant);
        if (!verifyTokens.empty()) {
            const std::vector<double> ms
                = verificationStepMs(text, *embeds, rope->positionIds, rope->ropeDelta, verifyTokens, repeats, device);
            out << "verification steps after the " << ids.size() << "-token page prompt (" << formatLabel << ", median of " << repeats
                << "):\n"
                << "   k   ms/step  cost vs k=1  break-even acceptance per draft token\n";
            nlohmann::json costs = nlohmann::json::object();
            for (std::size_t i = 0; i < verifyTokens.size(); ++i) {
                const int64_t k = verifyTokens[i];
                const double cost = ms[i] / ms[0];
                char line[160];
                std::snprintf(line, sizeof line, "%4lld %9.1f %12.3f %14.3f\n", static_cast<long long>(k), ms[i], cost,
                              breakEvenAcceptance(k, cost));
                out << line;
                costs[std::to_string(k)] = cost;
            }
            out << "(a step over k tokens verifies k − 1 drafted tokens; it pays when the tokens it yields, on average,\n"
                   " exceed its cost relative to k = 1)"
                << std::endl;
            if (!costsOut.empty()) {
                std::ofstream file(costsOut);
                file << nlohmann::json{{"format", formatLabel}, {"config", configName}, {"threads", at::get_num_threads()},
                                       {"step_ms", ms}, {"k", verifyTokens}, {"relative_cost", costs}}
                            .dump(1)
                     << "\n";
                if (!file) {
                    err << "bench: cannot write " << costsOut << "\n";
                    return 1;
                }
                out << "costs written to " << costsOut << std::endl;
            }
            return 0;
        }

        GeneratorSettings settings; // greedy, no penalty, no stop ids: exactly newTokens tokens
        settings.maxNewTokens = newTokens;
        const std::unique_ptr<Drafter> drafter
            = draft ? Drafter::standard({}, DraftLengthPolicy(defaultDraftStepCost())) : nullptr;
        settings.drafts = drafter.get();
        const GeneratorOutput gen
            = Generator(text).run(ids, *embeds, rope->positionIds, rope->ropeDelta, settings, {}, nullptr);
        const double decodePerToken
            = gen.generatedIds.size() > 1 ? gen.decodeMs / static_cast<double>(gen.generatedIds.size() - 1) : 0.0;

        // Before the bandwidth passes below, whose buffers (1.5 GiB) are the bench's, not the model's.
        const double runRss = peakRssMiB();
        const double bandwidth = copyBandwidth(device);
        const double floorMs = static_cast<double>(decodeBytes) / bandwidth * 1000.0;
        // A decode step only reads its weights: a read-only pass is its tighter floor (CPU only).
        const double readBandwidth = device.is_cpu() ? kernels::measureCopyBandwidth() * 1e9 : 0.0;
        const double readFloorMs = readBandwidth > 0 ? static_cast<double>(decodeBytes) / readBandwidth * 1000.0 : 0.0;
        out << "prompt tokens:        " << ids.size() << "\n"
            << "vision:               " << visionMs << " ms\n"
            << "prefill:              " << gen.prefillMs << " ms\n"
            << "vision + prefill:     " << (visionMs + gen.prefillMs) / 1000.0 << " s\n"
            << "decode:               " << decodePerToken << " ms/token over " << gen.generatedIds.size()
            << " tokens\n"
            << "decode steps:         " << gen.decodeSteps << " (" << (draft ? "drafts on" : "drafts off") << ", "
            << gen.tokensPerStep() << " tokens per step, " << gen.acceptedDraftTokens << " of " << gen.draftedTokens
            << " draft tokens accepted)\n"
            << "peak RSS:             " << runRss / 1024.0 << " GiB (load, vision, prefill and decode)\n"
            << "peak RSS by load end: " << loadRss / 1024.0 << " GiB (weights as held " << weights.totalBytes() / 1e9
            << " GB; the rest: packing transients and the runtime)\n"
            << "copy bandwidth:       " << bandwidth / 1e9 << " GB/s\n"
            << "decode weight bytes:  " << decodeBytes / 1e9 << " GB\n"
            << "bandwidth floor:      " << floorMs << " ms/token (decode at " << 100.0 * floorMs / decodePerToken
            << " % of the floor's speed)\n";
        if (readBandwidth > 0)
            out << "read bandwidth:       " << readBandwidth / 1e9 << " GB/s (read-only pass, every thread)\n"
                << "read floor:           " << readFloorMs << " ms/token (decode at " << 100.0 * readFloorMs / decodePerToken
                << " % of the read floor's speed)\n";
        return 0;
    } catch (const std::exception& e) {
        err << "bench: " << e.what() << "\n";
        return 1;
    }
}

} // namespace folio::inference
