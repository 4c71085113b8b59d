#pragma once
// The tiny fixture model (shared/fixtures/qwen25vl-tiny) loaded module by module, and the
// conversions and case inputs the reference-tensor tests share (tst_model, tst_speculative,
// tst_quantfidelity).

#include "inference/config.h"
#include "inference/generator.h"
#include "inference/quantscheme.h"
#include "inference/safetensors.h"
#include "inference/textmodel.h"
#include "inference/visionencoder.h"
#include "inference/weights.h"

#include <ATen/ATen.h>

#include <QtGlobal>

#include <memory>
#include <string>
#include <vector>

namespace folio::test {

inline std::vector<int64_t> toVector(const at::Tensor& t)
{
    const at::Tensor c = t.to(at::kCPU, at::kLong).contiguous().view({-1});
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

inline std::vector<inference::GridThw> toGrids(const at::Tensor& t)
{
    std::vector<inference::GridThw> grids;
    const std::vector<int64_t> v = toVector(t);
    for (std::size_t i = 0; i + 2 < v.size(); i += 3)
        grids.push_back({v[i], v[i + 1], v[i + 2]});
    return grids;
}

// The processor's normalisation of the stored 8-bit patches (fixture README, "Pixel values"):
// float32(float64(u8) / 255) then (x - mean[c]) / std[c] in float32; column c·392 + … is channel c.
inline at::Tensor normalizeU8(const at::Tensor& u8)
{
    const at::Tensor x = (u8.to(at::kDouble) * (1.0 / 255.0)).to(at::kFloat);
    const at::Tensor mean = at::tensor({0.48145466f, 0.4578275f, 0.40821073f}).repeat_interleave(392);
    const at::Tensor stdv = at::tensor({0.26862954f, 0.26130258f, 0.27577711f}).repeat_interleave(392);
    return (x - mean) / stdv;
}

// A loaded model (weights + modules) for one folder and dtype.
struct FixtureModel {
    inference::ModelConfig config;
    std::unique_ptr<inference::Weights> weights;
    std::unique_ptr<inference::VisionEncoder> vision;
    std::unique_ptr<inference::TextModel> text;
};

// `quant`: the decoder packed as Engine packs it (no pack cache).
inline std::unique_ptr<FixtureModel> loadFixtureModel(const std::string& dir, at::ScalarType dtype,
                                                      inference::QuantScheme quant = inference::QuantScheme::None)
{
    auto model = std::make_unique<FixtureModel>();
    auto config = inference::ModelConfig::load(dir + "/config.json");
    if (!config)
        qFatal("%s", config.error().c_str());
    model->config = *config;
    auto checkpoint = inference::Checkpoint::open(dir);
    if (!checkpoint)
        qFatal("%s", checkpoint.error().c_str());
    inference::PackOptions pack;
    pack.quant = quant;
    auto weights = inference::Weights::load(*checkpoint, model->config, dtype, at::kCPU, nullptr, pack);
    if (!weights)
        qFatal("%s", weights.error().c_str());
    model->weights = std::make_unique<inference::Weights>(std::move(*weights));
    model->vision = std::make_unique<inference::VisionEncoder>(model->config.vision, *model->weights);
    model->text = std::make_unique<inference::TextModel>(model->config.text, *model->weights);
    return model;
}

// The decoder input of one reference case (reference/<name>.safetensors): ids, embeddings
// with the model's own vision rows, positions.
struct Prompt {
    std::vector<int64_t> ids;
    at::Tensor embeds;
    at::Tensor positions;
    int64_t ropeDelta = 0;
};

inline Prompt casePrompt(const FixtureModel& m, const std::string& referenceFile)
{
    auto file = inference::SafeTensorsFile::open(referenceFile);
    if (!file)
        qFatal("%s", file.error().c_str());
    const auto& ref = **file;
    Prompt p;
    p.ids = toVector(ref.tensor("input_ids"));
    const auto len = static_cast<int64_t>(p.ids.size());
    p.embeds = m.text->embed(at::tensor(p.ids, at::kLong));
    for (const std::string kind : {"image", "video"}) {
        const std::string pv = kind == "image" ? "pixel_values" : "pixel_values_videos";
        at::Tensor pixels;
        if (ref.contains(pv))
            pixels = ref.tensor(pv);
        else if (ref.contains(pv + "_u8"))
            pixels = normalizeU8(ref.tensor(pv + "_u8"));
        const at::Tensor rows = pixels.defined() ? m.vision->forward(pixels, toGrids(ref.tensor(kind + "_grid_thw")))
                                                 : at::Tensor();
        auto merged = inference::mergeVisionEmbeddings(
            p.embeds, p.ids, kind == "image" ? m.config.tokens.image : m.config.tokens.video, rows, kind.c_str());
        if (!merged)
            qFatal("%s", merged.error().c_str());
        p.embeds = *merged;
    }
    p.positions = ref.tensor("position_ids").view({3, len});
    p.ropeDelta = ref.tensor("rope_deltas").item<int64_t>();
    return p;
}

} // namespace folio::test
