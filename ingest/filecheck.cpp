#include "ingest/filecheck.h"

#include <QFile>

#include <sys/stat.h>

namespace folio::ingest {

Result<void> checkRegularFile(const QString& path)
{
    const auto refuse = [&](const char* what) {
        return makeError(QStringLiteral("%1: %2").arg(path, QLatin1String(what)).toStdString());
    };
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return refuse("no such file");
    if (S_ISREG(st.st_mode))
        return {};
    if (S_ISDIR(st.st_mode))
        return refuse("is a folder, not a document");
    if (S_ISFIFO(st.st_mode))
        return refuse("is a named pipe (FIFO), not a document file; Folio reads regular files only");
    if (S_ISSOCK(st.st_mode))
        return refuse("is a socket, not a document file; Folio reads regular files only");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return refuse("is a device, not a document file; Folio reads regular files only");
    return refuse("is not a regular file; Folio reads regular files only");
}

} // namespace folio::ingest
