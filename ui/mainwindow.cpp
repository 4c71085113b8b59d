#include "ui/mainwindow.h"

#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "ui/exportdialog.h"
#include "ui/exportrunner.h"
#include "ui/extractionlauncher.h"
#include "ui/firstrunpanel.h"
#include "ui/jobspanel.h"
#include "ui/jobs/reviewactions.h"
#include "ui/librarypanel.h"
#include "ui/pageview.h"
#include "ui/resultspanel.h"
#include "ui/settings.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"
#include "ui/storededitcommand.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
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

// Q_INIT_RESOURCE must be used outside any namespace; folio_ui is a static library, so its
// resources are not registered unless something asks for them.
static void initFolioResources()
{
    Q_INIT_RESOURCE(folio);
}

namespace folio::ui {

namespace {

    // Items to look at: flagged by a check, or a doubtful read.
    bool needsAttention(extract::Flags flags, const QString& status)
    {
        return status == storage::kReviewFlagged || (flags & ~extract::Flags(extract::Flag::Edited));
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

    m_pageView = new PageView(this);
    m_pageView->setObjectName(QStringLiteral("pageView"));
    m_firstRun = new FirstRunPanel(this);
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_firstRun);
    centralLayout->addWidget(m_pageView, 1);
    setCentralWidget(central);
    const Settings settings = Settings::load();
    m_firstRun->setVisible(settings.modelDir.isEmpty() && !settings.engine.remote());

    m_results = new ResultsPanel(this);
    auto* resultsDock = new QDockWidget(tr("Results"), this);
    resultsDock->setObjectName(QStringLiteral("resultsDock"));
    resultsDock->setWidget(m_results);
    addDockWidget(Qt::RightDockWidgetArea, resultsDock);

    m_jobs = new JobsPanel(this);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    jobsDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);

