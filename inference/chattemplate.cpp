#include "inference/chattemplate.h"

#include <algorithm>
#include <string_view>

namespace folio::inference {

namespace {

constexpr std::string_view kImagePad = "<|image_pad|>";
constexpr std::string_view kVideoPad = "<|video_pad|>";

std::size_t countOf(const std::string& text, std::string_view needle)
{
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size()))
        ++n;
    return n;
}

} // namespace

std::string renderChat(const std::vector<ChatMessage>& messages, bool addGenerationPrompt)
{
    std::string out;
    if (!messages.empty() && messages.front().role != "system")
        out += "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n";
    for (const ChatMessage& message : messages) {
        out += "<|im_start|>";
        out += message.role;
        out += '\n';
        for (const ContentItem& item : message.content) {
            switch (item.kind) {
            case ContentItem::Kind::Text:
                out += item.text;
                break;
            case ContentItem::Kind::Image:
                out += "<|vision_start|><|image_pad|><|vision_end|>";
                break;
            case ContentItem::Kind::Video:
                out += "<|vision_start|><|video_pad|><|vision_end|>";
                break;
            }
        }
        out += "<|im_end|>\n";
    }
    if (addGenerationPrompt)
        out += "<|im_start|>assistant\n";
    return out;
}

Result<std::string> expandVisionPads(
    const std::string& prompt, const std::vector<int64_t>& tokensPerImage, const std::vector<int64_t>& tokensPerVideo)
{
    struct Kind {
        std::string_view pad;
        const std::vector<int64_t>& counts;
        const char* what;
    };
    const Kind kinds[] = { { kImagePad, tokensPerImage, "image" }, { kVideoPad, tokensPerVideo, "video" } };
    for (const Kind& k : kinds) {
        const std::size_t placeholders = countOf(prompt, k.pad);
        if (placeholders != k.counts.size())
            return makeError("the prompt has " + std::to_string(placeholders) + " " + std::string(k.pad)
                + " placeholder(s) but " + std::to_string(k.counts.size()) + " " + k.what
                + " token count(s) were given");
        for (std::size_t i = 0; i < k.counts.size(); ++i) {
            if (k.counts[i] <= 0)
                return makeError(std::string(k.what) + " " + std::to_string(i + 1) + " has a token count of "
                    + std::to_string(k.counts[i]) + "; it must be positive");
        }
    }

    // One pass over the prompt: the two placeholders cannot overlap, so each is met in order.
    std::string out;
    std::size_t nextImage = 0;
    std::size_t nextVideo = 0;
    std::size_t pos = 0;
    while (pos < prompt.size()) {
        const std::size_t image = prompt.find(kImagePad, pos);
        const std::size_t video = prompt.find(kVideoPad, pos);
        const std::size_t at = std::min(image, video);
        if (at == std::string::npos)
            break;
        out.append(prompt, pos, at - pos);
        const bool isImage = at == image;
        const std::string_view pad = isImage ? kImagePad : kVideoPad;
        const int64_t copies = isImage ? tokensPerImage[nextImage++] : tokensPerVideo[nextVideo++];
        out.reserve(out.size() + static_cast<std::size_t>(copies) * pad.size());
        for (int64_t c = 0; c < copies; ++c)
            out.append(pad);
        pos = at + pad.size();
    }
    out.append(prompt, pos, std::string::npos);
    return out;
}

} // namespace folio::inference
