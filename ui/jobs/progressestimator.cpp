#include "ui/jobs/progressestimator.h"

#include <algorithm>
#include <cmath>

namespace folio::jobs {

void ProgressEstimator::start(qint64 nowMs, double total)
{
    m_started = true;
    m_startMs = m_doneAtMs = m_nowMs = nowMs;
    m_done = 0;
    m_total = total;
}

void ProgressEstimator::update(double done, qint64 nowMs)
{
    if (!m_started)
        start(nowMs, m_total);
    m_nowMs = std::max(m_nowMs, nowMs);
    if (done > m_done)
        m_doneAtMs = m_nowMs;
    m_done = done;
}

std::optional<double> ProgressEstimator::perSecond() const
{
    const qint64 spentMs = m_doneAtMs - m_startMs;
    if (!m_started || m_done <= 0 || spentMs <= 0)
        return std::nullopt;
    return m_done * 1000.0 / double(spentMs);
}

std::optional<double> ProgressEstimator::secondsLeft() const
{
    const std::optional<double> speed = perSecond();
    if (!speed)
        return std::nullopt;
    const double sinceLastUnit = double(m_nowMs - m_doneAtMs) / 1000.0;
    return std::max(0.0, std::max(0.0, m_total - m_done) / *speed - sinceLastUnit);
}

QString formatDuration(double seconds)
{
    const qint64 s = qint64(std::llround(std::max(0.0, seconds)));
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace folio::jobs
