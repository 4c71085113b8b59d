#include "ingest/inputfiles.h"

#include "ingest/filetype.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace folio::ingest {

namespace {

    bool isInside(const QString& canonical, const QString& root)
    {
        return canonical == root || canonical.startsWith(root.endsWith(QLatin1Char('/')) ? root : root + QLatin1Char('/'));
    }

    struct FolderWalk {
        QString root; // canonical path of the folder the user named
        bool followLinks = false;
        QStringList suffixes = supportedSuffixes();
        QSet<QString> visited; // canonical folders already walked
        QStringList found;
        QStringList skipped;

        void walk(const QString& folder)
        {
            const QString real = QFileInfo(folder).canonicalFilePath();
            if (real.isEmpty() || visited.contains(real))
                return;
            visited.insert(real);
            const QFileInfoList entries = QDir(folder).entryInfoList(
                QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable, QDir::Name);
            for (const QFileInfo& entry : entries) {
                if (entry.isSymLink()) {
                    const QString target = entry.canonicalFilePath();
                    if (target.isEmpty())
                        continue; // a dangling link leads nowhere
                    if (!followLinks && !isInside(target, root)) {
                        skipped << QStringLiteral("%1: skipped: it is a link to %2, outside the folder %3 "
                                                  "(use --follow-links to import it)")
                                       .arg(entry.filePath(), target, root);
                        continue;
                    }
                }
                if (entry.isDir())
                    walk(entry.filePath());
                else if (entry.isFile() && suffixes.contains(entry.suffix().toLower())) // scans often come as .PDF / .JPG
                    found << entry.filePath();
            }
        }
    };

} // namespace

InputFiles collectInputFiles(const QStringList& paths, bool followLinks)
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
        FolderWalk walk;
        walk.root = info.canonicalFilePath();
        walk.followLinks = followLinks;
        walk.walk(path);
        walk.found.sort();
        out.files << walk.found;
        out.skipped << walk.skipped;
    }
    return out;
}

} // namespace folio::ingest
