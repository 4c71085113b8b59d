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
    // Parameter counts from config.json's sizes (0 where it lacks them): what --quant packs.
    qint64 decoderMatrixParams = 0; // q/k/v/o and gate/up/down of every layer
    qint64 vocabParams = 0;         // the embedding, and lm_head when not tied
    qint64 otherParams = 0;         // vision tower, norms, biases: kept in the compute dtype

    // Bytes the weights take in memory under a quantization ("none", "int8", "int4"; the
    // compute dtype bf16), as Folio packs them: int8 1 byte per parameter, int4 0.5625 (groups of
    // 32 with a 2-byte scale), the embedding and lm_head int8 under both. 0 when the sizes are
    // unknown.
    qint64 weightBytes(const QString& quant) const;
};

// Reads dir/config.json. Errors name the directory or file and say what is missing or wrong:
// no such folder, no config.json, not JSON, not a Qwen2.5-VL model.
Result<ModelInfo> readModelInfo(const QString& dir);

} // namespace folio::ui
