#pragma once
// The tiny fixture model (shared/fixtures/qwen25vl-tiny) loaded module by module, and the
// conversions the reference-tensor tests share (tst_model, tst_speculative).

#include "inference/config.h"
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

inline std::unique_ptr<FixtureModel> loadFixtureModel(const std::string& dir, at::ScalarType dtype)
{
    auto model = std::make_unique<FixtureModel>();
    auto config = inference::ModelConfig::load(dir + "/config.json");
    if (!config)
        qFatal("%s", config.error().c_str());
    model->config = *config;
    auto checkpoint = inference::Checkpoint::open(dir);
    if (!checkpoint)
        qFatal("%s", checkpoint.error().c_str());
    auto weights = inference::Weights::load(*checkpoint, model->config, dtype, at::kCPU);
    if (!weights)
        qFatal("%s", weights.error().c_str());
    model->weights = std::make_unique<inference::Weights>(std::move(*weights));
    model->vision = std::make_unique<inference::VisionEncoder>(model->config.vision, *model->weights);
    model->text = std::make_unique<inference::TextModel>(model->config.text, *model->weights);
    return model;
}

} // namespace folio::test
