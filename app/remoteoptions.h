#pragma once
// The command-line options of the OpenAI-compatible remote engine, shared by `folio extract`
// and `folio bench extract`.

#include "extract/remoteengine.h"

#include <QCommandLineParser>

#include <memory>

namespace folio::app {

// --url, --remote-model, --api-key-env, --concurrency, --timeout.
void addRemoteEngineOptions(QCommandLineParser& parser);

// The engine those options describe; a usage error names the option at fault. The key is read
// from the environment variable named by --api-key-env (never from the command line, where
// other users of the machine could read it).
Result<std::unique_ptr<extract::RemoteEngine>> remoteEngineFromOptions(const QCommandLineParser& parser);

} // namespace folio::app
