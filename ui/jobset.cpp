#include "ui/jobset.h"

namespace folio::ui {

void JobSet::cancelAll()
{
    for (const Job& job : std::as_const(m_jobs)) {
        if (job.cancel)
            job.cancel->store(true);
        if (job.watcher)
            job.watcher->cancel();
    }
}

void JobSet::waitForAll()
{
    for (const Job& job : std::as_const(m_jobs))
        if (job.watcher)
            job.watcher->waitForFinished();
}

void JobSet::forget(QFutureWatcherBase* watcher)
{
    m_jobs.removeIf([watcher](const Job& job) { return job.watcher == watcher; });
}

} // namespace folio::ui
