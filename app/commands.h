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
int runBenchDraftCommand(const QStringList& args);
int runBenchExtractCommand(const QStringList& args);
int runExtractCommand(const QStringList& args);
int runShowCommand(const QStringList& args);
int runReparseCommand(const QStringList& args);
int runExportCommand(const QStringList& args);
int runReviewCommand(const QStringList& args);
int runOcrCommand(const QStringList& args);
int runBenchOcrCommand(const QStringList& args);
// Qwen2.5-VL directly (the Qt-free implementations shared with folio-infer).
int runInferenceCommand(const QString& command, const QStringList& args);

} // namespace folio::app
