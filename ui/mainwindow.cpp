#include "ui/mainwindow.h"

#include "extract/localengine.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "ui/exportdialog.h"
#include "ui/exportrunner.h"
#include "ui/extractionlauncher.h"
#include "ui/firstrunpanel.h"
#include "ui/hotfoldersettingspanel.h"
#include "ui/jobs/hotfolder.h"
#include "ui/jobset.h"
#include "ui/jobspanel.h"
#include "ui/jobs/boxreread.h"
#include "ui/jobs/boxtext.h"
#include "ui/jobs/invoicerevalidation.h"
#include "ui/jobs/reviewactions.h"
#include "ui/librarypanel.h"
#include "ui/pagestrip.h"
#include "ui/pageview.h"
#include "ui/resultspanel.h"
#include "ui/settings.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutguard.h"
#include "ui/shortcutsdialog.h"
#include "ui/storededitcommand.h"
#include "ui/validationpanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent>

// Q_INIT_RESOURCE must be used outside any namespace; folio_ui is a static library, so its
// resources are not registered unless something asks for them.
static void initFolioResources()
{
    Q_INIT_RESOURCE(folio);
}

namespace folio::ui {

namespace {

    // Lines to look at: flagged by a check, or a doubtful read (fields and cells: ReviewQueue).
    bool needsAttention(extract::Flags flags, const QString& status)
    {
        return status == storage::kReviewFlagged || (flags & ~extract::Flags(extract::Flag::Edited));
    }

    bool needsAttention(ReviewState state)
    {
        return state == ReviewState::NeedsReview || state == ReviewState::Flagged;
    }

    QString fieldTip(const storage::StoredField& f)
    {
        QString tip = QStringLiteral("%1: %2\nconfidence %3 · %4")
                          .arg(f.field.name, f.field.value)
                          .arg(f.field.confidence, 0, 'f', 2)
                          .arg(f.reviewStatus);
        const QStringList flags = extract::flagsToStrings(f.field.flags);
        if (!flags.isEmpty())
            tip += QStringLiteral("\n") + flags.join(QStringLiteral(", "));
        return tip;
    }

} // namespace

MainWindow::MainWindow(const QString& dbPath, QWidget* parent) : QMainWindow(parent), m_dbPath(dbPath)
{
    initFolioResources();
    setWindowTitle(QStringLiteral("Folio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/folio.png")));
    setAcceptDrops(true);
    m_undo = new QUndoStack(this);
    m_jobSet = new JobSet(this);

    m_pageView = new PageView(this);
    m_pageView->setObjectName(QStringLiteral("pageView"));
    m_firstRun = new FirstRunPanel(this);
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_firstRun);
    const QString thumbnails = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/thumbnails");
    m_pageStrip = new PageStrip(thumbnails, this);
    auto* pageRow = new QHBoxLayout;
    pageRow->setSpacing(0);
    pageRow->addWidget(m_pageStrip);
    pageRow->addWidget(m_pageView, 1);
    centralLayout->addLayout(pageRow, 1);
    connect(m_pageStrip, &PageStrip::pageSelected, this, [this](int page) { showPage(page); });
    setCentralWidget(central);
    m_firstRun->setModelConfigured(Settings::load().engineConfigured());

    m_results = new ResultsPanel(this);
    auto* resultsDock = new QDockWidget(tr("Results"), this);
    resultsDock->setObjectName(QStringLiteral("resultsDock"));
    resultsDock->setWidget(m_results);
    addDockWidget(Qt::RightDockWidgetArea, resultsDock);
    m_validation = new ValidationPanel(this);
    auto* checksDock = new QDockWidget(tr("Checks"), this);
    checksDock->setObjectName(QStringLiteral("checksDock"));
    checksDock->setWidget(m_validation);
    addDockWidget(Qt::RightDockWidgetArea, checksDock);
    tabifyDockWidget(resultsDock, checksDock);
    resultsDock->raise();
    connect(m_validation, &ValidationPanel::entryActivated, this, &MainWindow::revealItems);

    m_jobs = new JobsPanel(this);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    jobsDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);

    auto opened = storage::Library::open(dbPath);
    if (opened) {
        m_library = std::move(*opened);
        m_libraryPanel = new LibraryPanel(*m_library, thumbnails, this);
        auto* libraryDock = new QDockWidget(tr("Library"), this);
        libraryDock->setObjectName(QStringLiteral("libraryDock"));
        libraryDock->setWidget(m_libraryPanel);
        addDockWidget(Qt::LeftDockWidgetArea, libraryDock);
        resizeDocks({libraryDock, resultsDock}, {250, 460}, Qt::Horizontal);
        connect(m_libraryPanel, &LibraryPanel::documentActivated, this, [this](qint64 id) { openDocument(id); });
        connect(m_libraryPanel, &LibraryPanel::hitActivated, this, &MainWindow::openSearchHit);
        connect(m_libraryPanel, &LibraryPanel::removeRequested, this, &MainWindow::removeDocument);
        connect(m_libraryPanel, &LibraryPanel::errorOccurred, this, &MainWindow::showError);
        m_libraryPanel->refresh();
    } else {
        showError(QString::fromStdString(opened.error()));
    }
    resizeDocks({jobsDock}, {110}, Qt::Vertical);

    connect(m_pageView, &PageView::itemSelected, this, &MainWindow::onItemSelected);
    connect(m_pageView, &PageView::boxEdited, this, &MainWindow::onBoxEdited);
    connect(m_pageView, &PageView::boxDrawn, this, &MainWindow::onBoxDrawn);
    connect(m_pageView, &PageView::renderFailed, this, &MainWindow::showError);
    connect(m_results, &ResultsPanel::itemSelected, this, &MainWindow::onItemSelected);
    connect(m_results, &ResultsPanel::valueEdited, this, &MainWindow::onValueEdited);
    connect(m_firstRun, &FirstRunPanel::settingsRequested, this, &MainWindow::openSettings);
    m_hotFolder = new jobs::HotFolder(this);
    connect(m_hotFolder, &jobs::HotFolder::filesSettled, this, [this](const QStringList& files) {
        const HotFolderSettings hot = HotFolderSettings::load();
        importPaths(files, hot.extract && Settings::load().engineConfigured() ? hot.task : QString());
    });
    if (m_library)
        applyHotFolder();
    connect(m_jobs, &JobsPanel::pageActivated, this, [this](qint64 documentId, int page) { openDocument(documentId, page); });

    m_bindings = KeyBindings::load();
    m_queue.setThreshold(Settings::load().reviewThreshold);
    new ShortcutGuard(this);
    createActions();
    statusBar()->showMessage(tr("Drop PDF, PNG, JPEG or TIFF files or folders here to add them. F1 lists the shortcuts."));
}

