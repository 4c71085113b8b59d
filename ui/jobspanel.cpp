#include "ui/jobspanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>

namespace folio::ui {

JobsPanel::JobsPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_jobsLayout = new QVBoxLayout;
    m_idle = new QLabel(tr("No jobs running."), this);
    m_idle->setEnabled(false);
    m_jobsLayout->addWidget(m_idle);
    layout->addLayout(m_jobsLayout);
    layout->addWidget(new QLabel(tr("Errors"), this));
    m_errors = new QListWidget(this);
    m_errors->setObjectName(QStringLiteral("jobErrors"));
    m_errors->setWordWrap(true);
    layout->addWidget(m_errors, 1);
}

void JobsPanel::addJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel)
{
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(title, row);
    auto* bar = new QProgressBar(row);
    bar->setRange(0, 0); // busy until the job knows its size
    bar->setFormat(QStringLiteral("%v / %m"));
    auto* cancelButton = new QPushButton(tr("Cancel"), row);
    cancelButton->setObjectName(QStringLiteral("cancelJob"));
    h->addWidget(label);
    h->addWidget(bar, 1);
    h->addWidget(cancelButton);
    m_jobsLayout->addWidget(row);
    m_idle->hide();
    ++m_running;
    Q_EMIT runningJobsChanged(m_running);

    connect(watcher, &QFutureWatcherBase::progressRangeChanged, bar, &QProgressBar::setRange);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, bar, &QProgressBar::setValue);
    // What the job is doing inside one step (the page OCR is on), after its title.
    connect(watcher, &QFutureWatcherBase::progressTextChanged, label, [label, title](const QString& text) {
        label->setText(text.isEmpty() ? title : QStringLiteral("%1 — %2").arg(title, text));
    });
    connect(cancelButton, &QPushButton::clicked, watcher, [watcher, cancel, cancelButton] {
        if (cancel)
            cancel->store(true);
        watcher->cancel();
        cancelButton->setEnabled(false);
        cancelButton->setText(tr("Cancelling…"));
    });
    connect(watcher, &QFutureWatcherBase::finished, row, [this, row] {
        row->deleteLater();
        --m_running;
        m_idle->setVisible(m_running == 0);
        Q_EMIT runningJobsChanged(m_running);
    });
}

void JobsPanel::addError(const QString& message)
{
    m_errors->addItem(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), message));
    m_errors->scrollToBottom();
    Q_EMIT errorAdded(message);
}

QStringList JobsPanel::errors() const
{
    QStringList out;
    for (int i = 0; i < m_errors->count(); ++i)
        out << m_errors->item(i)->text();
    return out;
}

} // namespace folio::ui
