#include "ui/jobs/hotfolder.h"

#include "ingest/inputfiles.h"

#include <QDateTime>
#include <QFileInfo>

namespace folio::jobs {

namespace {

    constexpr int kDefaultSettleMs = 2000;

} // namespace

HotFolder::HotFolder(QObject* parent) : QObject(parent)
{
    m_settle.setInterval(kDefaultSettleMs);
    m_settle.setSingleShot(true);
    connect(&m_settle, &QTimer::timeout, this, &HotFolder::checkSettled);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &HotFolder::rescan);
}

bool HotFolder::setFolder(const QString& folder, QString* error)
{
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_waiting.clear();
    m_handedOn.clear();
    m_settle.stop();
    m_folder.clear();
    if (folder.isEmpty())
        return true;
    const QFileInfo info(folder);
    if (!info.isDir() || !info.isReadable()) {
        *error = tr("Hot folder %1 is not a readable folder").arg(folder);
        return false;
    }
    m_folder = info.absoluteFilePath();
    if (!m_watcher.addPath(m_folder)) {
        *error = tr("Hot folder %1 cannot be watched (too many watched folders?)").arg(folder);
        m_folder.clear();
        return false;
    }
    rescan();
    return true;
}

void HotFolder::rescan()
{
    if (m_folder.isEmpty())
        return;
    for (const QString& file : ingest::collectInputFiles({m_folder}).files) {
        if (m_handedOn.contains(file) || m_waiting.contains(file))
            continue;
        const QFileInfo info(file);
        m_waiting.insert(file, Seen{info.size(), info.lastModified().toMSecsSinceEpoch()});
    }
    if (!m_waiting.isEmpty() && !m_settle.isActive())
        m_settle.start();
}

void HotFolder::checkSettled()
{
    QStringList settled;
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        const QFileInfo info(it.key());
        if (!info.exists()) { // moved away again before it settled
            it = m_waiting.erase(it);
            continue;
        }
        const Seen now{info.size(), info.lastModified().toMSecsSinceEpoch()};
        if (now.size == it->size && now.modifiedMs == it->modifiedMs && now.size > 0) {
            settled << it.key();
            m_handedOn.insert(it.key());
            it = m_waiting.erase(it);
        } else {
            *it = now; // still being written: look again after another delay
            ++it;
        }
    }
    if (!m_waiting.isEmpty())
        m_settle.start();
    if (!settled.isEmpty()) {
        settled.sort();
        Q_EMIT filesSettled(settled);
    }
}

} // namespace folio::jobs