MainWindow::~MainWindow()
{
    cancelJobs();
    // Workers hold their own Library on the same file; let them finish before it goes away.
    m_jobSet->waitForAll();
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* review = menuBar()->addMenu(tr("&Review"));
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);

    // Every action's text and keys come from the binding table (ui/keybindings.h).
    const auto bind = [this](QAction* a, const QString& id) {
        a->setObjectName(id);
        a->setText(KeyBindings::find(id)->text);
        a->setShortcuts(m_bindings.keys(id));
        addAction(a); // window-wide, also with the menu bar hidden
        return a;
    };
    const auto add = [this, bind](QMenu* menu, const QString& id, auto slot) {
        auto* a = bind(new QAction(this), id);
        connect(a, &QAction::triggered, this, slot);
        menu->addAction(a);
        return a;
    };

    bar->addAction(add(file, QStringLiteral("file.open"), [this] { openFiles(); }));
    add(file, QStringLiteral("file.remove"), [this] {
        if (const qint64 id = currentDocument())
            removeDocument(id);
    });
    add(file, QStringLiteral("file.export"), [this] { exportResults(); });
    add(file, QStringLiteral("file.settings"), [this] { openSettings(); });
    file->addSeparator();
    add(file, QStringLiteral("file.quit"), [this] { close(); });

    QAction* undo = bind(m_undo->createUndoAction(this), QStringLiteral("edit.undo"));
    QAction* redo = bind(m_undo->createRedoAction(this), QStringLiteral("edit.redo"));
    edit->addAction(undo);
    edit->addAction(redo);
    add(edit, QStringLiteral("edit.find"), [this] {
        if (m_libraryPanel) {
            m_libraryPanel->searchBox()->setFocus();
            m_libraryPanel->searchBox()->selectAll();
        }
    });

    bar->addSeparator();
    bar->addAction(add(view, QStringLiteral("view.previousPage"), [this] { showPage(m_page - 1); }));
    m_pageSpin = new QSpinBox(this);
    m_pageSpin->setObjectName(QStringLiteral("pageSpin"));
    m_pageSpin->setRange(1, 1);
    m_pageCount = new QLabel(this);
    bar->addWidget(m_pageSpin);
    bar->addWidget(m_pageCount);
    connect(m_pageSpin, &QSpinBox::valueChanged, this, [this](int v) {
        if (m_doc && v - 1 != m_page)
            showPage(v - 1);
    });
    bar->addAction(add(view, QStringLiteral("view.nextPage"), [this] { showPage(m_page + 1); }));
    bar->addSeparator();
    bar->addAction(add(view, QStringLiteral("view.zoomOut"), [this] { m_pageView->zoomOut(); }));
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setMinimumWidth(48);
    m_zoomLabel->setAlignment(Qt::AlignCenter);
    bar->addWidget(m_zoomLabel);
    connect(m_pageView, &PageView::zoomChanged, this,
            [this](double z) { m_zoomLabel->setText(QStringLiteral("%1 %").arg(qRound(z * 100))); });
    bar->addAction(add(view, QStringLiteral("view.zoomIn"), [this] { m_pageView->zoomIn(); }));
    bar->addAction(add(view, QStringLiteral("view.fitWidth"), [this] { m_pageView->fitWidth(); }));
    bar->addAction(add(view, QStringLiteral("view.fitPage"), [this] { m_pageView->fitPage(); }));
    add(view, QStringLiteral("view.rotateClockwise"), [this] { rotatePage(90); });
    add(view, QStringLiteral("view.rotateAnticlockwise"), [this] { rotatePage(-90); });
    view->addSeparator();
    bar->addSeparator();
    const struct {
        ReviewKind kind;
        QString id;
        bool on;
    } layers[] = {{ReviewKind::Word, QStringLiteral("view.words"), false},
                  {ReviewKind::Line, QStringLiteral("view.lines"), true},
                  {ReviewKind::Field, QStringLiteral("view.fields"), true},
                  {ReviewKind::Cell, QStringLiteral("view.cells"), true}};
    for (const auto& l : layers) {
        QAction* a = add(view, l.id, [] {});
        a->setCheckable(true);
        a->setChecked(l.on);
        a->setToolTip(tr("Show %1 boxes").arg(a->text().toLower()));
        m_pageView->setLayerVisible(l.kind, l.on);
        const ReviewKind kind = l.kind;
        connect(a, &QAction::toggled, m_pageView, [this, kind](bool on) { m_pageView->setLayerVisible(kind, on); });
        bar->addAction(a);
    }
    bar->addSeparator();
    m_drawAction = add(review, QStringLiteral("review.draw"), [] {});
    m_drawAction->setCheckable(true);
    connect(m_drawAction, &QAction::toggled, m_pageView, &PageView::setDrawMode);
    bar->addAction(m_drawAction);
    QAction* reread = add(review, QStringLiteral("review.reread"), [this] { rereadSelected(); });
    // Also on the right-click menu of the page and of the grids, for the selected value.
    m_pageView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_pageView->addAction(reread);
    m_results->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_results->addAction(reread);
    add(review, QStringLiteral("review.removeBox"), [this] { removeBox(m_selected); });
    add(review, QStringLiteral("review.deleteField"), [this] { deleteSelectedField(); });
    review->addSeparator();
    add(review, QStringLiteral("review.extractInvoice"), [this] { extractCurrent(QStringLiteral("invoice")); });
    add(review, QStringLiteral("review.extractTables"), [this] { extractCurrent(QStringLiteral("table")); });
    add(review, QStringLiteral("review.readLines"), [this] { extractCurrent(QStringLiteral("ocr")); });
    review->addSeparator();
    bar->addAction(add(review, QStringLiteral("review.next"), [this] { selectNextToReview(); }));
    add(review, QStringLiteral("review.previous"), [this] { selectPreviousToReview(); });
    bar->addAction(add(review, QStringLiteral("review.accept"), [this] { setSelectedReviewStatus(storage::kReviewAccepted); }));
    bar->addAction(add(review, QStringLiteral("review.flag"), [this] { setSelectedReviewStatus(storage::kReviewFlagged); }));
    add(review, QStringLiteral("review.edit"), [this] {
        if (!m_results->editItem(m_selected))
            statusBar()->showMessage(tr("Select a field or table cell to edit."), 4000);
    });
    add(review, QStringLiteral("review.leave"), [this] { leaveInput(); });
    bar->addSeparator();
    bar->addAction(undo);
    bar->addAction(redo);

    add(help, QStringLiteral("help.shortcuts"), [this] {
        ShortcutsDialog dialog(m_bindings, this);
        dialog.exec();
    });
    add(help, QStringLiteral("help.about"), [this] {
        QMessageBox::about(this, tr("About Folio"),
                           tr("<b>Folio</b> %1<br>Local document intelligence with Qwen2.5-VL: every value on the page "
                              "it came from.")
                               .arg(QCoreApplication::applicationVersion()));
    });
    updatePageControls();
}

