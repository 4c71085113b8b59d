#pragma once
// Qwen2.5-VL model configuration read from a Hugging Face model folder.
//
// config.json comes in three layouts (spec 1.4): the original flat file, the 4.52–4.57 re-save
// with a duplicated `text_config`, and v5 with `rope_parameters` / `dtype`. Text fields are looked
// up in `text_config` first, then at the top level. Nothing falls back to the transformers class
// defaults (spec 1.5): a required field that is missing is an error naming the field and file.
// Dimensions are cross-checked against the checkpoint shapes when the weights are loaded
// (weights.h).
//
// Plain data; safe to copy and share between threads.

#include "inference/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::inference {

struct ImageProcessorOptions; // inference/imageprocessor.h

struct TextConfig {
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t intermediateSize = 0;
    int64_t numHiddenLayers = 0;
    int64_t numAttentionHeads = 0;
    int64_t numKeyValueHeads = 0;
    int64_t headDim = 0; // hidden_size / num_attention_heads unless the file says otherwise
    double rmsNormEps = 0.0;
    double ropeTheta = 0.0;
    std::vector<int64_t> mropeSection; // frequency pairs per axis (t, h, w); sums to headDim / 2
};

struct VisionConfig {
    int64_t depth = 0;
    int64_t hiddenSize = 0;
    int64_t numHeads = 0;
    int64_t intermediateSize = 0;
    int64_t outHiddenSize = 0;
    int64_t inChannels = 0;
    int64_t patchSize = 0;
    int64_t temporalPatchSize = 0;
    int64_t spatialMergeSize = 0;
    int64_t windowSize = 0; // pixels
    double tokensPerSecond = 0.0;
    std::vector<int64_t> fullattBlockIndexes;
};

struct TokenIds {
    int64_t bos = 0;
    int64_t eos = 0;
    int64_t visionStart = 0;
    int64_t visionEnd = 0;
    int64_t image = 0;
    int64_t video = 0;
};

struct ModelConfig {
    TextConfig text;
    VisionConfig vision;
    TokenIds tokens;
    // Absent in some files; then the checkpoint decides (no lm_head.weight means tied).
    std::optional<bool> tieWordEmbeddings;
    std::string dtype; // torch_dtype / dtype as written ("bfloat16", "float32"), empty if absent

    // Reads `path` (a config.json). Errors name the file and the missing or invalid field.
    static Result<ModelConfig> load(const std::string& path);
    // Same, from JSON text; `origin` names the source in messages.
    static Result<ModelConfig> parse(const std::string& jsonText, const std::string& origin);
};

// generation_config.json: the defaults HF generate() would use for this model. Fields the file
// does not set take transformers' GenerationConfig defaults (greedy, temperature 1, top_k 50,
// top_p 1, no repetition penalty).
struct GenerationDefaults {
    bool doSample = false;
    double temperature = 1.0;
    int64_t topK = 50;
    double topP = 1.0;
    double repetitionPenalty = 1.0;
    std::vector<int64_t> eosTokenIds; // empty when the file names none (use the model's eos)

    static Result<GenerationDefaults> load(const std::string& path);
    static Result<GenerationDefaults> parse(const std::string& jsonText, const std::string& origin);
};

// preprocessor_config.json. The pixel budget is read from size.shortest_edge/longest_edge when
// present (transformers 4.50 honours only those), else from min_pixels/max_pixels; patch,
// merge and temporal sizes and the normalisation mean/std are required.
Result<ImageProcessorOptions> loadImageProcessorOptions(const std::string& path);
Result<ImageProcessorOptions> parseImageProcessorOptions(const std::string& jsonText, const std::string& origin);

} // namespace folio::inference
