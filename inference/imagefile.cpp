#include "inference/imagefile.h"

// The one translation unit that compiles stb_image's implementation (header-only use of
// Debian's libstb-dev, so nothing to link).
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

namespace folio::inference {

namespace {

    // stb_image's RGB8 rows as our Image.
    Image toImage(const stbi_uc* rgb, int width, int height)
    {
        Image image;
        image.width = width;
        image.height = height;
        image.rgb.assign(rgb, rgb + static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
        return image;
    }

} // namespace

Result<Image> loadImageFile(const std::string& path)
{
    // Opened here rather than by stb_image so that a missing or unreadable file gets the
    // system's reason instead of stb's terse "can't fopen".
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) {
        return makeError("Cannot open the image " + path + ": " + std::strerror(errno));
    }
    int width = 0;
    int height = 0;
    int channelsInFile = 0;
    // Asking for 3 channels makes stb_image expand grey/palette and drop alpha.
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_file(file.get(), &width, &height, &channelsInFile, 3), &stbi_image_free);
    if (!pixels) {
        return makeError("Cannot decode the image " + path + ": " + stbi_failure_reason()
            + " (supported: PNG, JPEG, BMP, GIF, TGA, PSD, HDR, PIC, PNM)");
    }
    return toImage(pixels.get(), width, height);
}

Result<Image> decodeImage(const std::string& bytes, int64_t maxPixels, const std::string& what)
{
    if (bytes.empty() || bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return makeError(what + ": no image data");
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int length = static_cast<int>(bytes.size());
    int width = 0;
    int height = 0;
    int channelsInFile = 0;
    if (!stbi_info_from_memory(data, length, &width, &height, &channelsInFile))
        return makeError(what + ": not a decodable image (" + stbi_failure_reason() + "; send PNG or JPEG)");
    if (width <= 0 || height <= 0 || static_cast<int64_t>(width) * height > maxPixels)
        return makeError(what + ": " + std::to_string(width) + "x" + std::to_string(height) + " is larger than the "
                         + std::to_string(maxPixels) + "-pixel limit");
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, length, &width, &height, &channelsInFile, 3), &stbi_image_free);
    if (!pixels)
        return makeError(what + ": cannot decode the image: " + stbi_failure_reason());
    return toImage(pixels.get(), width, height);
}

} // namespace folio::inference
