#include "inference/cli/engineargs.h"

namespace folio::inference {

const char* const kEngineArgsUsage = R"(  --dtype auto|bf16|f32     compute dtype (default auto: bf16 on CPUs with AVX512-BF16 or AMX
                            and on CUDA, f32 elsewhere); the choice is printed
  --quant none|int8|int4    decoder weights packed at load time from the checkpoint (default
                            int8: near-lossless, half of bf16's bytes; int4: about a quarter,
                            fastest, less exact; none: the checkpoint's weights as they are)
  --pack-cache DIR          where packed weights are kept (default
                            $XDG_CACHE_HOME/folio/packed, i.e. ~/.cache/folio/packed)
)";

EngineOptions cliEngineDefaults()
{
    EngineOptions o;
    o.dtype = "auto";
    o.quant = QuantScheme::Int8;
    return o;
}

bool applyEngineArg(const std::string& flag, const std::string* value, EngineOptions& options, std::string& error)
{
    if (flag == "--dtype") {
        if (!value || (*value != "auto" && *value != "bf16" && *value != "f32"))
            error = "--dtype needs auto, bf16 or f32";
        else
            options.dtype = *value;
    } else if (flag == "--quant") {
        auto quant = value ? parseQuantScheme(*value) : Result<QuantScheme>(makeError(""));
        if (!quant)
            error = "--quant needs none, int8 or int4";
        else
            options.quant = *quant;
    } else if (flag == "--pack-cache") {
        if (!value || value->empty())
            error = "--pack-cache needs a folder";
        else
            options.packCacheDir = *value;
    } else {
        return false;
    }
    return true;
}

} // namespace folio::inference
