#pragma once
// Runs the real `folio` executable for the CLI tests and collects what it printed.

#include "testregistry.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace folio::test {

struct FolioRun {
    int exitCode = -1; // -1: it crashed or did not finish
    QByteArray out;
    QString err;
};

inline FolioRun runFolio(const QStringList& args, const QString& workingDirectory = {})
{
    QProcess p;
    p.setWorkingDirectory(workingDirectory);
    p.start(QStringLiteral(FOLIO_EXE), args);
    if (!p.waitForFinished(600000)) // a hang guard, not a speed limit
        return {};
    return FolioRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                    QString::fromUtf8(p.readAllStandardError())};
}

inline QString samplesDir() { return sourceDir() + QStringLiteral("/resources/samples/"); }
inline QString recordingsDir() { return sourceDir() + QStringLiteral("/tests/data/model-outputs/"); }

} // namespace folio::test