void MainWindow::applyBindings()
{
    m_bindings = KeyBindings::load();
    for (QAction* a : actions()) {
        if (KeyBindings::find(a->objectName()))
            a->setShortcuts(m_bindings.keys(a->objectName()));
    }
}

void MainWindow::leaveInput()
{
    if (m_drawAction->isChecked()) {
        m_drawAction->setChecked(false);
        return;
    }
    // Back from the search box (or any input) to the review: the grid, or the page without results.
    if (m_results->currentItem().isNull() && m_resultsData.fields.empty() && m_resultsData.tables.empty())
        m_pageView->setFocus();
    else
        m_results->focusGrid();
}

void MainWindow::showError(const QString& message)
{
    m_jobs->addError(message);
    // A long message (a model folder's path) would be cut off at the window's edge: the status
    // bar shows it shortened in the middle, the tooltip and the jobs panel in full.
    statusBar()->showMessage(statusBar()->fontMetrics().elidedText(message.simplified(), Qt::ElideMiddle, std::max(100, statusBar()->width() - 32)), 8000);
    statusBar()->setToolTip(message);
}

bool MainWindow::openDocument(qint64 documentId, int pageIndex)
{
    if (!m_library)
        return false;
    auto detail = m_library->document(documentId);
    if (!detail) {
        showError(QString::fromStdString(detail.error()));
        return false;
    }
    if (!m_doc || m_doc->doc.id != documentId)
        m_undo->clear(); // the stack is per document: undo never reaches into one not shown
    m_doc = std::move(*detail);
    m_selected = {};
    setWindowTitle(QStringLiteral("%1 — Folio").arg(m_doc->doc.fileName));
    if (m_libraryPanel)
        m_libraryPanel->selectDocument(documentId);
    auto results = m_library->results().results(documentId);
    if (results)
        m_resultsData = std::move(*results);
    else {
        m_resultsData = {};
        showError(QString::fromStdString(results.error()));
    }
    m_queue.setResults(m_resultsData);
    m_results->setResults(m_resultsData, m_queue);
    refreshValidation();
    std::vector<int> turns;
    for (const storage::PageSummary& p : m_doc->pages)
        turns.push_back(p.viewRotation);
    m_pageStrip->setDocument(m_doc->doc.path, m_doc->doc.sha256, turns);
    m_page = -1;
    return showPage(pageIndex);
}

