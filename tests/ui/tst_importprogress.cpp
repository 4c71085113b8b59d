// An import in the review window lists each document in the library as soon as it is
// stored, not when the import ends: the test listens to the import's own results, after the
// window does, and at each one the document is listed while the import is still running.
#include "testregistry.h"

#include "ui/jobs/importjob.h"
#include "ui/jobspanel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TstImportProgress : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void documentsAppearAsTheyAreStored()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        const QString samples = test::sourceDir() + QStringLiteral("/resources/samples/");
        ui::MainWindow window(m_dir.filePath(QStringLiteral("import.sqlite")));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* list = window.findChild<QListWidget*>(QStringLiteral("documentList"));
        QVERIFY(list);
        QCOMPARE(list->count(), 0);

        QSignalSpy finished(&window, &ui::MainWindow::importFinished);
        const QStringList files{samples + QStringLiteral("invoice-us-cascade.pdf"), samples + QStringLiteral("price-list-kessler.pdf"),
                                samples + QStringLiteral("invoice-fr-atelier-lumiere.pdf")};
        window.importPaths(files);
        const auto watchers = window.findChildren<QFutureWatcher<jobs::ImportOutcome>*>();
        QCOMPARE(watchers.size(), 1);
        QFutureWatcher<jobs::ImportOutcome>* watcher = watchers.first();
        QStringList listedAtEachResult;
        connect(watcher, &QFutureWatcherBase::resultReadyAt, this, [&](int index) {
            QStringList paths; // each item's tooltip is its document's path
            for (int i = 0; i < list->count(); ++i)
                paths << list->item(i)->toolTip();
            const QString path = watcher->resultAt(index).path;
            const QString stored = QFileInfo(path).completeBaseName();
            listedAtEachResult << QStringLiteral("%1 running=%2 listed=%3")
                                      .arg(stored)
                                      .arg(window.jobsPanel()->runningJobs())
                                      .arg(paths.contains(path) ? QStringLiteral("true") : QStringLiteral("false"));
        });
        QVERIFY(finished.wait(30000));
        QCOMPARE(listedAtEachResult, (QStringList{QStringLiteral("invoice-us-cascade running=1 listed=true"),
                                                  QStringLiteral("price-list-kessler running=1 listed=true"),
                                                  QStringLiteral("invoice-fr-atelier-lumiere running=1 listed=true")}));
        QCOMPARE(list->count(), 3);
    }
};

FOLIO_TEST_CLASS(TstImportProgress)
#include "tst_importprogress.moc"
