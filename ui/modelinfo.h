#pragma once
// ModelInfo: what a model directory holds, read from its config.json, so the settings dialog
// can say "Qwen2.5-VL-7B, bfloat16" or explain what is wrong before any weights are loaded.
// Pure function, any thread.

#include "inference/result.h"

#include <QString>

namespace folio::ui {

struct ModelInfo {
    QString modelType;   // config.json "model_type", e.g. "qwen2_5_vl"
    QString displayName; // e.g. "Qwen2.5-VL-7B"
    int hiddenSize = 0;
    int layers = 0;
    QString dtype;       // "torch_dtype" as written, e.g. "bfloat16"
    bool hasWeights = false; // *.safetensors present
};

// Reads dir/config.json. Errors name the directory or file and say what is missing or wrong:
// no such folder, no config.json, not JSON, not a Qwen2.5-VL model.
Result<ModelInfo> readModelInfo(const QString& dir);

} // namespace folio::ui
