#include "ingest/inputfiles.h"

#include "ingest/filetype.h"

#include <QDirIterator>
#include <QFileInfo>

namespace folio::ingest {

InputFiles collectInputFiles(const QStringList& paths)
{
    InputFiles out;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            out.errors << QStringLiteral("%1: no such file or folder").arg(path);
            continue;
        }
        if (!info.isDir()) {
            out.files << path;
            continue;
        }
        QStringList found;
        const QStringList suffixes = supportedSuffixes();
        QDirIterator it(path, QDir::Files | QDir::Readable | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString file = it.next();
            if (suffixes.contains(QFileInfo(file).suffix().toLower())) // scans often come as .PDF / .JPG
                found << file;
        }
        found.sort();
        out.files << found;
    }
    return out;
}

} // namespace folio::ingest
