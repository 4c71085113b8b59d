#pragma once
// LibraryPanel: the documents of the library with page-1 thumbnails (rendered on the thread
// pool and cached on disk, ui/pagerenderer.h) and review status, plus the search box whose
// hits (with snippets) open a page with the hit highlighted. Reads through the GUI thread's
// storage::Library, which the caller owns and keeps alive. GUI thread only.

#include "storage/records.h"

#include <QHash>
#include <QWidget>

#include <vector>

class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QTimer;

namespace folio::storage {
class Library;
}

namespace folio::ui {

class LibraryPanel : public QWidget {
    Q_OBJECT
public:
    LibraryPanel(storage::Library& library, const QString& thumbnailCacheDir, QWidget* parent = nullptr);

    // Re-reads the document list (after an import, a removal or a status change).
    void refresh();
    void selectDocument(qint64 id);
    qint64 currentDocument() const;
    // Thumbnails still being rendered.
    int pendingThumbnails() const { return m_pendingThumbnails; }

    QLineEdit* searchBox() const { return m_search; }
    QListWidget* hitList() const { return m_hits; }
    // Runs the search now (the box runs it a moment after typing stops).
    void runSearch();

Q_SIGNALS:
    void documentActivated(qint64 id);
    void hitActivated(const folio::storage::SearchHit& hit);
    void removeRequested(qint64 id);
    void errorOccurred(const QString& message);

private:
    void requestThumbnail(QListWidgetItem* item, const storage::DocumentSummary& doc);
    void openHit(QListWidgetItem* item);

    storage::Library& m_library;
    QString m_cacheDir;
    QLineEdit* m_search;
    QListWidget* m_docs;
    QListWidget* m_hits;
    QTimer* m_searchDebounce;
    std::vector<storage::SearchHit> m_hitData;
    QHash<QByteArray, QIcon> m_thumbnails; // by content hash
    int m_pendingThumbnails = 0;
};

} // namespace folio::ui
