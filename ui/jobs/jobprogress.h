#pragma once
// JobProgress: what a background extraction is doing, page by page and token by token, sent
// from its worker thread to the GUI. The worker emits the signals (emitting is thread-safe);
// receivers on the GUI thread get them queued. Every signal carries the time it happened on
// the worker, from `clock` (a monotonic millisecond clock unless a test hands in its own), so
// speeds and ETAs come from when things happened, not from when the GUI got round to them.
// Create it with make(): it is shared with the worker and deleted on its own thread.

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace folio::jobs {

class JobProgress : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    static std::shared_ptr<JobProgress> make(Clock clock = {});

    qint64 now() const { return m_clock(); }

Q_SIGNALS:
    // pageNumber is 1-based within the job; tokenCap is the most tokens the page may take.
    void pageStarted(qint64 atMs, int page, int pageNumber, int pageCount, int tokenCap);
    void tokens(qint64 atMs, int page, int count);
    // status as in PageOutcome ("ok", "truncated", "repetition", "failed", "blank", ...).
    void pageFinished(qint64 atMs, int page, const QString& status, const QStringList& notes);
    // What the job found once every page was read, about `page` (the invoice's checks over all
    // its pages, an embedded e-invoice compared with the model).
    void jobNotes(qint64 atMs, int page, const QStringList& notes);

private:
    explicit JobProgress(Clock clock);
    Clock m_clock;
};

} // namespace folio::jobs
