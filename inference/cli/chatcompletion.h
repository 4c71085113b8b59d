#pragma once
// The OpenAI chat-completions wire format on the server side of `serve`: a request body into a
// GenerationRequest, results into the response object and the SSE chunks, as vLLM and OpenAI
// document them (choices[0].message / delta.content, finish_reason "stop" | "length",
// usage, logprobs.content[] with token, logprob, bytes, top_logprobs).
//
// Images come only as data: URLs (base64 PNG/JPEG) and are decoded in memory; a request never
// names a file or a URL the server would open. Pure functions, callable from any thread.

#include "inference/engine.h"

#include <nlohmann/json.hpp>

#include <string>

namespace folio::inference {

struct ChatLimits {
    int64_t maxImagePixels = 40'000'000; // decoded pixels per image (a 600-dpi A4 page is ~35M)
    int maxImages = 8;
    int64_t maxNewTokens = 16384;
};

struct ChatCompletionRequest {
    GenerationRequest generation;
    std::string model;          // as the client named it (echoed back)
    bool stream = false;
    bool includeUsage = false;  // stream_options.include_usage
    bool logprobs = false;
};

// A client error: HTTP status 400 and a message naming the field at fault.
Result<ChatCompletionRequest> parseChatCompletionRequest(const std::string& body, const ChatLimits& limits);

// "stop" for an end-of-sequence token, "length" for the token limit.
const char* finishReason(StopReason reason);

// One entry of logprobs.content for a generated token's text.
nlohmann::json logprobEntry(const std::string& text, float logprob);

nlohmann::json usageJson(const GenerationResult& result);

// [[width, height], ...]: the size each image was resized to, the frame of the model's boxes.
// Sent as the extra top-level field "folio_image_sizes" (other clients ignore it) so a client
// can tell when the server resized its page.
nlohmann::json imageSizesJson(const GenerationResult& result);

// The whole non-streamed response.
nlohmann::json chatCompletionResponse(const std::string& id, int64_t created, const std::string& model,
                                      const GenerationResult& result, const nlohmann::json& logprobs);

// One chat.completion.chunk; `choice` is the choices[0] object (delta, logprobs, finish_reason).
nlohmann::json chatCompletionChunk(const std::string& id, int64_t created, const std::string& model,
                                   nlohmann::json choice);

// {"error": {"message", "type", "code"}} as OpenAI-compatible servers answer errors.
nlohmann::json errorJson(int status, const std::string& message);

} // namespace folio::inference
