#include "inference/cli/generatecommand.h"

#include "inference/cli/engineargs.h"
#include "inference/engine.h"
#include "inference/engineservice.h"
#include "inference/imagefile.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <sstream>
#include <ostream>

namespace folio::inference {

namespace {

const std::string kUsage = std::string(R"(Usage: generate --model DIR [--image FILE]... --prompt TEXT [options]

Runs Qwen2.5-VL on the images and prompt and streams the answer to stdout.

  --model DIR               Hugging Face model folder (config.json, tokenizer.json, safetensors)
  --image FILE              an image (PNG/JPEG); repeat for several, in prompt order
  --prompt TEXT             the user text, placed after the images
  --system TEXT             system prompt (default: "You are a helpful assistant.")
  --max-new-tokens N        default 512
  --greedy                  no sampling (argmax); the repetition penalty still applies
  --temperature T, --top-p P, --top-k K
                            sample with these settings (default: generation_config.json)
  --repetition-penalty R    default: generation_config.json
  --seed S                  random seed for sampling
)") + kEngineArgsUsage + R"(  --device cpu|cuda         default cpu
  --min-pixels N, --max-pixels N
                            image size budget (default: preprocessor_config.json)
  --draft auto|off          speculative decoding (default auto: on under greedy decoding,
                            off when sampling); the text is the same, decode steps fewer
  --draft-text FILE         UTF-8 text the answer may copy (e.g. the page's words), a draft source
  --json                    print one JSON object with ids, text, grids, sizes, timings and
                            decode steps
  --help                    this text
)";

template <typename T>
bool parseNumber(const std::string& text, T& out)
{
    if constexpr (std::is_floating_point_v<T>) {
        try {
            std::size_t used = 0;
            out = static_cast<T>(std::stod(text, &used));
            return used == text.size();
        } catch (const std::exception&) {
            return false;
        }
    } else {
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, out);
        return ec == std::errc() && ptr == end;
    }
}

struct Options {
    EngineOptions engine = cliEngineDefaults();
    GenerationRequest request;
    std::vector<std::string> imagePaths;
    std::string draftTextPath;
    bool prompted = false;
    bool greedy = false;
    bool json = false;
    bool help = false;
};

// Fills `o` from `args`; on a usage error returns the message.
std::string parseArgs(const std::vector<std::string>& args, Options& o)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& v) -> bool {
            if (i + 1 >= args.size())
                return false;
            v = args[++i];
            return true;
        };
        std::string v;
        auto number = [&](auto& target) -> std::string {
            if (!value(v))
                return a + " needs a value";
            if (!parseNumber(v, target))
                return a + ": '" + v + "' is not a valid number";
            return {};
        };
        std::string error;
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--model") {
            if (!value(o.engine.modelDir))
                return "--model needs a folder";
        } else if (a == "--image") {
            if (!value(v))
                return "--image needs a file";
            o.imagePaths.push_back(v);
        } else if (a == "--prompt") {
            if (!value(o.request.prompt))
                return "--prompt needs a text";
            o.prompted = true;
        } else if (a == "--system") {
            if (!value(v))
                return "--system needs a text";
            o.request.systemPrompt = v;
        } else if (a == "--max-new-tokens") {
            error = number(o.request.maxNewTokens);
        } else if (a == "--greedy") {
            o.greedy = true;
        } else if (a == "--temperature") {
            double t = 0;
            error = number(t);
            o.request.sampling.temperature = t;
        } else if (a == "--top-p") {
            double p = 0;
            error = number(p);
            o.request.sampling.topP = p;
        } else if (a == "--top-k") {
            int k = 0;
            error = number(k);
            o.request.sampling.topK = k;
        } else if (a == "--repetition-penalty") {
            double r = 0;
            error = number(r);
            o.request.sampling.repetitionPenalty = r;
        } else if (a == "--seed") {
            uint64_t s = 0;
            error = number(s);
            o.request.sampling.seed = s;
        } else if (applyEngineArg(a, i + 1 < args.size() ? &args[i + 1] : nullptr, o.engine, error)) {
            i += i + 1 < args.size();
        } else if (a == "--device") {
            if (!value(o.engine.device))
                return "--device needs cpu or cuda";
        } else if (a == "--min-pixels") {
            int64_t n = 0;
            error = number(n);
            o.request.minPixels = n;
        } else if (a == "--max-pixels") {
            int64_t n = 0;
            error = number(n);
            o.request.maxPixels = n;
        } else if (a == "--draft") {
            if (!value(v) || (v != "auto" && v != "off"))
                return "--draft needs auto or off";
            o.request.draft = v == "auto" ? DraftMode::Auto : DraftMode::Off;
        } else if (a == "--draft-text") {
            if (!value(o.draftTextPath))
                return "--draft-text needs a file";
        } else if (a == "--json") {
            o.json = true;
        } else {
            return "unknown option '" + a + "'";
        }
        if (!error.empty())
            return error;
    }
    if (o.help)
        return {};
    if (o.engine.modelDir.empty())
        return "--model is required";
    if (!o.prompted)
        return "--prompt is required";
    if (o.request.maxNewTokens <= 0)
        return "--max-new-tokens must be positive";
    const SamplingOverrides& s = o.request.sampling;
    const bool samplingFlags = s.temperature || s.topP || s.topK;
    if (o.greedy && samplingFlags)
        return "--greedy cannot be combined with --temperature, --top-p or --top-k";
    if (o.greedy)
        o.request.sampling.doSample = false;
    else if (samplingFlags)
        o.request.sampling.doSample = true;
    return {};
}

