#include "ui/jobs/jobprogress.h"

#include <chrono>

namespace folio::jobs {

JobProgress::JobProgress(Clock clock) : m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = [] {
            return qint64(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
        };
}

std::shared_ptr<JobProgress> JobProgress::make(Clock clock)
{
    // The last owner may be the worker; the object still goes on the thread it lives on.
    return std::shared_ptr<JobProgress>(new JobProgress(std::move(clock)), [](JobProgress* p) { p->deleteLater(); });
}

} // namespace folio::jobs
