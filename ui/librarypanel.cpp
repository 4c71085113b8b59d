#include "ui/librarypanel.h"

#include "storage/library.h"
#include "ui/jobs/searchvalues.h"
#include "ui/pagerenderer.h"

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    constexpr int kThumbnailSide = 96;
    constexpr int kSearchDebounceMs = 250;
    constexpr int kMaxHits = 100;
    constexpr int kIdRole = Qt::UserRole;
    constexpr int kShaRole = Qt::UserRole + 1;

    QString statusLabel(const QString& status)
    {
        if (status == u"needs_review")
            return LibraryPanel::tr("needs review");
        return status; // "ingested", "extracting", "reviewed" read as they are
    }

    QColor statusColor(const QString& status)
    {
        if (status == u"needs_review")
            return QColor(230, 81, 0);
        if (status == u"reviewed")
            return QColor(46, 125, 50);
        if (status == u"extracting")
            return QColor(21, 101, 192);
        return QColor();
    }

} // namespace

LibraryPanel::LibraryPanel(storage::Library& library, const QString& thumbnailCacheDir, QWidget* parent)
    : QWidget(parent), m_library(library), m_cacheDir(thumbnailCacheDir)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setPlaceholderText(tr("Search the library (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_docs = new QListWidget(split);
    m_docs->setObjectName(QStringLiteral("documentList"));
    m_docs->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    m_docs->setSpacing(2);
    m_docs->setWordWrap(true);
    m_docs->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* remove = new QAction(tr("Remove from library"), m_docs);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    m_docs->addAction(remove);
    connect(remove, &QAction::triggered, this, [this] {
        if (const qint64 id = currentDocument())
            Q_EMIT removeRequested(id);
    });
    m_hits = new QListWidget(split);
    m_hits->setObjectName(QStringLiteral("searchHits"));
    m_hits->setWordWrap(true);
    m_hits->hide();
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(kSearchDebounceMs);
    connect(m_searchDebounce, &QTimer::timeout, this, &LibraryPanel::runSearch);
    connect(m_search, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &LibraryPanel::runSearch);
    connect(m_docs, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item)
            Q_EMIT documentActivated(item->data(kIdRole).toLongLong());
    });
    connect(m_hits, &QListWidget::itemActivated, this, &LibraryPanel::openHit);
    connect(m_hits, &QListWidget::itemClicked, this, &LibraryPanel::openHit);
}

void LibraryPanel::refresh()
{
    const qint64 current = currentDocument();
    const auto docs = m_library.listDocuments();
    if (!docs) {
        Q_EMIT errorOccurred(QString::fromStdString(docs.error()));
        return;
    }
    const QSignalBlocker block(m_docs);
    m_docs->clear();
    for (const storage::DocumentSummary& d : *docs) {
        auto* item = new QListWidgetItem(m_docs);
        item->setText(QStringLiteral("%1\n%2 · %3")
                          .arg(d.title.isEmpty() ? d.fileName : d.title)
                          .arg(d.pageCount == 1 ? tr("1 page") : tr("%1 pages").arg(d.pageCount))
                          .arg(statusLabel(d.status)));
        item->setToolTip(d.path);
        item->setData(kIdRole, d.id);
        item->setData(kShaRole, d.sha256);
        if (const QColor c = statusColor(d.status); c.isValid())
            item->setForeground(c);
        requestThumbnail(item, d);
        if (d.id == current)
            m_docs->setCurrentItem(item);
    }
}

void LibraryPanel::requestThumbnail(QListWidgetItem* item, const storage::DocumentSummary& doc)
{
    if (const auto it = m_thumbnails.constFind(doc.sha256); it != m_thumbnails.cend()) {
        item->setIcon(*it);
        return;
    }
    // A blank page stands in until the render arrives.
    QPixmap placeholder(kThumbnailSide * 3 / 4, kThumbnailSide);
    placeholder.fill(Qt::white);
    item->setIcon(QIcon(placeholder));
    ++m_pendingThumbnails;
    const QByteArray sha = doc.sha256;
    thumbnailAsync(doc.path, sha, kThumbnailSide, m_cacheDir).then(this, [this, sha](const RenderedPage& r) {
        --m_pendingThumbnails;
        if (r.image.isNull()) {
            Q_EMIT errorOccurred(tr("Thumbnail: %1").arg(r.error));
            return;
        }
        const QIcon icon(QPixmap::fromImage(r.image));
        m_thumbnails.insert(sha, icon);
        for (int i = 0; i < m_docs->count(); ++i) {
            if (m_docs->item(i)->data(kShaRole).toByteArray() == sha)
                m_docs->item(i)->setIcon(icon);
        }
    });
}

void LibraryPanel::selectDocument(qint64 id)
{
    for (int i = 0; i < m_docs->count(); ++i) {
        if (m_docs->item(i)->data(kIdRole).toLongLong() == id) {
            const QSignalBlocker block(m_docs);
            m_docs->setCurrentRow(i);
            return;
        }
    }
}

qint64 LibraryPanel::currentDocument() const
{
    const QListWidgetItem* item = m_docs->currentItem();
    return item ? item->data(kIdRole).toLongLong() : 0;
}

void LibraryPanel::runSearch()
{
    m_searchDebounce->stop();
    m_hits->clear();
    m_hitData.clear();
    const QString text = m_search->text().trimmed();
    m_hits->setVisible(!text.isEmpty());
    if (text.isEmpty())
        return;
    // FTS5 answers in milliseconds even for large libraries, so it runs right here.
    const auto hits = m_library.search(jobs::searchQuery(text), kMaxHits);
    if (!hits) {
        Q_EMIT errorOccurred(QString::fromStdString(hits.error()));
        return;
    }
    m_hitData = *hits;
    for (const storage::SearchHit& h : m_hitData) {
        auto* item = new QListWidgetItem(m_hits);
        item->setText(QStringLiteral("%1 · p. %2 · %3\n%4")
                          .arg(QFileInfo(h.path).fileName())
                          .arg(h.pageIndex + 1)
                          .arg(h.label(), h.snippet));
    }
    if (m_hitData.empty())
        m_hits->addItem(tr("No matches for “%1”.").arg(text));
}

void LibraryPanel::openHit(QListWidgetItem* item)
{
    const int row = m_hits->row(item);
    if (row >= 0 && size_t(row) < m_hitData.size())
        Q_EMIT hitActivated(m_hitData[size_t(row)]);
}

} // namespace folio::ui
