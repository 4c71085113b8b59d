#pragma once
// HotFolder: watches a folder and hands on each document file that appears in it, once, after
// it has stopped changing, so a file still being copied is not imported half-written (as
// ABBYY's Hot Folder does). A file counts as settled when its size and modification time are
// the same at two checks a settle delay apart. Files already in the folder when watching
// starts count as new; the importer skips what the library already holds (same content).
// QtCore only; lives on the GUI thread, which imports what it hands on.

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace folio::jobs {

class HotFolder : public QObject {
    Q_OBJECT
public:
    explicit HotFolder(QObject* parent = nullptr);

    // Watches `folder` (empty: stops watching); false with *error naming the folder when it
    // is not a readable folder.
    bool setFolder(const QString& folder, QString* error);
    QString folder() const { return m_folder; }
    void setSettleDelay(int ms) { m_settle.setInterval(ms); }

public Q_SLOTS:
    // Looks for files not seen yet (the watcher calls this when the folder changes).
    void rescan();
    // Hands on the files that did not change since the last check (the settle timer calls this).
    void checkSettled();

Q_SIGNALS:
    void filesSettled(const QStringList& paths);

private:
    struct Seen {
        qint64 size = -1;
        qint64 modifiedMs = 0;
    };
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QString m_folder;
    QHash<QString, Seen> m_waiting; // seen, not yet settled
    QSet<QString> m_handedOn;
};

} // namespace folio::jobs