bool MainWindow::showPage(int pageIndex)
{
    if (!m_doc)
        return false;
    if (pageIndex < 0 || size_t(pageIndex) >= m_doc->pages.size()) {
        if (m_page < 0)
            showError(tr("%1 has no page %2.").arg(m_doc->doc.path).arg(pageIndex + 1));
        return false;
    }
    if (pageIndex != m_page || m_pageView->path() != m_doc->doc.path) {
        const storage::PageSummary& p = m_doc->pages[size_t(pageIndex)];
        m_page = pageIndex;
        m_pageView->showPage(m_doc->doc.path, pageIndex, QSizeF(p.widthPt, p.heightPt), p.rotation, p.viewRotation);
        auto words = m_library->words(m_doc->doc.id, pageIndex);
        m_words = words ? std::move(words->words) : std::vector<storage::WordRecord>{};
        if (!words)
            showError(QString::fromStdString(words.error()));
        rebuildOverlays();
    }
    updatePageControls();
    return true;
}

void MainWindow::updatePageControls()
{
    const int pages = m_doc ? int(m_doc->pages.size()) : 1;
    const QSignalBlocker block(m_pageSpin);
    m_pageSpin->setRange(1, std::max(1, pages));
    m_pageSpin->setValue(m_page + 1);
    m_pageSpin->setEnabled(m_doc.has_value());
    m_pageCount->setText(tr(" of %1 ").arg(pages));
    m_pageStrip->setCurrentPage(m_doc ? m_page : -1);
}

void MainWindow::rotatePage(int degrees)
{
    if (!m_doc || !m_library || m_page < 0)
        return;
    storage::PageSummary& p = m_doc->pages[size_t(m_page)];
    const int turned = ((p.viewRotation + degrees) % 360 + 360) % 360;
    if (const Result<void> stored = m_library->setPageViewRotation(m_doc->doc.id, m_page, turned); !stored) {
        showError(QString::fromStdString(stored.error()));
        return;
    }
    p.viewRotation = turned;
    m_pageStrip->setPageRotation(m_page, turned);
    // The page and its boxes are shown again, turned; zoom mode and selection stay.
    const ReviewItem selected = m_selected;
    m_pageView->showPage(m_doc->doc.path, m_page, QSizeF(p.widthPt, p.heightPt), p.rotation, turned);
    rebuildOverlays();
    if (!selected.isNull())
        m_pageView->selectItem(selected, true);
}

void MainWindow::openSearchHit(const storage::SearchHit& hit)
{
    if (currentDocument() != hit.documentId ? openDocument(hit.documentId, hit.pageIndex) : showPage(hit.pageIndex))
        m_pageView->setHighlight(hit.box);
}

void MainWindow::rebuildOverlays()
{
    std::vector<PageView::Overlay> overlays;
    for (size_t i = 0; i < m_words.size(); ++i)
        overlays.push_back({ReviewItem{ReviewKind::Word, qint64(i)}, m_words[i].box, 1.0, false, m_words[i].text});
    const auto boxRect = [](const extract::Box& b) { return QRectF(QPointF(b.x0, b.y0), QPointF(b.x1, b.y1)); };
    for (const storage::StoredLine& l : m_resultsData.lines) {
        if (l.line.box.valid() && l.line.box.page == m_page)
            overlays.push_back({ReviewItem{ReviewKind::Line, l.id}, boxRect(l.line.box), l.line.confidence,
                                needsAttention(l.line.flags, l.reviewStatus), l.line.text});
    }
    for (const storage::StoredField& f : m_resultsData.fields) {
        if (f.field.box.valid() && f.field.box.page == m_page)
            overlays.push_back({ReviewItem{ReviewKind::Field, f.id}, boxRect(f.field.box), f.field.confidence,
                                needsAttention(m_queue.state({ReviewKind::Field, f.id})), fieldTip(f)});
    }
    for (const storage::StoredTable& t : m_resultsData.tables) {
        for (size_t i = 0; i < t.table.cells.size(); ++i) {
            const extract::Cell& c = t.table.cells[i];
            if (c.box.valid() && c.box.page == m_page)
                overlays.push_back({ReviewItem{ReviewKind::Cell, t.cellIds[i]}, boxRect(c.box), c.confidence,
                                    needsAttention(m_queue.state({ReviewKind::Cell, t.cellIds[i]})), c.text});
        }
    }
    m_pageView->setOverlays(overlays);
    if (!m_selected.isNull())
        m_pageView->selectItem(m_selected, false);
}

void MainWindow::scheduleReload()
{
    if (m_reloadPending)
        return;
    m_reloadPending = true;
    QTimer::singleShot(0, this, &MainWindow::reloadResults);
}

void MainWindow::reloadResults()
{
    m_reloadPending = false;
    if (!m_doc || !m_library)
        return;
    auto results = m_library->results().results(m_doc->doc.id);
    if (!results) {
        showError(QString::fromStdString(results.error()));
        return;
    }
    m_resultsData = std::move(*results);
    m_queue.setResults(m_resultsData);
    m_results->setResults(m_resultsData, m_queue);
    refreshValidation();
    rebuildOverlays();
    if (!m_selected.isNull())
        m_results->selectItem(m_selected);
    updateDocumentStatus();
    Q_EMIT resultsReloaded();
}