nlohmann::json resultJson(const GenerationResult& r)
{
    nlohmann::json sizes = nlohmann::json::array();
    for (const ImageSize& s : r.resizedSizes)
        sizes.push_back({{"width", s.width}, {"height", s.height}});
    const GenerationTimings& t = r.timings;
    return {
        {"input_ids", r.inputIds},
        {"generated_ids", r.generatedIds},
        {"text", r.text},
        {"image_grid_thw", r.imageGrids},
        {"resized_sizes", sizes},
        {"stop_reason", stopReasonName(r.stopReason)},
        {"timings",
         {{"preprocess_ms", t.preprocessMs},
          {"vision_ms", t.visionMs},
          {"prefill_ms", t.prefillMs},
          {"decode_ms", t.decodeMs},
          {"decode_ms_per_token", t.decodeMsPerToken},
          {"total_ms", t.totalMs},
          {"new_tokens", r.generatedIds.size()}}},
        {"decode",
         {{"drafting", r.decode.drafting},
          {"steps", r.decode.steps},
          {"tokens_per_step", r.decode.tokensPerStep},
          {"drafted_tokens", r.decode.draftedTokens},
          {"accepted_draft_tokens", r.decode.acceptedDraftTokens}}},
    };
}

} // namespace

int runGenerateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    Options o;
    if (const std::string usage = parseArgs(args, o); !usage.empty()) {
        err << "generate: " << usage << "\n\n" << kUsage;
        return 2;
    }
    if (o.help) {
        out << kUsage;
        return 0;
    }

    for (const std::string& path : o.imagePaths) {
        auto image = loadImageFile(path);
        if (!image) {
            err << "generate: " << image.error() << "\n";
            return 1;
        }
        o.request.images.push_back(std::move(*image));
    }

    if (!o.draftTextPath.empty()) {
        std::ifstream in(o.draftTextPath, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) {
            err << "generate: cannot read the draft text " << o.draftTextPath << "\n";
            return 1;
        }
        o.request.draftHint = text.str();
    }

    EngineService& service = EngineService::instance();
    auto loaded = service.load(o.engine, nullptr);
    if (!loaded) {
        err << "generate: " << loaded.error() << "\n";
        return 1;
    }
    err << engineInfoText(*loaded);
    TokenCallback stream;
    if (!o.json)
        stream = [&](int64_t, const std::string& text, float) { out << text << std::flush; };
    auto result = service.generate(o.engine, o.request, stream, nullptr);
    if (!result) {
        err << "generate: " << result.error() << "\n";
        return 1;
    }
    if (o.json) {
        nlohmann::json j = resultJson(*result);
        j["engine"] = {{"dtype", loaded->dtype}, {"quant", quantSchemeName(loaded->quant)},
                       {"weight_bytes", loaded->weightBytes}, {"kernels", loaded->kernelPath}};
        out << j.dump() << "\n";
    } else {
        const DecodeStats& d = result->decode;
        out << "\n";
        err << result->generatedIds.size() << " tokens, " << d.steps << " decode steps ("
            << (d.drafting ? "drafts on" : "drafts off") << ", " << d.tokensPerStep << " tokens per step, "
            << d.acceptedDraftTokens << " of " << d.draftedTokens << " draft tokens accepted), "
            << result->timings.decodeMsPerToken << " ms per token\n";
    }
    return 0;
}

} // namespace folio::inference
