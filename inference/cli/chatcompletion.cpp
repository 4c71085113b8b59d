#include "inference/cli/chatcompletion.h"

#include "inference/cli/base64.h"
#include "inference/imagefile.h"

namespace folio::inference {

namespace {

using nlohmann::json;

Result<std::string> textOf(const json& content, const std::string& where)
{
    if (content.is_string())
        return content.get<std::string>();
    if (!content.is_array())
        return makeError(where + ".content must be a string or an array of parts");
    std::string text;
    for (const json& part : content) {
        if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") || !part["text"].is_string())
            return makeError(where + ".content may only hold text parts");
        text += part["text"].get<std::string>();
    }
    return text;
}

Result<Image> imageFromUrl(const json& part, int index, const ChatLimits& limits)
{
    const std::string what = "image " + std::to_string(index);
    const json* url = nullptr;
    if (part.contains("image_url") && part["image_url"].is_object() && part["image_url"].contains("url"))
        url = &part["image_url"]["url"];
    else if (part.contains("image_url") && part["image_url"].is_string()) // an older spelling
        url = &part["image_url"];
    if (!url || !url->is_string())
        return makeError(what + ": image_url.url is missing");
    const std::string& text = url->get_ref<const std::string&>();
    // Only inline data: the server never fetches a URL or opens a path named by a request.
    const std::string prefix = "data:";
    const auto comma = text.find(',');
    if (text.compare(0, prefix.size(), prefix) != 0 || comma == std::string::npos)
        return makeError(what + ": only data: URLs (data:image/png;base64,...) are accepted; this server fetches no URLs and reads no files");
    const std::string meta = text.substr(prefix.size(), comma - prefix.size());
    if (meta.size() < 7 || meta.compare(meta.size() - 7, 7, ";base64") != 0)
        return makeError(what + ": the data: URL must be base64-encoded (data:image/png;base64,...)");
    auto bytes = decodeBase64(std::string_view(text).substr(comma + 1));
    if (!bytes)
        return makeError(what + ": the data: URL is not valid base64");
    return decodeImage(*bytes, limits.maxImagePixels, what);
}

template <typename T>
Result<std::optional<T>> optionalNumber(const json& body, const char* key)
{
    if (!body.contains(key) || body[key].is_null())
        return std::optional<T>();
    if (!body[key].is_number())
        return makeError(std::string(key) + " must be a number");
    return std::optional<T>(body[key].get<T>());
}

} // namespace

Result<ChatCompletionRequest> parseChatCompletionRequest(const std::string& body, const ChatLimits& limits)
{
    const json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!request.is_object())
        return makeError("the request body is not a JSON object");
    ChatCompletionRequest out;
    GenerationRequest& g = out.generation;
    if (request.contains("model") && request["model"].is_string())
        out.model = request["model"].get<std::string>();
    if (!request.contains("messages") || !request["messages"].is_array() || request["messages"].empty())
        return makeError("messages must be a non-empty array");

    // Folio's engine answers one user turn (images, then text) after an optional system turn.
    bool haveUser = false;
    for (std::size_t i = 0; i < request["messages"].size(); ++i) {
        const json& m = request["messages"][i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string() || !m.contains("content"))
            return makeError(where + " needs a role and content");
        const std::string role = m["role"];
        if (role == "system" && !haveUser && !g.systemPrompt) {
            auto text = textOf(m["content"], where);
            if (!text)
                return makeError(text.error());
            g.systemPrompt = *text;
        } else if (role == "user" && !haveUser) {
            haveUser = true;
            const json& content = m["content"];
            if (content.is_string()) {
                g.prompt = content.get<std::string>();
                continue;
            }
            if (!content.is_array())
                return makeError(where + ".content must be a string or an array of parts");
            for (const json& part : content) {
                const std::string type = part.is_object() ? part.value("type", "") : "";
                if (type == "text" && part.contains("text") && part["text"].is_string()) {
                    g.prompt += part["text"].get<std::string>();
                } else if (type == "image_url") {
                    if (static_cast<int>(g.images.size()) >= limits.maxImages)
                        return makeError("more than " + std::to_string(limits.maxImages) + " images in one request");
                    auto image = imageFromUrl(part, static_cast<int>(g.images.size()) + 1, limits);
                    if (!image)
                        return makeError(image.error());
                    g.images.push_back(std::move(*image));
                } else {
                    return makeError(where + ": unsupported content part type '" + type + "' (text and image_url are supported)");
                }
            }
        } else {
            return makeError(where + ": only one user message, optionally after one system message, is supported (role '"
                             + role + "')");
        }
    }
    if (!haveUser)
        return makeError("messages must contain a user message");

