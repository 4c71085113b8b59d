#pragma once
// MainWindow: the review app. Library and search on the left, the page with its boxes in the
// middle, the results grids on the right, jobs and errors at the bottom.
//
// It owns the GUI thread's storage::Library (background jobs open their own) and the undo
// stack of review edits; every edit is written to storage at once (ReviewStore) and pushed as
// a StoredEditCommand, so Ctrl+Z / Ctrl+Shift+Z step through storage's edit history.
// Files and folders dropped on the window are imported on the thread pool (ui/jobs/importjob.h).
// GUI thread only.

#include "storage/library.h"
#include "ui/jobs/extractionjob.h"
#include "ui/jobs/importjob.h"
#include "ui/keybindings.h"
#include "ui/reviewitem.h"
#include "ui/reviewqueue.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QSpinBox;
class QUndoStack;

namespace folio::jobs {
class HotFolder;
}

namespace folio::ui {

class FirstRunPanel;
class JobSet;
class JobsPanel;
class LibraryPanel;
class PageStrip;
class PageView;
class ResultsPanel;
class ValidationPanel;
struct Settings;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Opens (or creates) the library at dbPath; a library that cannot be opened is reported
    // in the jobs panel's error list and the window stays usable for nothing but that message.
    explicit MainWindow(const QString& dbPath, QWidget* parent = nullptr);
    ~MainWindow() override;

    storage::Library* library() const { return m_library.get(); }

    // Shows a document at a page (0-based); false (with the reason in the error list) when
    // there is no such document or page.
    bool openDocument(qint64 documentId, int pageIndex = 0);
    bool showPage(int pageIndex);
    void openSearchHit(const storage::SearchHit& hit);
    qint64 currentDocument() const { return m_doc ? m_doc->doc.id : 0; }
    int currentPage() const { return m_page; }

    // Imports files and folders in the background; importFinished() follows. With a task, each
    // new document is then extracted with it (the hot folder's choice).
    void importPaths(const QStringList& paths, const QString& extractTask = {});

    // Selects an item in the grid and on the page (turning to its page) and scrolls it into view.
    void selectReviewItem(const ReviewItem& item);
    ReviewItem selectedItem() const { return m_selected; }
    // Selects the next (previous) field or cell needing review in the review queue's order
    // (ui/reviewqueue.h), after (before) the selected one; false when none.
    bool selectNextToReview();
    bool selectPreviousToReview();
    const ReviewQueue& reviewQueue() const { return m_queue; }
    void setSelectedReviewStatus(const QString& status);

    // Page renders, thumbnails or jobs still running (a screenshot waits for these).
    bool isBusy() const;

    PageView* pageView() const { return m_pageView; }
    PageStrip* pageStrip() const { return m_pageStrip; }
    // Turns the shown page in the viewer by `degrees` (a multiple of 90, + clockwise) and stores
    // the turn with the page.
    void rotatePage(int degrees);
    ResultsPanel* resultsPanel() const { return m_results; }
    ValidationPanel* validationPanel() const { return m_validation; }
    // Brings the Checks dock in front of the results.
    void showValidationPanel();
    LibraryPanel* libraryPanel() const { return m_libraryPanel; }
    JobsPanel* jobsPanel() const { return m_jobs; }
    QUndoStack* undoStack() const { return m_undo; }
    // Cancels every running job (as the Cancel buttons do).
    void cancelJobs();

Q_SIGNALS:
    void importFinished();
    void rereadFinished();
    void resultsReloaded();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    // Applies the key bindings from Settings to the actions (after a remap).
    void applyBindings();
    // Esc: leaves draw mode, or the search box back to the review.
    void leaveInput();
    bool selectFromQueue(const std::optional<ReviewItem>& item);
    void showError(const QString& message);
    // Re-reads the document's results and words from storage and redraws grid and boxes.
    void reloadResults();
    // Reloads once control is back in the event loop: edits arrive from inside item and
    // editor event handlers whose objects a reload would delete.
    void scheduleReload();
    void rebuildOverlays();
    // Runs the invoice checks on what is stored (writing nothing) for the Checks panel.
    void refreshValidation();
    // Selects the values a check involves (grid: the first; page: all on its page).
    void revealItems(const std::vector<ReviewItem>& items, int page);
    std::optional<extract::Box> boxOf(const ReviewItem& item) const;
    void pushEdit(const Result<qint64>& edit, const QString& description);
    void onItemSelected(const ReviewItem& item);
    QString storedValueOf(const ReviewItem& item) const;
    // Stores a new box for a field or cell and, when the page's words under it read something
    // else than its value, that text as its new value (one undo step).
    void pushBoxWithValue(const ReviewItem& item, const extract::Box& box, const QString& description);
    void onBoxEdited(const ReviewItem& item, const QRectF& before, const QRectF& after);
    void onBoxDrawn(int pageIndex, const QRectF& box);
    void onValueEdited(const ReviewItem& item, const QString& value, const QString& normalized);
    void removeBox(const ReviewItem& item);
    void deleteSelectedField();
    void removeDocument(qint64 id);
    void openFiles();
    void openSettings();
    void exportResults();
    // Extracts the shown document with the model from Settings, as a job with progress and cancel.
    void extractCurrent(const QString& task);
    // Asks the model from Settings for the selected value again, from its box only
    // (jobs/boxreread.h), in the background; the answer becomes a pending edit to accept.
    void rereadSelected();
    struct RereadOutcome {
        QString value;
        QString error;
    };
    // `afterwards` runs once the job has ended, whatever became of it.
    void extractDocument(qint64 id, const QString& name, const QString& task, const Settings& settings,
                         const std::function<void()>& afterwards = {});
    // Hot-folder documents are extracted one after another: each extraction loads its own engine.
    struct QueuedExtraction {
        qint64 id = 0;
        QString name;
        QString task;
    };
    void queueExtraction(const QueuedExtraction& next);
    void startQueuedExtraction();
    // Watches the hot folder from Settings (or stops watching).
    void applyHotFolder();
    void updatePageControls();
    void updateDocumentStatus();

    QString m_dbPath;
    std::unique_ptr<storage::Library> m_library;
    std::optional<storage::DocumentDetail> m_doc;
    storage::DocumentResults m_resultsData;
    std::vector<storage::WordRecord> m_words; // of the shown page
    int m_page = 0;
    ReviewItem m_selected;
    ReviewQueue m_queue;
    KeyBindings m_bindings;
    bool m_reloadPending = false;

    QUndoStack* m_undo;
    LibraryPanel* m_libraryPanel = nullptr;
    PageView* m_pageView;
    PageStrip* m_pageStrip;
    ResultsPanel* m_results;
    ValidationPanel* m_validation;
    JobsPanel* m_jobs;
    FirstRunPanel* m_firstRun;
    QSpinBox* m_pageSpin = nullptr;
    QLabel* m_pageCount = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QAction* m_drawAction = nullptr;
    JobSet* m_jobSet; // imports and extractions
    jobs::HotFolder* m_hotFolder = nullptr;
    QList<QueuedExtraction> m_extractionQueue;
    bool m_queueRunning = false;
};

} // namespace folio::ui