void MainWindow::updateDocumentStatus()
{
    // A document is reviewed once nothing in it is pending; an undo can make it pending again.
    if (m_queue.order().empty())
        return;
    const QString status = m_queue.anyPending() ? QStringLiteral("needs_review") : QStringLiteral("reviewed");
    if (status == m_doc->doc.status)
        return;
    if (const Result<void> set = m_library->setDocumentStatus(m_doc->doc.id, status); !set) {
        showError(QString::fromStdString(set.error()));
        return;
    }
    m_doc->doc.status = status;
    if (m_libraryPanel)
        m_libraryPanel->refresh();
}

std::optional<extract::Box> MainWindow::boxOf(const ReviewItem& item) const
{
    switch (item.kind) {
    case ReviewKind::Field:
        for (const storage::StoredField& f : m_resultsData.fields) {
            if (f.id == item.id)
                return f.field.box;
        }
        break;
    case ReviewKind::Cell:
        for (const storage::StoredTable& t : m_resultsData.tables) {
            for (size_t i = 0; i < t.cellIds.size(); ++i) {
                if (t.cellIds[i] == item.id)
                    return t.table.cells[i].box;
            }
        }
        break;
    case ReviewKind::Line:
        for (const storage::StoredLine& l : m_resultsData.lines) {
            if (l.id == item.id)
                return l.line.box;
        }
        break;
    case ReviewKind::Word:
        break;
    }
    return std::nullopt;
}

void MainWindow::selectReviewItem(const ReviewItem& item)
{
    m_selected = item;
    m_results->selectItem(item);
    const std::optional<extract::Box> box = boxOf(item);
    if (box && box->valid() && box->page != m_page)
        showPage(box->page);
    m_pageView->selectItem(item, true);
}

void MainWindow::refreshValidation()
{
    if (!m_doc || !m_library) {
        m_validation->setEntries({});
        return;
    }
    const auto checks = jobs::checkInvoice(*m_library, m_doc->doc.id);
    const auto runs = m_library->results().runs(m_doc->doc.id);
    if (!checks || !runs) {
        showError(QString::fromStdString(!checks ? checks.error() : runs.error()));
        m_validation->setEntries({});
        return;
    }
    m_validation->setEntries(buildValidationReport(*checks, m_resultsData, *runs));
}

void MainWindow::showValidationPanel()
{
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("checksDock")))
        dock->raise();
}

void MainWindow::revealItems(const std::vector<ReviewItem>& items, int page)
{
    if (items.empty()) {
        if (page >= 0)
            showPage(page);
        return;
    }
    // The first one in the grid; all of them that are on its page among the boxes.
    selectReviewItem(items.front());
    m_pageView->selectItems(items, true);
}

void MainWindow::onItemSelected(const ReviewItem& item)
{
    if (item == m_selected)
        return;
    if (sender() == m_pageView) {
        m_selected = item;
        m_results->selectItem(item);
    } else {
        selectReviewItem(item);
    }
}

bool MainWindow::selectNextToReview()
{
    return selectFromQueue(m_queue.next(m_selected));
}

bool MainWindow::selectPreviousToReview()
{
    return selectFromQueue(m_queue.previous(m_selected));
}

bool MainWindow::selectFromQueue(const std::optional<ReviewItem>& item)
{
    if (!item) {
        statusBar()->showMessage(tr("Nothing left to review in this document."), 4000);
        return false;
    }
    selectReviewItem(*item);
    const int left = m_queue.needingReview();
    statusBar()->showMessage(tr("%n value(s) need review.", nullptr, left), 4000);
    return true;
}

void MainWindow::setSelectedReviewStatus(const QString& status)
{
    if (!m_selected.editable() || !m_library)
        return;
    storage::ReviewStore& review = m_library->review();
    const auto edit = m_selected.kind == ReviewKind::Field ? review.setFieldReviewStatus(m_selected.id, status)
                                                           : review.setCellReviewStatus(m_selected.id, status);
    pushEdit(edit, status == storage::kReviewAccepted ? tr("Accept") : tr("Flag"));
    if (edit && status == storage::kReviewAccepted) {
        // The reviewer's next question is always "what is next?": answer it.
        reloadResults();
        selectNextToReview();
    }
}

void MainWindow::pushEdit(const Result<qint64>& edit, const QString& description)
{
    if (!edit) {
        showError(QString::fromStdString(edit.error()));
        scheduleReload(); // put the boxes and grid back to what storage holds
        return;
    }
    m_undo->push(new StoredEditCommand(*m_library, *edit, description, [this](const QString& error) {
        if (!error.isEmpty())
            showError(error);
        reloadResults();
    }));
    scheduleReload();
}

QString MainWindow::storedValueOf(const ReviewItem& item) const
{
    for (const storage::StoredField& f : m_resultsData.fields)
        if (item.kind == ReviewKind::Field && f.id == item.id)
            return f.field.value;
    for (const storage::StoredTable& t : m_resultsData.tables)
        for (size_t i = 0; i < t.cellIds.size(); ++i)
            if (item.kind == ReviewKind::Cell && t.cellIds[i] == item.id)
                return t.table.cells[i].text;
    return {};
}