    auto maxTokens = optionalNumber<int64_t>(request, request.contains("max_completion_tokens") ? "max_completion_tokens" : "max_tokens");
    if (!maxTokens)
        return makeError(maxTokens.error());
    g.maxNewTokens = maxTokens->value_or(512);
    if (g.maxNewTokens < 1 || g.maxNewTokens > limits.maxNewTokens)
        return makeError("max_tokens must be between 1 and " + std::to_string(limits.maxNewTokens));

    auto temperature = optionalNumber<double>(request, "temperature");
    auto topP = optionalNumber<double>(request, "top_p");
    auto topK = optionalNumber<int>(request, "top_k"); // vLLM / llama.cpp extension
    auto penalty = optionalNumber<double>(request, "repetition_penalty");
    auto seed = optionalNumber<uint64_t>(request, "seed");
    for (const auto* r : {&temperature, &topP, &penalty})
        if (!*r)
            return makeError(r->error());
    if (!topK)
        return makeError(topK.error());
    if (!seed)
        return makeError(seed.error());
    if (*temperature) {
        // OpenAI's temperature 0 means deterministic: greedy decoding here.
        g.sampling.doSample = **temperature > 0;
        if (**temperature > 0)
            g.sampling.temperature = **temperature;
    }
    if (*topP)
        g.sampling.topP = **topP;
    if (*topK)
        g.sampling.topK = **topK;
    if (*penalty)
        g.sampling.repetitionPenalty = **penalty;
    if (*seed)
        g.sampling.seed = **seed;

    if (request.contains("n") && request["n"] != 1)
        return makeError("n must be 1");
    if (request.contains("stream")) {
        if (!request["stream"].is_boolean())
            return makeError("stream must be true or false");
        out.stream = request["stream"];
    }
    if (request.contains("stream_options") && request["stream_options"].is_object())
        out.includeUsage = request["stream_options"].value("include_usage", false);
    if (request.contains("logprobs")) {
        if (!request["logprobs"].is_boolean())
            return makeError("logprobs must be true or false");
        out.logprobs = request["logprobs"];
    }
    if (request.contains("top_logprobs") && request["top_logprobs"].is_number() && request["top_logprobs"].get<int>() > 0)
        return makeError("top_logprobs is not supported by folio serve (logprobs of the chosen tokens are)");
    return out;
}

const char* finishReason(StopReason reason)
{
    return reason == StopReason::Eos ? "stop" : "length";
}

nlohmann::json logprobEntry(const std::string& text, float logprob)
{
    json bytes = json::array();
    for (const char c : text)
        bytes.push_back(static_cast<unsigned char>(c));
    return {{"token", text}, {"logprob", logprob}, {"bytes", bytes}, {"top_logprobs", json::array()}};
}

nlohmann::json usageJson(const GenerationResult& result)
{
    const auto prompt = static_cast<int64_t>(result.inputIds.size());
    const auto completion = static_cast<int64_t>(result.generatedIds.size());
    return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
}

nlohmann::json imageSizesJson(const GenerationResult& result)
{
    json sizes = json::array();
    for (const ImageSize& s : result.resizedSizes)
        sizes.push_back({s.width, s.height});
    return sizes;
}

nlohmann::json chatCompletionResponse(const std::string& id, int64_t created, const std::string& model,
                                      const GenerationResult& result, const nlohmann::json& logprobs)
{
    json choice = {{"index", 0},
                   {"message", {{"role", "assistant"}, {"content", result.text}}},
                   {"logprobs", logprobs.is_null() ? json(nullptr) : json{{"content", logprobs}}},
                   {"finish_reason", finishReason(result.stopReason)}};
    return {{"id", id},
            {"object", "chat.completion"},
            {"created", created},
            {"model", model},
            {"choices", json::array({choice})},
            {"usage", usageJson(result)},
            {"folio_image_sizes", imageSizesJson(result)}};
}

nlohmann::json chatCompletionChunk(const std::string& id, int64_t created, const std::string& model, nlohmann::json choice)
{
    json choices = json::array();
    if (!choice.is_null()) {
        choice["index"] = 0;
        choices.push_back(std::move(choice));
    }
    return {{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", model}, {"choices", choices}};
}

nlohmann::json errorJson(int status, const std::string& message)
{
    const char* type = status == 401 ? "authentication_error"
        : status == 404              ? "not_found_error"
        : status >= 500              ? "server_error"
                                     : "invalid_request_error";
    return {{"error", {{"message", message}, {"type", type}, {"code", status}}}};
}

} // namespace folio::inference
