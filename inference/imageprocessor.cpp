#include "inference/imageprocessor.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace folio::inference {

namespace {

// Pillow's fixed point: 8 bits of result, 2 bits of headroom for negative lobes and sums
// above 1, 22 fractional bits.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kBicubicSupport = 2.0;

double bicubic(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
        return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
}

// The taps of one resampling direction: output i reads inputs first[i] .. first[i]+count[i]-1
// with weights[i * taps ...].
struct Taps {
    int taps = 0;
    std::vector<int> first;
    std::vector<int> count;
    std::vector<int32_t> weights;
};

// Weights are computed in double exactly as Pillow orders the arithmetic, normalised to sum
// 1, then rounded away from zero to fixed point; any reordering changes the last bit.
Taps computeTaps(int inSize, int outSize)
{
    const double scale = static_cast<double>(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = kBicubicSupport * filterScale;
    Taps t;
    t.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
    t.first.resize(static_cast<std::size_t>(outSize));
    t.count.resize(static_cast<std::size_t>(outSize));
    t.weights.assign(static_cast<std::size_t>(outSize) * static_cast<std::size_t>(t.taps), 0);
    std::vector<double> w(static_cast<std::size_t>(t.taps));
    for (int o = 0; o < outSize; ++o) {
        const double center = (o + 0.5) * scale;
        const double invScale = 1.0 / filterScale;
        const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
        const int xmax = std::min(static_cast<int>(center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; ++x) {
            w[static_cast<std::size_t>(x)] = bicubic((x + xmin - center + 0.5) * invScale);
            sum += w[static_cast<std::size_t>(x)];
        }
        for (int x = 0; x < xmax; ++x) {
            double v = w[static_cast<std::size_t>(x)];
            if (sum != 0.0) {
                v /= sum;
            }
            t.weights[static_cast<std::size_t>(o * t.taps + x)]
                = static_cast<int32_t>(v < 0 ? -0.5 + v * (1 << kPrecisionBits) : 0.5 + v * (1 << kPrecisionBits));
        }
        t.first[static_cast<std::size_t>(o)] = xmin;
        t.count[static_cast<std::size_t>(o)] = xmax;
    }
    return t;
}

uint8_t clip8(int32_t acc)
{
    return static_cast<uint8_t>(std::clamp(acc >> kPrecisionBits, 0, 255));
}

// One pass over RGB8 rows: `stride` is the distance between neighbouring taps (3 across a
// row, 3·width down a column), `step` the distance between neighbouring outputs in the
// other direction.
void resamplePass(const uint8_t* in, uint8_t* out, const Taps& taps, int outCount, int lines, std::size_t inTapStride,
    std::size_t inLineStride, std::size_t outStride, std::size_t outLineStride)
{
    constexpr int32_t half = 1 << (kPrecisionBits - 1);
    for (int line = 0; line < lines; ++line) {
        const uint8_t* src = in + static_cast<std::size_t>(line) * inLineStride;
        uint8_t* dst = out + static_cast<std::size_t>(line) * outLineStride;
        for (int o = 0; o < outCount; ++o) {
            const int32_t* k = &taps.weights[static_cast<std::size_t>(o * taps.taps)];
            const uint8_t* p = src + static_cast<std::size_t>(taps.first[static_cast<std::size_t>(o)]) * inTapStride;
            int32_t r = half, g = half, b = half;
            for (int x = 0; x < taps.count[static_cast<std::size_t>(o)]; ++x) {
                r += p[0] * k[x];
                g += p[1] * k[x];
                b += p[2] * k[x];
                p += inTapStride;
            }
            uint8_t* q = dst + static_cast<std::size_t>(o) * outStride;
            q[0] = clip8(r);
            q[1] = clip8(g);
            q[2] = clip8(b);
        }
    }
}

Result<void> checkImage(const Image& image, const std::string& what)
{
    if (image.width <= 0 || image.height <= 0
        || image.rgb.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3) {
        return makeError("The " + what + " is empty or its pixel data does not match its size ("
            + std::to_string(image.width) + "×" + std::to_string(image.height) + ", " + std::to_string(image.rgb.size())
            + " bytes)");
    }
    return {};
}

Result<void> checkOptions(const ImageProcessorOptions& o)
{
    if (o.patchSize <= 0 || o.mergeSize <= 0 || o.temporalPatchSize <= 0 || o.minPixels <= 0
        || o.maxPixels < o.minPixels) {
        return makeError("Invalid image processor settings: patch " + std::to_string(o.patchSize) + ", merge "
            + std::to_string(o.mergeSize) + ", temporal patch " + std::to_string(o.temporalPatchSize) + ", pixels "
            + std::to_string(o.minPixels) + "–" + std::to_string(o.maxPixels));
    }
    return {};
}

// Rescale + normalise resized frames (all the same size) and flatten them into patch rows.
VisionInput flatten(const std::vector<Image>& frames, const ImageProcessorOptions& o)
{
    const int height = frames.front().height;
    const int width = frames.front().width;
    const auto count = static_cast<int64_t>(frames.size());
    at::Tensor pixels = at::empty({ count, height, width, 3 }, at::kFloat);
    float* dst = pixels.data_ptr<float>();
    // The reference rescales in float64 (u8 × 1/255), stores float32, then normalises in
    // float32: ((x - mean) / std), per channel.
    const double rescale = 1.0 / 255.0;
    for (const Image& f : frames) {
        for (std::size_t i = 0; i < f.rgb.size(); ++i) {
            const auto c = i % 3;
            const auto x = static_cast<float>(static_cast<double>(f.rgb[i]) * rescale);
            *dst++ = (x - o.mean[c]) / o.std[c];
        }
    }
    const int64_t tp = o.temporalPatchSize;
    const int64_t p = o.patchSize;
    const int64_t m = o.mergeSize;
    const int64_t gt = count / tp;
    const int64_t gh = height / p;
    const int64_t gw = width / p;
    // [gt, tp, c, gh/m, m, p, gw/m, m, p] -> (gt, gh/m, gw/m, m, m, c, tp, p, p)
    const at::Tensor patches = pixels.permute({ 0, 3, 1, 2 })
                                   .reshape({ gt, tp, 3, gh / m, m, p, gw / m, m, p })
                                   .permute({ 0, 3, 6, 4, 7, 2, 1, 5, 8 })
                                   .reshape({ gt * gh * gw, 3 * tp * p * p });
    VisionInput out;
    out.pixelValues = patches.contiguous();
    out.gridThw = { gt, gh, gw };
    out.resizedWidth = width;
    out.resizedHeight = height;
    return out;
}

} // namespace

Result<std::pair<int, int>> smartResize(int height, int width, int factor, int64_t minPixels, int64_t maxPixels)
{
    if (height < factor || width < factor) {
        return makeError("The image is too small: " + std::to_string(width) + "×" + std::to_string(height)
            + " pixels, but both sides must be at least " + std::to_string(factor) + " pixels");
    }
    const double ratio = static_cast<double>(std::max(height, width)) / std::min(height, width);
    if (ratio > 200.0) {
        return makeError("The image is too elongated: " + std::to_string(width) + "×" + std::to_string(height)
            + " pixels has an aspect ratio above 200");
    }
    // Python's round() sends ties to even (1.5 -> 2, 2.5 -> 2): nearbyint in the default
    // rounding mode does the same, std::round does not.
    const double f = factor;
    double hBar = std::nearbyint(height / f) * f;
    double wBar = std::nearbyint(width / f) * f;
    const double pixels = static_cast<double>(static_cast<int64_t>(height) * width);
    if (hBar * wBar > static_cast<double>(maxPixels)) {
        const double beta = std::sqrt(pixels / static_cast<double>(maxPixels));
        hBar = std::floor(height / beta / f) * f;
        wBar = std::floor(width / beta / f) * f;
    } else if (hBar * wBar < static_cast<double>(minPixels)) {
        const double beta = std::sqrt(static_cast<double>(minPixels) / pixels);
        hBar = std::ceil(height * beta / f) * f;
        wBar = std::ceil(width * beta / f) * f;
    }
    return std::pair<int, int>(static_cast<int>(hBar), static_cast<int>(wBar));
}

Image resizeBicubic(const Image& image, int width, int height)
{
    if (width == image.width && height == image.height) {
        return image;
    }
    const Taps horizontal = computeTaps(image.width, width);
    const Taps vertical = computeTaps(image.height, height);
    const std::size_t inRow = static_cast<std::size_t>(image.width) * 3;

    // The horizontal pass only needs the input rows the vertical pass will read.
    const int yFirst = vertical.first.front();
    const int yLast = vertical.first.back() + vertical.count.back();
    const uint8_t* rows = image.rgb.data();
    int rowOffset = 0; // input row that `rows` starts at
    std::size_t rowBytes = inRow;
    std::vector<uint8_t> temp;
    if (width != image.width) {
        rowBytes = static_cast<std::size_t>(width) * 3;
        temp.resize(static_cast<std::size_t>(yLast - yFirst) * rowBytes);
        resamplePass(image.rgb.data() + static_cast<std::size_t>(yFirst) * inRow, temp.data(), horizontal, width,
            yLast - yFirst, 3, inRow, 3, rowBytes);
        rows = temp.data();
        rowOffset = yFirst;
    }
    Image out;
    out.width = width;
    out.height = height;
    if (height == image.height) {
        out.rgb = std::move(temp);
        return out;
    }
    out.rgb.resize(static_cast<std::size_t>(height) * static_cast<std::size_t>(width) * 3);
    Taps shifted = vertical;
    for (int& first : shifted.first) {
        first -= rowOffset;
    }
    // Columns are the lines here: taps run down a column, outputs go down rows.
    resamplePass(rows, out.rgb.data(), shifted, height, width, rowBytes, 3, static_cast<std::size_t>(width) * 3, 3);
    return out;
}

Result<VisionInput> processImage(const Image& image, const ImageProcessorOptions& options)
{
    if (auto ok = checkOptions(options); !ok) {
        return makeError(ok.error());
    }
    if (auto ok = checkImage(image, "image"); !ok) {
        return makeError(ok.error());
    }
    auto size = smartResize(
        image.height, image.width, options.patchSize * options.mergeSize, options.minPixels, options.maxPixels);
    if (!size) {
        return makeError(size.error());
    }
    const auto [height, width] = size.value();
    // A single image fills every frame slot of its temporal patch.
    const std::vector<Image> frames(
        static_cast<std::size_t>(options.temporalPatchSize), resizeBicubic(image, width, height));
    return flatten(frames, options);
}

Result<VisionInput> processVideo(const std::vector<Image>& frames, const ImageProcessorOptions& options)
{
    if (auto ok = checkOptions(options); !ok) {
        return makeError(ok.error());
    }
    if (frames.empty()) {
        return makeError("The video has no frames");
    }
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (auto ok = checkImage(frames[i], "video frame " + std::to_string(i + 1)); !ok) {
            return makeError(ok.error());
        }
        if (frames[i].width != frames[0].width || frames[i].height != frames[0].height) {
            return makeError("Video frame " + std::to_string(i + 1) + " is " + std::to_string(frames[i].width) + "×"
                + std::to_string(frames[i].height) + " pixels, but the first frame is "
                + std::to_string(frames[0].width) + "×" + std::to_string(frames[0].height));
        }
    }
    auto size = smartResize(
        frames[0].height, frames[0].width, options.patchSize * options.mergeSize, options.minPixels, options.maxPixels);
    if (!size) {
        return makeError(size.error());
    }
    const auto [height, width] = size.value();
    std::vector<Image> resized;
    const std::size_t tp = static_cast<std::size_t>(options.temporalPatchSize);
    resized.reserve((frames.size() + tp - 1) / tp * tp);
    for (const Image& f : frames) {
        resized.push_back(resizeBicubic(f, width, height));
    }
    while (resized.size() % tp != 0) {
        resized.push_back(resized.back());
    }
    return flatten(resized, options);
}

} // namespace folio::inference
