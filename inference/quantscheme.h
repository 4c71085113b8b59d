#pragma once
// How the decoder's linear layers are stored: as checkpoint weights in the compute dtype (None),
// or packed at load time into int8 (one scale per output row) or int4 (group-wise) for the
// LinearWeight kernels. Std-only, so engine.h and the Qt layers can name it.

#include "inference/result.h"

#include <string>

namespace folio::inference {

enum class QuantScheme { None, Int8, Int4 };

// "none", "int8", "int4": the spelling of --quant, settings and reports.
inline const char* quantSchemeName(QuantScheme scheme)
{
    switch (scheme) {
    case QuantScheme::None:
        return "none";
    case QuantScheme::Int8:
        return "int8";
    case QuantScheme::Int4:
        return "int4";
    }
    return "unknown";
}

inline Result<QuantScheme> parseQuantScheme(const std::string& name)
{
    for (QuantScheme s : {QuantScheme::None, QuantScheme::Int8, QuantScheme::Int4})
        if (name == quantSchemeName(s))
            return s;
    return makeError("Unknown quantization '" + name + "': use none, int8 or int4.");
}

} // namespace folio::inference
