#include "inference/ropeindex.h"

#include <algorithm>
#include <string>

namespace folio::inference {

namespace {

struct Block {
    bool video = false;
    std::size_t index = 0; // into imageGrids or videoGrids
    int64_t start = 0; // position in the prompt of the first pad token
};

std::string describe(const Block& b)
{
    return std::string(b.video ? "video " : "image ") + std::to_string(b.index + 1);
}

} // namespace

Result<RopeIndex> computeRopeIndex(const std::vector<int64_t>& inputIds,
    const std::vector<std::array<int64_t, 3>>& imageGrids, const std::vector<std::array<int64_t, 3>>& videoGrids,
    const std::vector<double>& secondPerGridTs, const RopeIndexParams& params)
{
    const auto length = static_cast<int64_t>(inputIds.size());
    RopeIndex out;
    out.positionIds = at::empty({ 3, length }, at::kLong);
    auto pos = out.positionIds.accessor<int64_t, 2>();

    if (imageGrids.empty() && videoGrids.empty()) {
        for (int64_t i = 0; i < length; ++i) {
            pos[0][i] = pos[1][i] = pos[2][i] = i;
        }
        out.ropeDelta = 0;
        return out;
    }
    if (!secondPerGridTs.empty() && secondPerGridTs.size() != videoGrids.size()) {
        return makeError("Got " + std::to_string(secondPerGridTs.size()) + " video frame intervals for "
            + std::to_string(videoGrids.size()) + " videos");
    }

    // A vision block is announced by <|vision_start|> followed by its first pad token.
    std::size_t imageBlocks = 0;
    std::size_t videoBlocks = 0;
    for (std::size_t i = 0; i + 1 < inputIds.size(); ++i) {
        if (inputIds[i] == params.visionStartTokenId) {
            imageBlocks += inputIds[i + 1] == params.imageTokenId;
            videoBlocks += inputIds[i + 1] == params.videoTokenId;
        }
    }
    if (imageBlocks != imageGrids.size() || videoBlocks != videoGrids.size()) {
        return makeError("The prompt has " + std::to_string(imageBlocks) + " image and " + std::to_string(videoBlocks)
            + " video placeholders, but " + std::to_string(imageGrids.size()) + " images and "
            + std::to_string(videoGrids.size()) + " videos were given");
    }

    const auto firstFrom = [&](int64_t token, int64_t from) {
        const auto it = std::find(inputIds.begin() + from, inputIds.end(), token);
        return static_cast<int64_t>(it - inputIds.begin());
    };

    int64_t st = 0; // next unplaced token
    int64_t maxSoFar = -1; // largest position placed; every segment starts above it
    std::size_t nextImage = 0;
    std::size_t nextVideo = 0;
    const auto place = [&](int64_t i, int64_t t, int64_t h, int64_t w) {
        pos[0][i] = t;
        pos[1][i] = h;
        pos[2][i] = w;
        maxSoFar = std::max({ maxSoFar, t, h, w });
    };

    for (std::size_t n = 0; n < imageBlocks + videoBlocks; ++n) {
        // The earlier of the next image pad and the next video pad starts the next block.
        const int64_t edImage = nextImage < imageBlocks ? firstFrom(params.imageTokenId, st) : length + 1;
        const int64_t edVideo = nextVideo < videoBlocks ? firstFrom(params.videoTokenId, st) : length + 1;
        Block block;
        block.video = edVideo < edImage;
        block.index = block.video ? nextVideo++ : nextImage++;
        block.start = block.video ? edVideo : edImage;
        if (block.start >= length) {
            return makeError("The prompt has no pad tokens left for " + describe(block));
        }
        const auto& grid = block.video ? videoGrids[block.index] : imageGrids[block.index];
        const int64_t merge = params.spatialMergeSize;
        if (grid[0] <= 0 || grid[1] <= 0 || grid[2] <= 0 || grid[1] % merge != 0 || grid[2] % merge != 0) {
            return makeError("The grid (" + std::to_string(grid[0]) + ", " + std::to_string(grid[1]) + ", "
                + std::to_string(grid[2]) + ") of " + describe(block)
                + " is not positive or not divisible by the merge size " + std::to_string(merge));
        }
        const int64_t gt = grid[0];
        const int64_t gh = grid[1] / merge;
        const int64_t gw = grid[2] / merge;
        const int64_t count = gt * gh * gw;
        const int64_t padToken = block.video ? params.videoTokenId : params.imageTokenId;
        if (block.start + count > length
            || std::any_of(inputIds.begin() + block.start, inputIds.begin() + block.start + count,
                [&](int64_t id) { return id != padToken; })) {
            return makeError("The prompt does not hold the " + std::to_string(count) + " consecutive pad tokens that "
                + describe(block) + " needs at token " + std::to_string(block.start));
        }

        const int64_t textStart = maxSoFar + 1;
        for (int64_t i = st; i < block.start; ++i) {
            place(i, textStart + (i - st), textStart + (i - st), textStart + (i - st));
        }
        const int64_t base = textStart + (block.start - st);
        // The reference multiplies in float32 (frame index × seconds per grid × tokens per
        // second) and then truncates; images use a time step of 0.
        const float secondsPerGrid = !block.video ? 0.0f
            : secondPerGridTs.empty()             ? 1.0f
                                                  : static_cast<float>(secondPerGridTs[block.index]);
        const auto tokensPerSecond = static_cast<float>(params.tokensPerSecond);
        int64_t i = block.start;
        for (int64_t ti = 0; ti < gt; ++ti) {
            const float time = static_cast<float>(ti) * secondsPerGrid * tokensPerSecond;
            const auto t = static_cast<int64_t>(time);
            for (int64_t y = 0; y < gh; ++y) {
                for (int64_t x = 0; x < gw; ++x) {
                    place(i++, base + t, base + y, base + x);
                }
            }
        }
        st = block.start + count;
    }
    const int64_t textStart = maxSoFar + 1;
    for (int64_t i = st; i < length; ++i) {
        place(i, textStart + (i - st), textStart + (i - st), textStart + (i - st));
    }
    out.ropeDelta = maxSoFar + 1 - length;
    return out;
}

} // namespace folio::inference