void MainWindow::pushBoxWithValue(const ReviewItem& item, const extract::Box& box, const QString& description)
{
    storage::ReviewStore& review = m_library->review();
    // The box says where the value is printed: what the page's words say there becomes the
    // value (re-normalised and re-checked as a typed one), in the same undo step as the box.
    const QString read = box.page == m_page ? jobs::textUnderBox(m_words, QRectF(QPointF(box.x0, box.y0), QPointF(box.x1, box.y1))).text
                                            : QString();
    const bool newValue = !read.isEmpty() && read != storedValueOf(item);
    if (newValue)
        m_undo->beginMacro(description);
    pushEdit(item.kind == ReviewKind::Field ? review.updateFieldBox(item.id, box) : review.updateCellBox(item.id, box),
             description);
    if (newValue) {
        const auto change = jobs::setReviewedValue(*m_library, currentDocument(),
                                                   jobs::ReviewTarget{item.kind == ReviewKind::Cell, item.id, {}}, read);
        pushEdit(change ? Result<qint64>(change->editId) : Result<qint64>(makeError(change.error())), tr("Read value"));
        m_undo->endMacro();
        statusBar()->showMessage(tr("Read from the page: %1").arg(QString(read).replace(QLatin1Char('\n'), QLatin1Char(' '))), 6000);
    }
}

void MainWindow::onBoxEdited(const ReviewItem& item, const QRectF&, const QRectF& after)
{
    if (!item.editable() || !m_library)
        return;
    m_selected = item;
    pushBoxWithValue(item, extract::Box{m_page, after.left(), after.top(), after.right(), after.bottom()}, tr("Move box"));
}

