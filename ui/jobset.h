#pragma once
// JobSet: the background jobs a window has running, of any result type (imports,
// extractions): watches each future on the GUI thread, hands every result and the end of the
// job to the caller's functions, and cancels or waits for all of them at once — one copy of
// that wiring instead of one per kind of job. GUI thread only.

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

namespace folio::ui {

class JobSet : public QObject {
public:
    explicit JobSet(QObject* parent) : QObject(parent) {}

    // Watches `future`; onResult runs for each result as it arrives, onFinished once at the end
    // (after which the watcher is deleted). `cancel`, when given, is set by cancelAll().
    template <typename T>
    QFutureWatcher<T>* watch(const QFuture<T>& future, std::shared_ptr<std::atomic<bool>> cancel,
                             std::function<void(const T&)> onResult, std::function<void(QFutureWatcher<T>*)> onFinished)
    {
        auto* watcher = new QFutureWatcher<T>(this);
        connect(watcher, &QFutureWatcherBase::resultReadyAt, this, [watcher, onResult](int index) {
            if (onResult)
                onResult(watcher->resultAt(index));
        });
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, onFinished] {
            forget(watcher);
            if (onFinished)
                onFinished(watcher);
            watcher->deleteLater();
        });
        m_jobs.append({watcher, std::move(cancel)});
        watcher->setFuture(future);
        return watcher;
    }

    int count() const { return int(m_jobs.size()); }
    // Stops every job (as their Cancel buttons do): the flag for steps inside a job, the future
    // between them.
    void cancelAll();
    // Blocks until every job has ended (workers hold their own Library on the window's file).
    void waitForAll();

private:
    struct Job {
        QPointer<QFutureWatcherBase> watcher;
        std::shared_ptr<std::atomic<bool>> cancel;
    };
    void forget(QFutureWatcherBase* watcher);
    QList<Job> m_jobs;
};

} // namespace folio::ui
