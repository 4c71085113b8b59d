#pragma once
// JobsPanel: the running background jobs (import, later extraction) with a progress bar and a
// Cancel button each, and one list of errors that names file and page — problems are listed
// here, never raised as dialogs. GUI thread only.

#include <QFutureWatcherBase>
#include <QWidget>

#include <atomic>
#include <memory>

class QListWidget;
class QVBoxLayout;
class QLabel;

namespace folio::ui {

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(QWidget* parent = nullptr);

    // Shows a job while `watcher` runs (the panel does not own it). Cancel sets *cancel (when
    // given) and cancels the watcher's future. The row goes away when the job finishes.
    void addJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel);
    int runningJobs() const { return m_running; }

    void addError(const QString& message);
    QStringList errors() const;

    // Compact by default: the page, not the job list, should get the window's height.
    QSize sizeHint() const override { return {480, 120}; }

Q_SIGNALS:
    void runningJobsChanged(int count);
    void errorAdded(const QString& message);

private:
    QVBoxLayout* m_jobsLayout;
    QLabel* m_idle;
    QListWidget* m_errors;
    int m_running = 0;
};

} // namespace folio::ui