void MainWindow::onBoxDrawn(int pageIndex, const QRectF& r)
{
    if (!m_doc || !m_library)
        return;
    const extract::Box box{pageIndex, r.left(), r.top(), r.right(), r.bottom()};
    storage::ReviewStore& review = m_library->review();
    // A selected value without a place on the page gets the drawn box; otherwise it is a new field.
    if (m_selected.editable()) {
        const std::optional<extract::Box> current = boxOf(m_selected);
        if (current && !current->valid()) {
            pushBoxWithValue(m_selected, box, tr("Draw box"));
            return;
        }
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New field"), tr("Field name:"), QLineEdit::Normal, QString(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    extract::Field field;
    field.name = name.trimmed();
    field.source = QStringLiteral("user");
    const auto added = review.addField(m_doc->doc.id, pageIndex, field);
    if (!added) {
        pushEdit(makeError(added.error()), tr("Add field"));
        return;
    }
    m_selected = ReviewItem{ReviewKind::Field, added->fieldId};
    // Added, then placed: the box reads its value from the words under it; one undo step.
    m_undo->beginMacro(tr("Add field"));
    pushEdit(added->editId, tr("Add field"));
    pushBoxWithValue(m_selected, box, tr("Draw box"));
    m_undo->endMacro();
}

void MainWindow::onValueEdited(const ReviewItem& item, const QString& value, const QString& normalized)
{
    if (!m_library)
        return;
    m_selected = item;
    const bool cell = item.kind != ReviewKind::Field;
    // A typed value is normalised as extraction would and the invoice checked again; a typed
    // normalised form (the grid's second column) is the reviewer's own and stored as it is.
    QString storedValue;
    if (const auto results = m_library->results().results(currentDocument())) {
        for (const storage::StoredField& f : results->fields)
            if (!cell && f.id == item.id)
                storedValue = f.field.value;
        for (const storage::StoredTable& t : results->tables)
            for (size_t i = 0; i < t.cellIds.size(); ++i)
                if (cell && t.cellIds[i] == item.id)
                    storedValue = t.table.cells[i].text;
    }
    if (value == storedValue) {
        storage::ReviewStore& review = m_library->review();
        pushEdit(cell ? review.updateCellValue(item.id, value, normalized) : review.updateFieldValue(item.id, value, normalized),
                 tr("Edit normalised value"));
        return;
    }
    const auto change = jobs::setReviewedValue(*m_library, currentDocument(), jobs::ReviewTarget{cell, item.id, {}}, value);
    pushEdit(change ? Result<qint64>(change->editId) : Result<qint64>(makeError(change.error())), tr("Edit value"));
    if (change && !change->checks.isEmpty())
        statusBar()->showMessage(change->checks.join(QStringLiteral("; ")), 8000);
}

void MainWindow::removeBox(const ReviewItem& item)
{
    if (!item.editable() || !m_library)
        return;
    storage::ReviewStore& review = m_library->review();
    pushEdit(item.kind == ReviewKind::Field ? review.updateFieldBox(item.id, extract::Box{})
                                            : review.updateCellBox(item.id, extract::Box{}),
             tr("Remove box"));
}

void MainWindow::deleteSelectedField()
{
    if (m_selected.kind != ReviewKind::Field || m_selected.isNull() || !m_library)
        return;
    const auto edit = m_library->review().deleteField(m_selected.id);
    m_selected = {};
    pushEdit(edit, tr("Delete field"));
}

void MainWindow::removeDocument(qint64 id)
{
    if (!m_library)
        return;
    const auto doc = m_library->document(id);
    const QString name = doc ? doc->doc.fileName : QString::number(id);
    if (QMessageBox::question(this, tr("Remove document"),
                              tr("Remove %1 and its results and edits from the library? The file itself stays.").arg(name))
        != QMessageBox::Yes)
        return;
    if (const Result<void> removed = m_library->removeDocument(id); !removed) {
        showError(QString::fromStdString(removed.error()));
        return;
    }
    if (currentDocument() == id) {
        m_doc.reset();
        m_resultsData = {};
        m_queue.setResults(m_resultsData);
        m_words.clear();
        m_selected = {};
        m_undo->clear();
        m_pageView->clearPage();
        m_pageStrip->clearDocument();
        m_results->clear();
        m_validation->setEntries({});
        setWindowTitle(QStringLiteral("Folio"));
        updatePageControls();
    }
    if (m_libraryPanel)
        m_libraryPanel->refresh();
}

void MainWindow::importPaths(const QStringList& paths, const QString& extractTask)
{
    if (paths.isEmpty())
        return;
    const Settings settings = Settings::load();
    jobs::ImportOcr ocr;
    ocr.mode = settings.ocrOnImport ? ingest::OcrMode::Auto : ingest::OcrMode::Never;
    if (!settings.ocrLanguages.isEmpty())
        ocr.languages = settings.ocrLanguages;
    jobs::ImportJob job = jobs::startImport(m_dbPath, paths, ocr);
    const std::function<void(const jobs::ImportOutcome&)> onResult = [this, extractTask](const jobs::ImportOutcome& o) {
        if (o.status == jobs::ImportOutcome::Status::Failed)
            showError(o.error);
        for (const QString& problem : o.problems)
            showError(problem);
        // Each document shows in the library as soon as it is stored, not when the import ends.
        if (o.status == jobs::ImportOutcome::Status::Added && m_libraryPanel)
            m_libraryPanel->refresh();
        if (o.status == jobs::ImportOutcome::Status::Added && !extractTask.isEmpty())
            queueExtraction(QueuedExtraction{o.documentId, QFileInfo(o.path).fileName(), extractTask});
    };
    const std::function<void(QFutureWatcher<jobs::ImportOutcome>*)> onFinished = [this](QFutureWatcher<jobs::ImportOutcome>* watcher) {
        if (m_libraryPanel)
            m_libraryPanel->refresh();
        // One new document and nothing open yet: show it.
        if (!m_doc && !watcher->isCanceled() && watcher->future().resultCount() == 1) {
            const jobs::ImportOutcome o = watcher->resultAt(0);
            if (o.status != jobs::ImportOutcome::Status::Failed)
                openDocument(o.documentId);
        }
        Q_EMIT importFinished();
    };
    auto* watcher = m_jobSet->watch(job.future, job.cancel, onResult, onFinished);
    m_jobs->addJob(paths.size() == 1 ? tr("Import %1").arg(QFileInfo(paths.first()).fileName())
                                     : tr("Import %n item(s)", nullptr, int(paths.size())),
                   watcher, job.cancel);
}

void MainWindow::extractCurrent(const QString& task)
{
    if (!m_doc || !m_library)
        return;
    const Settings settings = Settings::load();
    if (!settings.engineConfigured()) {
        m_firstRun->show();
        showError(tr("Extraction needs a model: choose a downloaded Qwen2.5-VL folder or a server in Settings."));
        return;
    }
    const qint64 id = m_doc->doc.id;
    const QString name = m_doc->doc.fileName;
    const Result<bool> reviewed = jobs::hasReviewedWork(*m_library, id);
    if (reviewed && *reviewed
        && QMessageBox::question(this, tr("Run the model again"),
                                 tr("%1 has reviewed values. Run the model again? Your edits, accepted, added and deleted "
                                    "values stay; where the new run reads something else the value is flagged as a "
                                    "conflict with both readings shown.")
                                     .arg(name))
            != QMessageBox::Yes)
        return;
    if (m_libraryPanel)
        m_libraryPanel->refresh();
    extractDocument(id, name, task, settings);
}

void MainWindow::queueExtraction(const QueuedExtraction& next)
{
    m_extractionQueue.append(next);
    if (!m_queueRunning)
        startQueuedExtraction();
}

void MainWindow::startQueuedExtraction()
{
    m_queueRunning = !m_extractionQueue.isEmpty();
    if (!m_queueRunning)
        return;
    const QueuedExtraction next = m_extractionQueue.takeFirst();
    extractDocument(next.id, next.name, next.task, Settings::load(), [this] { startQueuedExtraction(); });
}

void MainWindow::extractDocument(qint64 id, const QString& name, const QString& task, const Settings& settings,
                                 const std::function<void()>& afterwards)
{
    ExtractionLaunch job = startExtraction(m_dbPath, id, task, settings);
    const std::function<void(const jobs::PageOutcome&)> onResult = [this](const jobs::PageOutcome& o) {
        if (!o.error.isEmpty())
            showError(o.error);
    };
    const std::function<void(QFutureWatcher<jobs::PageOutcome>*)> onFinished = [this, id, afterwards](QFutureWatcher<jobs::PageOutcome>*) {
        // The job set the status: needs review when something was stored, else as it was.
        if (currentDocument() == id) {
            if (const auto doc = m_library->document(id))
                m_doc->doc.status = doc->doc.status;
            reloadResults();
        }
        if (m_libraryPanel)
            m_libraryPanel->refresh();
        if (afterwards)
            afterwards();
    };
    auto* watcher = m_jobSet->watch(job.future, job.cancel, onResult, onFinished);
    m_jobs->addExtractionJob(tr("Extract %1 (%2)").arg(name, task), watcher, job.cancel, job.progress, id, name);
}

void MainWindow::rereadSelected()
{
    const extract::Box box = m_selected.editable() ? boxOf(m_selected).value_or(extract::Box{}) : extract::Box{};
    if (!m_doc || !m_library || !box.valid()) {
        statusBar()->showMessage(tr("Select a field or cell with a box on the page to re-read it."), 6000);
        return;
    }
    const Settings settings = Settings::load();
    if (!settings.engineConfigured()) {
        m_firstRun->show();
        showError(tr("Re-reading needs a model: choose a downloaded Qwen2.5-VL folder or a server in Settings."));
        return;
    }
    QString name = tr("table cell");
    for (const storage::StoredField& f : m_resultsData.fields)
        if (m_selected.kind == ReviewKind::Field && f.id == m_selected.id)
            name = f.field.name;
    jobs::BoxRereadRequest request{currentDocument(), box.page, QRectF(QPointF(box.x0, box.y0), QPointF(box.x1, box.y1)),
                                   name, double(settings.renderDpi), settings.maxPixels};
    const ReviewItem item = m_selected;
    const qint64 documentId = currentDocument();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    // Off the GUI thread with its own Library and engine, as an extraction job.
    QFuture<RereadOutcome> future = QtConcurrent::run([dbPath = m_dbPath, settings, request, cancel]() -> RereadOutcome {
        auto library = storage::Library::open(dbPath);
        if (!library)
            return {{}, QString::fromStdString(library.error())};
        auto engine = engineFromSettings(settings, cancel.get());
        if (!engine)
            return {{}, QString::fromStdString(engine.error())};
        const auto reread = jobs::rereadBox(**library, **engine, request, cancel.get());
        return reread ? RereadOutcome{reread->value, {}} : RereadOutcome{{}, QString::fromStdString(reread.error())};
    });
    auto onFinished = [this, item, documentId](QFutureWatcher<RereadOutcome>* watcher) {
        if (watcher->isCanceled() || watcher->future().resultCount() == 0)
            return;
        const RereadOutcome o = watcher->result();
        if (!o.error.isEmpty()) {
            showError(o.error);
        } else if (currentDocument() == documentId && o.value != storedValueOf(item)) {
            // A proposal: the value changes (undoable) and stays pending until the reviewer accepts it.
            selectReviewItem(item);
            const auto change = jobs::setReviewedValue(*m_library, documentId, jobs::ReviewTarget{item.kind == ReviewKind::Cell, item.id, {}},
                                                       o.value);
            pushEdit(change ? Result<qint64>(change->editId) : Result<qint64>(makeError(change.error())), tr("Re-read with the model"));
            statusBar()->showMessage(tr("The model read \u201c%1\u201d: Enter accepts it, Ctrl+Z brings the old value back.").arg(o.value), 10000);
        } else {
            statusBar()->showMessage(tr("The model read the same value again."), 6000);
        }
        Q_EMIT rereadFinished();
    };
    auto* watcher = m_jobSet->watch<RereadOutcome>(future, cancel, {}, onFinished);
    m_jobs->addJob(tr("Re-read %1").arg(name), watcher, cancel);
}

void MainWindow::cancelJobs()
{
    m_extractionQueue.clear();
    m_jobSet->cancelAll();
}

bool MainWindow::isBusy() const
{
    return m_pageView->isRendering() || (m_libraryPanel && m_libraryPanel->pendingThumbnails() > 0)
           || m_pageStrip->pendingThumbnails() > 0 || m_jobs->runningJobs() > 0;
}

void MainWindow::openFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add documents"), QString(),
                                                            tr("Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"));
    importPaths(files);
}

