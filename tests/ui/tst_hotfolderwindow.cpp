// The hot folder in the review window, from Settings: a file copied into the watched folder
// is listed in the library once it has settled and, with a model configured, extracted with
// the task chosen for the hot folder (the job named for it starts; the model folder here is
// a wrong one, so the job ends with its error — a real model's run is the extraction job's
// own test). Without extraction chosen, it is only imported.
#include "testregistry.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/hotfoldersettingspanel.h"
#include "ui/jobspanel.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TstHotFolderWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_serial = 0;

    // Copies a sample into the watched folder and waits until the window has imported it and
    // every job has ended; returns the document's id (0 on failure).
    qint64 dropAndWait(ui::MainWindow& window, const QString& folder, QStringList* jobTitles)
    {
        connect(window.jobsPanel(), &ui::JobsPanel::runningJobsChanged, this, [&window, jobTitles] {
            for (QLabel* title : window.jobsPanel()->findChildren<QLabel*>(QStringLiteral("jobTitle")))
                if (!jobTitles->contains(title->toolTip()))
                    *jobTitles << title->toolTip();
        });
        const QString target = folder + QStringLiteral("/dropped.pdf");
        if (!QFile::copy(test::sourceDir() + QStringLiteral("/resources/samples/invoice-us-cascade.pdf"), target))
            return 0;
        auto* list = window.findChild<QListWidget*>(QStringLiteral("documentList"));
        if (!QTest::qWaitFor([&] { return list->count() == 1; }, 30000))
            return 0;
        if (!QTest::qWaitFor([&] { return window.jobsPanel()->runningJobs() == 0; }, 60000))
            return 0;
        const auto docs = window.library()->listDocuments();
        return docs && docs->size() == 1 ? docs->front().id : 0;
    }

    QString watchedFolder(bool extract)
    {
        const QString folder = m_dir.filePath(QStringLiteral("hot-%1").arg(++m_serial));
        QDir().mkpath(folder);
        ui::HotFolderSettings hot;
        hot.folder = folder;
        hot.task = QStringLiteral("ocr");
        hot.extract = extract;
        hot.save();
        return folder;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        QSettings().clear();
        ui::Settings settings;
        settings.modelDir = m_dir.filePath(QStringLiteral("no-model-here"));
        settings.save();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void droppedFileIsImportedAndExtractedWithTheChosenTask()
    {
        const QString folder = watchedFolder(true);
        ui::MainWindow window(m_dir.filePath(QStringLiteral("hot-%1.sqlite").arg(m_serial)));
        window.show();
        QStringList jobs;
        const qint64 id = dropAndWait(window, folder, &jobs);
        QVERIFY2(id != 0, qPrintable(window.jobsPanel()->errors().join(QLatin1Char('\n'))));
        QCOMPARE(jobs, (QStringList{QStringLiteral("Import dropped.pdf"), QStringLiteral("Extract dropped.pdf (ocr)")}));
        const QStringList errors = window.jobsPanel()->errors();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("no-model-here")), qPrintable(errors.first()));
    }

    void withoutExtractionItIsOnlyImported()
    {
        const QString folder = watchedFolder(false);
        ui::MainWindow window(m_dir.filePath(QStringLiteral("hot-%1.sqlite").arg(m_serial)));
        window.show();
        QStringList jobs;
        const qint64 id = dropAndWait(window, folder, &jobs);
        QVERIFY(id != 0);
        QCOMPARE(jobs, QStringList{QStringLiteral("Import dropped.pdf")});
        QVERIFY(window.jobsPanel()->errors().isEmpty());
        QVERIFY(window.library()->results().runs(id)->empty());
    }
};

FOLIO_TEST_CLASS(TstHotFolderWindow)
#include "tst_hotfolderwindow.moc"
