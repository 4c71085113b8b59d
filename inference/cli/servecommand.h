#pragma once
// `serve`: an OpenAI-compatible HTTP server over the EngineService (POST /v1/chat/completions,
// streamed or not, GET /v1/models, GET /health). Qt-free, so a GPU server without Qt runs it
// through folio-infer; the app's `folio serve` runs the same function.

#include <iosfwd>
#include <string>
#include <vector>

namespace folio::inference {

// Blocks until SIGINT/SIGTERM. Prints "listening on http://HOST:PORT/v1" on `out` once ready.
int runServeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace folio::inference