void MainWindow::exportResults()
{
    if (!m_library)
        return;
    QStringList tables;
    for (const storage::StoredTable& t : m_resultsData.tables)
        tables << (t.table.name.isEmpty() ? tr("Table %1").arg(tables.size() + 1) : t.table.name);
    ExportDialog dialog(m_doc ? m_doc->doc.fileName : QString(), tables, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ExportRequest request = dialog.request();
    if (request.path.isEmpty()) {
        showError(tr("Export: no file was chosen."));
        return;
    }
    runExport(*m_library, request, currentDocument()).then(this, [this, path = request.path](const QString& error) {
        if (error.isEmpty())
            statusBar()->showMessage(tr("Exported to %1").arg(path), 8000);
        else
            showError(error);
    });
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(Settings::load(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Settings s = dialog.settings();
    s.save();
    m_firstRun->setModelConfigured(s.engineConfigured());
    applyBindings();
    m_queue.setThreshold(s.reviewThreshold);
    reloadResults();
    applyHotFolder();
}

void MainWindow::applyHotFolder()
{
    const QString folder = HotFolderSettings::load().folder;
    if (folder == m_hotFolder->folder())
        return;
    QString error;
    if (!m_hotFolder->setFolder(folder, &error))
        showError(error);
    else if (!folder.isEmpty())
        statusBar()->showMessage(tr("Watching %1: files copied there are added to the library.").arg(folder), 8000);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    cancelJobs();
    QMainWindow::closeEvent(event);
}

} // namespace folio::ui
