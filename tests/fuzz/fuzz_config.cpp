// libFuzzer target: the model folder's JSON files (config.json, generation_config.json,
// preprocessor_config.json). Whatever parses must satisfy the bounds the loader relies on.
#include "inference/config.h"
#include "inference/imageprocessor.h"

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    using namespace folio::inference;
    if (auto c = ModelConfig::parse(text, "config.json")) {
        // What modelParameters() and the layers size from: refused above these by the parser.
        if (c->text.numHiddenLayers > 1024 || c->vision.depth > 1024 || c->text.headDim <= 0
            || c->tokens.image < 0 || c->tokens.image >= c->text.vocabSize)
            std::abort();
    }
    (void)GenerationDefaults::parse(text, "generation_config.json");
    if (auto o = parseImageProcessorOptions(text, "preprocessor_config.json")) {
        if (o->patchSize <= 0 || o->mergeSize <= 0 || o->minPixels <= 0 || o->maxPixels < o->minPixels)
            std::abort();
    }
    return 0;
}
