#pragma once
// PageStrip: the pages of the open document as a column of thumbnails beside the page view.
// Thumbnails render on the thread pool (ui/pagerenderer.h thumbnailAsync, cached on disk by
// content hash and page) and are shown turned as the reviewer turned each page. Clicking a
// thumbnail selects that page; the page shown is the current, highlighted one. GUI thread only.

#include <QListWidget>

#include <vector>

namespace folio::ui {

class PageStrip : public QListWidget {
    Q_OBJECT
public:
    PageStrip(const QString& cacheDir, QWidget* parent = nullptr);

    // Shows the pages of a document; viewRotations holds each page's turn (0/90/180/270).
    void setDocument(const QString& path, const QByteArray& sha256Hex, const std::vector<int>& viewRotations);
    void clearDocument();
    void setCurrentPage(int pageIndex);
    void setPageRotation(int pageIndex, int degrees);
    int pendingThumbnails() const { return m_pending; }
    // The thumbnail as shown (turned), null until it has rendered.
    QImage thumbnail(int pageIndex) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void pageSelected(int pageIndex);

private:
    void showThumbnail(int pageIndex);

    QString m_cacheDir;
    quint64 m_generation = 0; // a thumbnail of a document no longer shown is dropped
    int m_pending = 0;
    std::vector<QImage> m_images; // as rendered, unturned
    std::vector<int> m_rotations;
};

} // namespace folio::ui
