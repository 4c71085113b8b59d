// The first-run banner and messages that fit, in the review window with real clicks and keys:
// the banner shows while no model is configured, Dismiss hides it for good (a new window
// does not show it), and asking for an extraction brings it back; a long error naming a wrong
// model folder is shortened to fit the status bar, never cut, with the whole text in its
// tooltip and in the jobs panel.
#include "testregistry.h"

#include "storage/library.h"
#include "ui/firstrunpanel.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobspanel.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"

#include <QApplication>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextLayout>
#include <QTest>

using namespace folio;

class TstFirstRunPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_doc = 0;

    std::unique_ptr<ui::MainWindow> openWindow()
    {
        auto window = std::make_unique<ui::MainWindow>(m_db);
        window->resize(1400, 900); // `folio gui`'s default size
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        QApplication::setActiveWindow(window.get());
        return window;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        QSettings().clear();
        m_db = m_dir.filePath(QStringLiteral("banner.sqlite"));
        auto library = storage::Library::open(m_db);
        QVERIFY(library);
        const jobs::ImportOutcome o = jobs::importDocument(**library, test::sourceDir() + QStringLiteral("/resources/samples/invoice-us-cascade.pdf"));
        QVERIFY2(o.status == jobs::ImportOutcome::Status::Added, qPrintable(o.error));
        m_doc = o.documentId;
    }

    void dismissedBannerStaysDismissed()
    {
        ui::Settings{}.save(); // no model
        auto window = openWindow();
        QVERIFY(window);
        auto* banner = window->findChild<ui::FirstRunPanel*>();
        QVERIFY(banner);
        QVERIFY(banner->isVisible());
        auto* dismiss = banner->findChild<QPushButton*>(QStringLiteral("dismissFirstRun"));
        QVERIFY(dismiss);
        QTest::mouseClick(dismiss, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QVERIFY(ui::FirstRunPanel::dismissed());

        window = openWindow();
        QVERIFY(window);
        banner = window->findChild<ui::FirstRunPanel*>();
        QVERIFY(!banner->isVisible());
        // An extraction needs the model: then it says how to get one again.
        QVERIFY(window->openDocument(m_doc));
        QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(banner->isVisible());
    }

    void wrongModelFolderMessageFits()
    {
        ui::Settings settings;
        // No spaces or hyphens: nothing a word wrap could break at but the slashes.
        settings.modelDir = m_dir.filePath(QStringLiteral("models/downloaded_on_another_computer/copied_over_by_a_colleague/"
                                                          "folders_long_enough_to_run_past/the_edge_of_the_status_bar/"
                                                          "of_a_window_at_its_default_size/Qwen2.5_VL_7B_Instruct"));
        settings.save();
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(window->openDocument(m_doc));
        QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(window->jobsPanel()->runningJobs(), 0, 20000);
        const QStringList errors = window->jobsPanel()->errors();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(settings.modelDir), qPrintable(errors.first()));
        QStatusBar* bar = window->statusBar();
        const QString shown = bar->currentMessage();
        QVERIFY(!shown.isEmpty());
        QVERIFY2(bar->fontMetrics().horizontalAdvance(shown) <= bar->width(), qPrintable(shown));
        QVERIFY2(shown.contains(QChar(0x2026)), qPrintable(shown)); // shortened in the middle, both ends readable
        QVERIFY2(bar->toolTip().contains(settings.modelDir), qPrintable(bar->toolTip()));
        // In the jobs panel the message wraps, its path at the slashes: laid out as the list
        // wraps it (at word breaks), every line fits the list's width; the item is as tall as
        // those lines; its tooltip is the message as it was.
        auto* list = window->jobsPanel()->findChild<QListWidget*>(QStringLiteral("jobErrors"));
        QVERIFY(list && list->count() == 1);
        const int width = list->visualItemRect(list->item(0)).width();
        QVERIFY(width <= list->viewport()->width());
        QTextLayout layout(list->item(0)->text(), list->font());
        QTextOption wrap;
        wrap.setWrapMode(QTextOption::WordWrap);
        layout.setTextOption(wrap);
        layout.beginLayout();
        int lines = 0;
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine(), ++lines) {
            line.setLineWidth(width - 8); // the delegate's text margins
            QVERIFY2(line.naturalTextWidth() <= width - 8, qPrintable(list->item(0)->text().mid(line.textStart(), line.textLength())));
        }
        layout.endLayout();
        QVERIFY(lines >= 2);
        QVERIFY(list->visualItemRect(list->item(0)).height() >= lines * list->fontMetrics().height());
        QVERIFY(list->item(0)->toolTip().contains(settings.modelDir));
    }
};

FOLIO_TEST_CLASS(TstFirstRunPanel)
#include "tst_firstrunpanel.moc"
