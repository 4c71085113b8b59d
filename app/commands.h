#pragma once

#include <QStringList>

namespace folio::app {

// Each takes the words after its command name and returns the process exit code
// (0 all fine, 1 some inputs failed, 2 usage error).
int runIngestCommand(const QStringList& args);
int runListCommand(const QStringList& args);
int runInfoCommand(const QStringList& args);
int runSearchCommand(const QStringList& args);
int runBenchIngestCommand(const QStringList& args);

} // namespace folio::app
