#include "ui/jobspanel.h"

#include "ui/jobrow.h"

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTime>

namespace folio::ui {

namespace {

    constexpr int kDocumentRole = Qt::UserRole;
    constexpr int kPageRole = Qt::UserRole + 1;

    // What a finished page leaves to look at, in the reviewer's words; empty when nothing.
    QStringList pageNotes(const QString& status, const QStringList& notes)
    {
        QStringList out;
        if (status == u"truncated")
            out << JobsPanel::tr("truncated: the answer reached the token cap, values may be missing");
        else if (status == u"repetition")
            out << JobsPanel::tr("loop cut: the answer repeated itself and the repeated tail was dropped");
        else if (status == u"blank")
            out << JobsPanel::tr("skipped: blank page");
        for (const QString& n : notes)
            if (n.startsWith(QLatin1String("check failed")))
                out << n;
        return out;
    }

} // namespace

JobsPanel::JobsPanel(QWidget* parent) : QWidget(parent)
{
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_clock = [clock] { return clock->elapsed(); };

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_jobsLayout = new QVBoxLayout;
    m_idle = new QLabel(tr("No jobs running."), this);
    m_idle->setEnabled(false);
    m_jobsLayout->addWidget(m_idle);
    layout->addLayout(m_jobsLayout);

    auto* lists = new QHBoxLayout;
    const auto addList = [&](const QString& heading, const QString& name) {
        auto* column = new QVBoxLayout;
        column->addWidget(new QLabel(heading, this));
        auto* list = new QListWidget(this);
        list->setObjectName(name);
        list->setWordWrap(true);
        column->addWidget(list, 1);
        lists->addLayout(column, 1);
        return list;
    };
    m_notes = addList(tr("Pages to look at (click to open)"), QStringLiteral("jobNotes"));
    m_errors = addList(tr("Errors"), QStringLiteral("jobErrors"));
    layout->addLayout(lists, 1);
    connect(m_notes, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        Q_EMIT pageActivated(item->data(kDocumentRole).toLongLong(), item->data(kPageRole).toInt());
    });
}

JobRow* JobsPanel::addJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel,
                          const QString& unit)
{
    auto* row = new JobRow(title, watcher, unit, m_clock, this);
    m_jobsLayout->addWidget(row);
    m_idle->hide();
    ++m_running;
    Q_EMIT runningJobsChanged(m_running);

    QPushButton* cancelButton = row->cancelButton();
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
    return row;
}

JobRow* JobsPanel::addExtractionJob(const QString& title, QFutureWatcherBase* watcher, std::shared_ptr<std::atomic<bool>> cancel,
                                    const std::shared_ptr<jobs::JobProgress>& progress, qint64 documentId,
                                    const QString& documentName)
{
    JobRow* row = addJob(title, watcher, std::move(cancel), tr("pages"));
    connect(progress.get(), &jobs::JobProgress::pageStarted, row,
            [row](qint64 at, int, int number, int count, int cap) { row->pageStarted(at, number, count, cap); });
    connect(progress.get(), &jobs::JobProgress::tokens, row, [row](qint64 at, int, int count) { row->tokens(at, count); });
    connect(progress.get(), &jobs::JobProgress::pageFinished, row, [row](qint64 at, int, const QString& status, const QStringList&) {
        row->pageFinished(at, status);
    });
    // Notes outlive the row: they are for reviewing after the job.
    connect(progress.get(), &jobs::JobProgress::pageFinished, this,
            [this, documentId, documentName](qint64, int page, const QString& status, const QStringList& notes) {
                addNotes(documentId, documentName, page, pageNotes(status, notes));
            });
    connect(progress.get(), &jobs::JobProgress::jobNotes, this,
            [this, documentId, documentName](qint64, int page, const QStringList& notes) { addNotes(documentId, documentName, page, notes); });
    return row;
}

void JobsPanel::addNotes(qint64 documentId, const QString& documentName, int page, const QStringList& notes)
{
    for (const QString& note : notes) {
        const QString text = tr("%1 p.%2: %3").arg(documentName).arg(page + 1).arg(note);
        auto* item = new QListWidgetItem(text, m_notes);
        item->setToolTip(text);
        item->setData(kDocumentRole, documentId);
        item->setData(kPageRole, page);
    }
    m_notes->scrollToBottom();
}

QList<JobRow*> JobsPanel::rows() const
{
    return findChildren<JobRow*>();
}

void JobsPanel::addError(const QString& message)
{
    // Word wrap breaks only at spaces: a zero-width space after each slash lets a long path
    // wrap too instead of running past the edge; the tooltip keeps the message as it was.
    QString shown = message;
    shown.replace(QLatin1Char('/'), QStringLiteral("/\u200b"));
    auto* item = new QListWidgetItem(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), shown), m_errors);
    item->setToolTip(message);
    m_errors->scrollToBottom();
    Q_EMIT errorAdded(message);
}

QStringList JobsPanel::errors() const
{
    QStringList out;
    for (int i = 0; i < m_errors->count(); ++i)
        out << m_errors->item(i)->text().remove(QChar(0x200b));
    return out;
}

QStringList JobsPanel::notes() const
{
    QStringList out;
    for (int i = 0; i < m_notes->count(); ++i)
        out << m_notes->item(i)->text();
    return out;
}

} // namespace folio::ui
