#include "ui/jobrow.h"

#include <QFutureWatcherBase>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace folio::ui {

JobRow::JobRow(const QString& title, QFutureWatcherBase* watcher, const QString& unit, Clock clock, QWidget* parent)
    : QWidget(parent), m_unit(unit), m_clock(std::move(clock))
{
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto* h = new QHBoxLayout;
    auto* label = new QLabel(title, this);
    label->setObjectName(QStringLiteral("jobTitle"));
    label->setToolTip(title);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 0); // busy until the job knows its size
    m_bar->setFormat(QStringLiteral("%v / %m"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    h->addWidget(label);
    h->addWidget(m_bar, 1);
    h->addWidget(m_cancel);
    v->addLayout(h);
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("jobDetail"));
    m_detail->setWordWrap(true);
    v->addWidget(m_detail);

    connect(watcher, &QFutureWatcherBase::progressRangeChanged, this, [this](int min, int max) {
        m_bar->setRange(min, max);
        m_units.setTotal(max - min);
        showDetail();
    });
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, &JobRow::onProgressValue);
    // What the job is doing inside one step (the page OCR is on), after its title.
    connect(watcher, &QFutureWatcherBase::progressTextChanged, label, [label, title](const QString& text) {
        label->setText(text.isEmpty() ? title : QStringLiteral("%1 — %2").arg(title, text));
    });
    m_units.start(m_clock(), 0);
    showDetail();
}

void JobRow::onProgressValue(int value)
{
    m_bar->setValue(value);
    if (m_pages)
        return; // an extraction's pages are timed by its own events
    m_units.update(value, m_clock());
    showDetail();
}

void JobRow::pageStarted(qint64 atMs, int pageNumber, int pageCount, int tokenCap)
{
    if (!m_pages)
        m_units.start(atMs, pageCount);
    m_pages = true;
    m_units.setTotal(pageCount);
    m_units.update(m_done + m_failed + m_skipped, atMs);
    m_tokens.start(atMs, tokenCap);
    m_pageNumber = pageNumber;
    m_pageCount = pageCount;
    m_tokenCap = tokenCap;
    m_tokenCount = 0;
    m_bar->setRange(0, pageCount);
    showDetail();
}

void JobRow::tokens(qint64 atMs, int count)
{
    m_tokenCount = count;
    m_tokens.update(count, atMs);
    m_units.update(m_done + m_failed + m_skipped, atMs);
    showDetail();
}

void JobRow::pageFinished(qint64 atMs, const QString& status)
{
    if (status == u"failed")
        ++m_failed;
    else if (status == u"blank")
        ++m_skipped;
    else if (status != u"cancelled")
        ++m_done;
    m_units.update(m_done + m_failed + m_skipped, atMs);
    showDetail();
}

QString JobRow::detail() const
{
    return m_detail->text();
}

void JobRow::showDetail()
{
    QStringList parts;
    std::optional<double> left = m_units.secondsLeft();
    bool upperBound = false;
    if (m_pages) {
        parts << tr("page %1 of %2").arg(m_pageNumber).arg(m_pageCount);
        parts << (m_tokenCount == 1 ? tr("1 token") : tr("%1 tokens").arg(m_tokenCount));
        const std::optional<double> speed = m_tokens.perSecond();
        if (speed)
            parts << tr("%1 tokens/s").arg(*speed, 0, 'f', 1);
        // Before a page is finished only the token speed is known: the cap bounds the time.
        if (!left && speed && m_tokenCap > 0) {
            left = (m_tokenCap - m_tokenCount) / *speed + (m_pageCount - m_pageNumber) * m_tokenCap / *speed;
            upperBound = true;
        }
        parts << tr("%1 done, %2 failed, %3 skipped").arg(m_done).arg(m_failed).arg(m_skipped);
    } else if (m_units.total() > 0) {
        parts << tr("%1 of %2 %3").arg(int(m_units.done())).arg(int(m_units.total())).arg(m_unit);
    }
    if (left)
        parts << (upperBound ? tr("at most %1 left").arg(jobs::formatDuration(*left)) : tr("about %1 left").arg(jobs::formatDuration(*left)));
    else if (m_pages || m_units.total() > 0)
        parts << tr("time left: measuring");
    m_detail->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace folio::ui