    auto opened = storage::Library::open(dbPath);
    if (opened) {
        m_library = std::move(*opened);
        const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/thumbnails");
        m_libraryPanel = new LibraryPanel(*m_library, cache, this);
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
    connect(m_pageView, &PageView::deleteRequested, this, &MainWindow::removeBox);
    connect(m_pageView, &PageView::deleteFieldRequested, this, [this](const ReviewItem& item) {
        m_selected = item;
        deleteSelectedField();
    });
    connect(m_pageView, &PageView::acceptRequested, this, [this] { setSelectedReviewStatus(storage::kReviewAccepted); });
    connect(m_pageView, &PageView::renderFailed, this, &MainWindow::showError);
    connect(m_results, &ResultsPanel::itemSelected, this, &MainWindow::onItemSelected);
    connect(m_results, &ResultsPanel::valueEdited, this, &MainWindow::onValueEdited);
    connect(m_firstRun, &FirstRunPanel::settingsRequested, this, &MainWindow::openSettings);

    createActions();
    statusBar()->showMessage(tr("Drop PDF, PNG, JPEG or TIFF files or folders here to add them. F1 lists the shortcuts."));
}

MainWindow::~MainWindow()
{
    cancelJobs();
    // Workers hold their own Library on the same file; let them finish before it goes away.
    for (const auto& w : std::as_const(m_imports)) {
        if (w)
            w->waitForFinished();
    }
    for (const auto& w : std::as_const(m_extractions)) {
        if (w)
            w->waitForFinished();
    }
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

    const auto add = [this](QMenu* menu, const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        connect(a, &QAction::triggered, this, slot);
        menu->addAction(a);
        addAction(a); // window-wide, also with the menu bar hidden
        return a;
    };

    bar->addAction(add(file, tr("&Open…"), {QKeySequence::Open}, [this] { openFiles(); }));
    add(file, tr("&Remove document"), {}, [this] {
        if (const qint64 id = currentDocument())
            removeDocument(id);
    });
    add(file, tr("&Export…"), {QKeySequence(Qt::CTRL | Qt::Key_E)}, [this] { exportResults(); });
    add(file, tr("&Settings…"), {QKeySequence(Qt::CTRL | Qt::Key_Comma)}, [this] { openSettings(); });
    file->addSeparator();
    add(file, tr("&Quit"), {QKeySequence::Quit}, [this] { close(); });

    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts({QKeySequence::Undo});
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    edit->addAction(undo);
    edit->addAction(redo);
    addAction(undo);
    addAction(redo);
    add(edit, tr("&Find in library"), {QKeySequence::Find}, [this] {
        if (m_libraryPanel) {
            m_libraryPanel->searchBox()->setFocus();
            m_libraryPanel->searchBox()->selectAll();
        }
    });

    bar->addSeparator();
    bar->addAction(add(view, tr("Previous page"), {QKeySequence(Qt::Key_PageUp)}, [this] { showPage(m_page - 1); }));
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
    bar->addAction(add(view, tr("Next page"), {QKeySequence(Qt::Key_PageDown)}, [this] { showPage(m_page + 1); }));
    bar->addSeparator();
    bar->addAction(add(view, tr("Zoom out"), {QKeySequence::ZoomOut}, [this] { m_pageView->zoomOut(); }));
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setMinimumWidth(48);
    m_zoomLabel->setAlignment(Qt::AlignCenter);
    bar->addWidget(m_zoomLabel);
    connect(m_pageView, &PageView::zoomChanged, this,
            [this](double z) { m_zoomLabel->setText(QStringLiteral("%1 %").arg(qRound(z * 100))); });
    bar->addAction(add(view, tr("Zoom in"), {QKeySequence::ZoomIn}, [this] { m_pageView->zoomIn(); }));
    bar->addAction(add(view, tr("Fit &width"), {QKeySequence(Qt::Key_W)}, [this] { m_pageView->fitWidth(); }));
    bar->addAction(add(view, tr("Fit &page"), {QKeySequence(Qt::Key_P)}, [this] { m_pageView->fitPage(); }));
    view->addSeparator();
    bar->addSeparator();
    const struct {
        ReviewKind kind;
        QString text;
        Qt::Key key;
        bool on;
    } layers[] = {{ReviewKind::Word, tr("Words"), Qt::Key_1, false},
                  {ReviewKind::Line, tr("Lines"), Qt::Key_2, true},
                  {ReviewKind::Field, tr("Fields"), Qt::Key_3, true},
                  {ReviewKind::Cell, tr("Cells"), Qt::Key_4, true}};
    for (const auto& l : layers) {
        QAction* a = add(view, l.text, {QKeySequence(l.key)}, [] {});
        a->setCheckable(true);
        a->setChecked(l.on);
        a->setToolTip(tr("Show %1 boxes").arg(l.text.toLower()));
        m_pageView->setLayerVisible(l.kind, l.on);
        const ReviewKind kind = l.kind;
        connect(a, &QAction::toggled, m_pageView, [this, kind](bool on) { m_pageView->setLayerVisible(kind, on); });
        bar->addAction(a);
    }
    bar->addSeparator();
    m_drawAction = add(review, tr("&Draw box"), {QKeySequence(Qt::Key_D)}, [] {});
    m_drawAction->setCheckable(true);
    connect(m_drawAction, &QAction::toggled, m_pageView, &PageView::setDrawMode);
    bar->addAction(m_drawAction);
    add(review, tr("Remove box"), {}, [this] { removeBox(m_selected); });
    add(review, tr("Delete field"), {QKeySequence(Qt::CTRL | Qt::Key_Delete)}, [this] { deleteSelectedField(); });
    review->addSeparator();
    add(review, tr("&Extract invoice fields"), {QKeySequence(Qt::CTRL | Qt::Key_R)}, [this] { extractCurrent(QStringLiteral("invoice")); });
    add(review, tr("Extract &tables"), {}, [this] { extractCurrent(QStringLiteral("table")); });
    add(review, tr("Read &text lines"), {}, [this] { extractCurrent(QStringLiteral("ocr")); });
    review->addSeparator();
    bar->addAction(add(review, tr("&Next to review"), {QKeySequence(Qt::Key_N)}, [this] {
        if (!selectNextToReview())
            statusBar()->showMessage(tr("Nothing left to review in this document."), 4000);
    }));
    bar->addAction(add(review, tr("&Accept"), {QKeySequence(Qt::CTRL | Qt::Key_Return)},
                       [this] { setSelectedReviewStatus(storage::kReviewAccepted); }));
    bar->addAction(add(review, tr("&Flag"), {QKeySequence(Qt::Key_F)}, [this] { setSelectedReviewStatus(storage::kReviewFlagged); }));
    bar->addSeparator();
    bar->addAction(undo);
    bar->addAction(redo);

    add(help, tr("&Keyboard shortcuts"), {QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)}, [this] {
        ShortcutsDialog dialog(actions(), this);
        dialog.exec();
    });
    add(help, tr("&About Folio"), {}, [this] {
        QMessageBox::about(this, tr("About Folio"),
                           tr("<b>Folio</b> %1<br>Local document intelligence with Qwen2.5-VL: every value on the page "
                              "it came from.")
                               .arg(QCoreApplication::applicationVersion()));
    });
    updatePageControls();
}

