#pragma once
// The Qwen2.5-VL chat template (the processor's chat_template.json), written out in C++
// instead of run through a Jinja engine, and the expansion of the vision placeholders that
// the processor does before tokenisation. Pure functions; any thread.
//
//   <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n      (only when the first
//   <|im_start|>{role}\n{content}<|im_end|>\n                          message is not system)
//   ...
//   <|im_start|>assistant\n                                            (addGenerationPrompt)
//
// Content items are written in order with nothing between them: text verbatim, an image as
// <|vision_start|><|image_pad|><|vision_end|>, a video as <|vision_start|><|video_pad|><|vision_end|>.

#include "inference/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace folio::inference {

struct ContentItem {
    enum class Kind { Text, Image, Video } kind = Kind::Text;
    std::string text; // Text items only
};

struct ChatMessage {
    std::string role; // "system", "user", "assistant"
    std::vector<ContentItem> content;
};

// The prompt text for `messages`, ending with the assistant header when addGenerationPrompt.
std::string renderChat(const std::vector<ChatMessage>& messages, bool addGenerationPrompt);

// Replaces the n-th <|image_pad|> of `prompt` with tokensPerImage[n] copies of itself, and
// likewise <|video_pad|> with tokensPerVideo (grid t·h·w / 4 for Qwen2.5-VL). Fails when the
// number of placeholders differs from the number of counts, or a count is not positive.
Result<std::string> expandVisionPads(
    const std::string& prompt, const std::vector<int64_t>& tokensPerImage, const std::vector<int64_t>& tokensPerVideo);

} // namespace folio::inference
