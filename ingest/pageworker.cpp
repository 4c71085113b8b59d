#include "ingest/pageworker.h"

#include "ingest/pagestream.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <cmath>

namespace folio::ingest {

namespace {

    constexpr int kPollMs = 100;
    constexpr int kExitOutOfMemory = 3; // ingest/pageworker/main.cpp

    QString pageError(const QString& path, int page, const QString& what)
    {
        return QStringLiteral("%1, page %2: %3").arg(path).arg(page + 1).arg(what);
    }

    IngestedPage placeholderPage(int index, const QString& error)
    {
        IngestedPage p;
        p.index = index;
        p.info.sizePt = kPlaceholderPageSizePt;
        p.geometryKnown = false;
        p.error = error;
        return p;
    }

    QString seconds(std::chrono::milliseconds ms)
    {
        return QString::number(double(ms.count()) / 1000.0, 'g', 3);
    }

    // Why a worker that ended without finishing its page ended.
    QString crashReason(QProcess& worker, const PageBudget& budget)
    {
        const QByteArray stderrTail = worker.readAllStandardError().right(4096);
        const bool outOfMemory = (worker.exitStatus() == QProcess::NormalExit && worker.exitCode() == kExitOutOfMemory)
            || stderrTail.contains("Out of memory") || stderrTail.contains("bad_alloc");
        if (outOfMemory)
            return QStringLiteral("reading the page needed more than its memory budget of %1 MB; its text layer was skipped")
                .arg(budget.memoryBytes >> 20);
        if (worker.exitStatus() == QProcess::CrashExit)
            return QStringLiteral("Poppler crashed while reading the page; its text layer was skipped");
        return QStringLiteral("the page reader stopped unexpectedly (exit code %1); its text layer was skipped")
            .arg(worker.exitCode());
    }

} // namespace

QString pageWorkerExecutable()
{
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("folio-pageworker"));
    if (QCoreApplication::instance() && QFileInfo(beside).isExecutable())
        return beside;
#ifdef FOLIO_PAGEWORKER_BUILD_PATH
    if (QFileInfo(QStringLiteral(FOLIO_PAGEWORKER_BUILD_PATH)).isExecutable())
        return QStringLiteral(FOLIO_PAGEWORKER_BUILD_PATH);
#endif
    return {};
}

Result<std::vector<IngestedPage>> readPdfPagesIsolated(const QString& path, const QByteArray& password, int pageCount,
                                                       const PageBudget& budget, const std::atomic<bool>* cancel)
{
    const QString exe = pageWorkerExecutable();
    if (exe.isEmpty())
        return makeError(QStringLiteral("%1: cannot read its pages: the page reader folio-pageworker is missing "
                                        "(it belongs next to the folio program; rebuild or reinstall Folio)")
                             .arg(path)
                             .toStdString());

    std::vector<IngestedPage> pages;
    pages.reserve(size_t(pageCount));
    while (int(pages.size()) < pageCount) {
        const int first = int(pages.size());
        QProcess worker;
        worker.setProgram(exe);
        worker.setArguments({path, QString::number(first), QString::number(budget.memoryBytes)});
        worker.start();
        if (!worker.waitForStarted(30'000))
            return makeError(QStringLiteral("%1: cannot start the page reader %2: %3").arg(path, exe, worker.errorString()).toStdString());
        worker.write(password);
        worker.closeWriteChannel();

        QByteArray buffer;
        QElapsedTimer sinceProgress; // the current page's clock: restarted by every message
        sinceProgress.start();
        std::optional<IngestedPage> current; // the page the worker is on, once it said so
        bool workerDone = false;
        bool draining = false; // the worker has ended: one more pass parses what it wrote last
        while (!workerDone) {
            if (cancel && cancel->load()) {
                worker.kill();
                worker.waitForFinished(5000);
                return makeError(QStringLiteral("%1: cancelled").arg(path).toStdString());
            }
            worker.waitForReadyRead(kPollMs);
            buffer += worker.readAllStandardOutput();
            bool malformed = false;
            while (std::optional<PageMessage> m = takePageMessage(buffer, &malformed)) {
                sinceProgress.restart();
                if (m->kind == PageMessage::Kind::Failed && m->page < 0) {
                    // The worker could not open what the caller just opened: report it for every page left.
                    for (int p = first; p < pageCount; ++p)
                        pages.push_back(placeholderPage(p, QString(m->error)));
                    worker.waitForFinished(5000);
                    return pages;
                }
                if (m->page != int(pages.size())) {
                    malformed = true;
                    break;
                }
                switch (m->kind) {
                case PageMessage::Kind::Started:
                    current = placeholderPage(m->page, {});
                    break;
                case PageMessage::Kind::Geometry:
                    if (current) {
                        current->info = m->info;
                        current->geometryKnown = true;
                    }
                    break;
                case PageMessage::Kind::Done: {
                    // Done carries the words; the geometry came in the page's Geometry message.
                    IngestedPage done = current ? *current : placeholderPage(m->page, {});
                    if (!done.geometryKnown) {
                        malformed = true;
                        break;
                    }
                    done.words = std::move(m->words);
                    pages.push_back(std::move(done));
                    current.reset();
                    break;
                }
                case PageMessage::Kind::Failed: {
                    IngestedPage failed = current ? *current : placeholderPage(m->page, {});
                    failed.error = m->error;
                    pages.push_back(std::move(failed));
                    current.reset();
                    break;
                }
                }
                if (malformed)
                    break;
            }
            if (malformed) {
                worker.kill();
                worker.waitForFinished(5000);
                const int page = int(pages.size());
                pages.push_back(current ? *current : placeholderPage(page, {}));
                pages.back().error = pageError(path, page, QStringLiteral("the page reader sent unreadable data; its text layer was skipped"));
                break;
            }
            if (std::chrono::milliseconds(sinceProgress.elapsed()) > budget.timeout) {
                worker.kill();
                worker.waitForFinished(5000);
                const int page = int(pages.size());
                IngestedPage late = current ? *current : placeholderPage(page, {});
                late.error = pageError(path, page, QStringLiteral("reading the page took longer than its budget of %1 s; "
                                                                  "its text layer was skipped")
                                                       .arg(seconds(budget.timeout)));
                pages.push_back(std::move(late));
                break;
            }
            if (worker.state() == QProcess::NotRunning) {
                if (!draining) {
                    draining = true;
                    continue;
                }
                workerDone = true;
                const int page = int(pages.size());
                if (page < pageCount) {
                    IngestedPage lost = current ? *current : placeholderPage(page, {});
                    lost.error = pageError(path, page, crashReason(worker, budget));
                    pages.push_back(std::move(lost));
                }
            }
        }
    }
    return pages;
}

} // namespace folio::ingest