void MainWindow::showError(const QString& message)
{
    m_jobs->addError(message);
    statusBar()->showMessage(message, 8000);
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
    m_results->setResults(m_resultsData);
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
        m_pageView->showPage(m_doc->doc.path, pageIndex, QSizeF(p.widthPt, p.heightPt), p.rotation);
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
                                needsAttention(f.field.flags, f.reviewStatus), fieldTip(f)});
    }
    for (const storage::StoredTable& t : m_resultsData.tables) {
        for (size_t i = 0; i < t.table.cells.size(); ++i) {
            const extract::Cell& c = t.table.cells[i];
            if (c.box.valid() && c.box.page == m_page)
                overlays.push_back({ReviewItem{ReviewKind::Cell, t.cellIds[i]}, boxRect(c.box), c.confidence,
                                    needsAttention(c.flags, t.cellReviewStatus[i]), c.text});
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
    m_results->setResults(m_resultsData);
    rebuildOverlays();
    if (!m_selected.isNull())
        m_results->selectItem(m_selected);
    updateDocumentStatus();
    Q_EMIT resultsReloaded();
}

void MainWindow::updateDocumentStatus()
{
    // A document is reviewed once nothing in it is pending; an undo can make it pending again.
    bool pending = false;
    bool any = !m_resultsData.fields.empty();
    for (const storage::StoredField& f : m_resultsData.fields)
        pending = pending || f.reviewStatus == storage::kReviewPending;
    for (const storage::StoredTable& t : m_resultsData.tables) {
        any = any || !t.cellReviewStatus.empty();
        for (const QString& s : t.cellReviewStatus)
            pending = pending || s == storage::kReviewPending;
    }
    if (!any)
        return;
    const QString status = pending ? QStringLiteral("needs_review") : QStringLiteral("reviewed");
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

QString MainWindow::reviewStatusOf(const ReviewItem& item) const
{
    if (item.kind == ReviewKind::Field) {
        for (const storage::StoredField& f : m_resultsData.fields) {
            if (f.id == item.id)
                return f.reviewStatus;
        }
    } else if (item.kind == ReviewKind::Cell) {
        for (const storage::StoredTable& t : m_resultsData.tables) {
            for (size_t i = 0; i < t.cellIds.size(); ++i) {
                if (t.cellIds[i] == item.id)
                    return t.cellReviewStatus[i];
            }
        }
    }
    return {};
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
    std::vector<ReviewItem> order;
    for (const storage::StoredField& f : m_resultsData.fields)
        order.push_back({ReviewKind::Field, f.id});
    for (const storage::StoredTable& t : m_resultsData.tables) {
        for (qint64 id : t.cellIds)
            order.push_back({ReviewKind::Cell, id});
    }
    const auto current = std::find(order.begin(), order.end(), m_selected);
    const size_t start = current == order.end() ? 0 : size_t(current - order.begin()) + 1;
    for (size_t k = 0; k < order.size(); ++k) {
        const ReviewItem& candidate = order[(start + k) % order.size()];
        if (reviewStatusOf(candidate) == storage::kReviewPending) {
            selectReviewItem(candidate);
            return true;
        }
    }
    return false;
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

void MainWindow::onBoxEdited(const ReviewItem& item, const QRectF&, const QRectF& after)
{
    if (!item.editable() || !m_library)
        return;
    const extract::Box box{m_page, after.left(), after.top(), after.right(), after.bottom()};
    storage::ReviewStore& review = m_library->review();
    m_selected = item;
    pushEdit(item.kind == ReviewKind::Field ? review.updateFieldBox(item.id, box) : review.updateCellBox(item.id, box),
             tr("Move box"));
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
            pushEdit(m_selected.kind == ReviewKind::Field ? review.updateFieldBox(m_selected.id, box)
                                                          : review.updateCellBox(m_selected.id, box),
                     tr("Draw box"));
            return;
        }
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New field"), tr("Field name:"), QLineEdit::Normal, QString(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    extract::Field field;
    field.name = name.trimmed();
    field.box = box;
    field.source = QStringLiteral("user");
    const auto added = review.addField(m_doc->doc.id, pageIndex, field);
    if (added)
        m_selected = ReviewItem{ReviewKind::Field, added->fieldId};
    pushEdit(added ? Result<qint64>(added->editId) : Result<qint64>(makeError(added.error())), tr("Add field"));
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
        m_words.clear();
        m_selected = {};
        m_undo->clear();
        m_pageView->clearPage();
        m_results->clear();
        setWindowTitle(QStringLiteral("Folio"));
        updatePageControls();
    }
    if (m_libraryPanel)
        m_libraryPanel->refresh();
}

void MainWindow::importPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    const Settings settings = Settings::load();
    jobs::ImportOcr ocr;
    ocr.mode = settings.ocrOnImport ? ingest::OcrMode::Auto : ingest::OcrMode::Never;
    if (!settings.ocrLanguages.isEmpty())
        ocr.languages = settings.ocrLanguages;
    jobs::ImportJob job = jobs::startImport(m_dbPath, paths, ocr);
    auto* watcher = new QFutureWatcher<jobs::ImportOutcome>(this);
    connect(watcher, &QFutureWatcher<jobs::ImportOutcome>::resultReadyAt, this, [this, watcher](int index) {
        const jobs::ImportOutcome o = watcher->resultAt(index);
        if (o.status == jobs::ImportOutcome::Status::Failed)
            showError(o.error);
        for (const QString& problem : o.problems)
            showError(problem);
    });
    connect(watcher, &QFutureWatcher<jobs::ImportOutcome>::finished, this, [this, watcher] {
        if (m_libraryPanel)
            m_libraryPanel->refresh();
        // One new document and nothing open yet: show it.
        if (!m_doc && !watcher->isCanceled() && watcher->future().resultCount() == 1) {
            const jobs::ImportOutcome o = watcher->resultAt(0);
            if (o.status != jobs::ImportOutcome::Status::Failed)
                openDocument(o.documentId);
        }
        m_imports.removeAll(watcher);
        watcher->deleteLater();
        Q_EMIT importFinished();
    });
    watcher->setFuture(job.future);
    m_imports.append(watcher);
    m_jobCancels.append(job.cancel);
    m_jobs->addJob(paths.size() == 1 ? tr("Import %1").arg(QFileInfo(paths.first()).fileName())
                                     : tr("Import %n item(s)", nullptr, int(paths.size())),
                   watcher, job.cancel);
}

