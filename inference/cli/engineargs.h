#pragma once
// The engine options the commands share (generate, serve, bench generate): --dtype, --quant and
// --pack-cache, parsed and described in one place.

#include "inference/engine.h"

#include <string>

namespace folio::inference {

// The option lines of the usage texts, aligned as theirs.
extern const char* const kEngineArgsUsage;

// EngineOptions with the command line's defaults (--quant int8, --dtype auto).
EngineOptions cliEngineDefaults();

// True if `flag` is one of the shared options; then `value` (null when the flag was last on the
// line) is applied to `options` and `error` says what is wrong with it, or stays empty.
bool applyEngineArg(const std::string& flag, const std::string* value, EngineOptions& options, std::string& error);

} // namespace folio::inference
