#pragma once
// JobRow: one running job in the jobs panel: title, a progress bar, a line saying how far it
// is (page and tokens, speed, ETA, pages done / failed / skipped; or files done and ETA for an
// import) and Cancel. Speeds and ETAs come from jobs::ProgressEstimator over the job's own
// timestamps (JobProgress) or, for jobs that only report a count, the panel's clock.
// GUI thread only.

#include "ui/jobs/progressestimator.h"

#include <QWidget>

#include <functional>

class QFutureWatcherBase;
class QLabel;
class QProgressBar;
class QPushButton;

namespace folio::ui {

class JobRow : public QWidget {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    // Follows the watcher's progress (count of units done; `unit` names them, "files").
    JobRow(const QString& title, QFutureWatcherBase* watcher, const QString& unit, Clock clock, QWidget* parent);

    // Page and token progress of an extraction, with the times they happened.
    void pageStarted(qint64 atMs, int pageNumber, int pageCount, int tokenCap);
    void tokens(qint64 atMs, int count);
    void pageFinished(qint64 atMs, const QString& status);

    QString detail() const;
    QPushButton* cancelButton() const { return m_cancel; }

private:
    void onProgressValue(int value);
    void showDetail();

    QString m_unit;
    Clock m_clock;
    QLabel* m_detail;
    QProgressBar* m_bar;
    QPushButton* m_cancel;
    jobs::ProgressEstimator m_units; // pages or files
    jobs::ProgressEstimator m_tokens; // of the page in progress
    bool m_pages = false; // page progress arrives (an extraction)
    int m_pageNumber = 0, m_pageCount = 0, m_tokenCap = 0, m_tokenCount = 0;
    int m_done = 0, m_failed = 0, m_skipped = 0;
};

} // namespace folio::ui
