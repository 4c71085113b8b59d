// An e-invoice dropped on the window with no model configured: imported, opened, and its
// fields shown at once as exact values read by the e-invoice engine.
#include "testregistry.h"

#include "ui/fieldsmodel.h"
#include "ui/mainwindow.h"
#include "ui/resultspanel.h"

#include <QApplication>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TstEInvoiceReview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void droppedEInvoiceShowsItsFields()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("config"))); // no model
        ui::MainWindow window(dir.filePath(QStringLiteral("library.sqlite")));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy finished(&window, &ui::MainWindow::importFinished);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(test::sourceDir() + QStringLiteral("/resources/samples/einvoice/invoice-de-nordlicht_facturx.pdf"))});
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(finished.wait(60000)); // a hang guard, not a speed limit
        // The one new document is opened, its fields listed, and the engine named.
        QTRY_VERIFY(window.currentDocument() > 0);
        const QAbstractItemModel* fields = window.resultsPanel()->fieldsView()->model();
        QCOMPARE(fields->rowCount(), 18);
        QCOMPARE(fields->index(0, ui::FieldsModel::Name).data().toString(), QStringLiteral("invoice_number"));
        QCOMPARE(fields->index(0, ui::FieldsModel::Value).data().toString(), QStringLiteral("RE-2026-00417"));
        auto* engine = window.resultsPanel()->findChild<QLabel*>(QStringLiteral("resultsEngine"));
        QVERIFY(engine && engine->isVisible());
        QVERIFY2(engine->text().contains(QStringLiteral("e-invoice")) && engine->text().contains(QStringLiteral("18 field")), qPrintable(engine->text()));
        QVERIFY(!engine->text().contains(QStringLiteral("model</b>")));
    }
};

FOLIO_TEST_CLASS(TstEInvoiceReview)
#include "tst_einvoicereview.moc"
