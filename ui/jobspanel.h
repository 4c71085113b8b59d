#pragma once
// JobsPanel: the running background jobs (imports, extractions), one JobRow each with its
// progress, speed, ETA and a Cancel button; the notes extractions leave on pages (truncated,
// loop cut, check failed, skipped), each opening its page when clicked; and one list of errors
// that names file and page — problems are listed here, never raised as dialogs. GUI thread only.

#include "ui/jobs/jobprogress.h"

#include <QFutureWatcherBase>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>

class QListWidget;
class QVBoxLayout;
class QLabel;

namespace folio::ui {

class JobRow;

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(QWidget* parent = nullptr);

    // Shows a job while `watcher` runs (the panel does not own it); its progress counts `unit`.
    // Cancel sets *cancel (when given) and cancels the watcher's future. The row goes away when
    // the job finishes.
    JobRow* addJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel,
                   const QString& unit = tr("files"));
    // An extraction of one document: page and token progress from `progress`, and a note per
    // page that needs a look.
    JobRow* addExtractionJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel,
                             const std::shared_ptr<jobs::JobProgress>& progress, qint64 documentId, const QString& documentName);
    int runningJobs() const { return m_running; }
    QList<JobRow*> rows() const;

    void addError(const QString& message);
    QStringList errors() const;
    QStringList notes() const;

    // The clock that times jobs reporting only a count (imports); tests hand in their own.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    // Compact by default: the page, not the job list, should get the window's height.
    QSize sizeHint() const override { return {480, 140}; }

Q_SIGNALS:
    void runningJobsChanged(int count);
    void errorAdded(const QString& message);
    // A note was clicked: show that page (0-based) of that document.
    void pageActivated(qint64 documentId, int pageIndex);

private:
    void addNotes(qint64 documentId, const QString& documentName, int page, const QStringList& notes);

    QVBoxLayout* m_jobsLayout;
    QLabel* m_idle;
    QListWidget* m_notes;
    QListWidget* m_errors;
    std::function<qint64()> m_clock;
    int m_running = 0;
};

} // namespace folio::ui
