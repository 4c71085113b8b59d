#pragma once
// Why a generation ended. Std-only so engine.h can expose it without libtorch.

namespace folio::inference {

enum class StopReason {
    Eos,       // the model emitted a stop token
    MaxTokens, // max_new_tokens reached
    Cancelled, // the caller's stop flag was set
};

// "eos", "max_tokens", "cancelled"
inline const char* stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::Eos:
        return "eos";
    case StopReason::MaxTokens:
        return "max_tokens";
    case StopReason::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

} // namespace folio::inference
