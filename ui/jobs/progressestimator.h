#pragma once
// ProgressEstimator: speed and time left of a job from what it measured so far. The caller
// hands in every timestamp (milliseconds on one monotonic clock), so the arithmetic is the
// same in a test with made-up times as in the app with a real clock.
//
// Speed is units done over the time they took (from start to the moment the count last rose);
// time left is the remaining units at that speed, less the time already spent on the unit in
// progress, so a long page does not make the estimate jump back up after every token.

#include <QString>
#include <QtGlobal>

#include <optional>

namespace folio::jobs {

class ProgressEstimator {
public:
    void start(qint64 nowMs, double total);
    void setTotal(double total) { m_total = total; }
    // `done` units are finished at nowMs; a later time with the same count only moves the clock.
    void update(double done, qint64 nowMs);

    double done() const { return m_done; }
    double total() const { return m_total; }
    bool started() const { return m_started; }
    // Units per second; nullopt until a unit is done after some time has passed.
    std::optional<double> perSecond() const;
    // Seconds until `total` at that speed (never negative); nullopt while the speed is unknown.
    std::optional<double> secondsLeft() const;

private:
    bool m_started = false;
    qint64 m_startMs = 0;
    qint64 m_doneAtMs = 0; // when the count last rose
    qint64 m_nowMs = 0;
    double m_done = 0;
    double m_total = 0;
};

// "45 s", "3 min 05 s", "2 h 10 min": short enough for a progress row.
QString formatDuration(double seconds);

} // namespace folio::jobs