void MainWindow::extractCurrent(const QString& task)
{
    if (!m_doc || !m_library)
        return;
    const Settings settings = Settings::load();
    if (settings.modelDir.isEmpty() && !settings.engine.remote()) {
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
    ExtractionLaunch job = startExtraction(m_dbPath, id, task, settings);
    auto* watcher = new QFutureWatcher<jobs::PageOutcome>(this);
    connect(watcher, &QFutureWatcher<jobs::PageOutcome>::resultReadyAt, this, [this, watcher](int index) {
        const jobs::PageOutcome o = watcher->resultAt(index);
        if (!o.error.isEmpty())
            showError(o.error);
    });
    connect(watcher, &QFutureWatcher<jobs::PageOutcome>::finished, this, [this, watcher, id] {
        // The job set the status: needs review when something was stored, else as it was.
        if (currentDocument() == id) {
            if (const auto doc = m_library->document(id))
                m_doc->doc.status = doc->doc.status;
            reloadResults();
        }
        if (m_libraryPanel)
            m_libraryPanel->refresh();
        m_extractions.removeAll(watcher);
        watcher->deleteLater();
    });
    watcher->setFuture(job.future);
    m_extractions.append(watcher);
    m_jobCancels.append(job.cancel);
    m_jobs->addJob(tr("Extract %1 (%2)").arg(name, task), watcher, job.cancel);
}

void MainWindow::cancelJobs()
{
    for (const auto& c : std::as_const(m_jobCancels))
        c->store(true);
    m_jobCancels.clear();
    for (const auto& w : std::as_const(m_imports)) {
        if (w)
            w->cancel();
    }
    for (const auto& w : std::as_const(m_extractions)) {
        if (w)
            w->cancel();
    }
}

bool MainWindow::isBusy() const
{
    return m_pageView->isRendering() || (m_libraryPanel && m_libraryPanel->pendingThumbnails() > 0)
           || m_jobs->runningJobs() > 0;
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
    m_firstRun->setVisible(s.modelDir.isEmpty() && !s.engine.remote());
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
