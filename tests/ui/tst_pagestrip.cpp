// The page strip and page rotation in the review window, with real clicks and keys: clicking
// a thumbnail shows that page and the strip highlights the page shown; Ctrl+Right turns the
// page a quarter clockwise, the turn is stored with the page and comes back in a new window;
// the boxes turn with the page and still cover the same printed ink.
// With FOLIO_SCREENSHOT_DIR set, the window with the strip is saved there.
#include "testregistry.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/jobs/documentimporter.h"
#include "ui/mainwindow.h"
#include "ui/pagestrip.h"
#include "ui/pageview.h"

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

namespace {

QString sample(const char* name)
{
    return test::sourceDir() + QStringLiteral("/resources/samples/") + QLatin1String(name);
}

// The share of dark pixels inside `r` of `image`: how much print a box covers.
double inkIn(const QImage& image, const QRect& r)
{
    int dark = 0, all = 0;
    for (int y = std::max(0, r.top()); y <= std::min(image.height() - 1, r.bottom()); ++y)
        for (int x = std::max(0, r.left()); x <= std::min(image.width() - 1, r.right()); ++x) {
            ++all;
            dark += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
        }
    return all ? double(dark) / all : 0;
}

} // namespace

class TstPageStrip : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_scan = 0;    // two pages
    qint64 m_invoice = 0; // one page, a field box over the printed invoice number
    const QRectF m_numberBox{QPointF(0.787, 0.092), QPointF(0.916, 0.105)};
    qint64 m_numberField = 0;

    std::unique_ptr<ui::MainWindow> openWindow()
    {
        auto window = std::make_unique<ui::MainWindow>(m_db);
        window->resize(1400, 900);
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
        m_db = m_dir.filePath(QStringLiteral("strip.sqlite"));
        auto library = storage::Library::open(m_db);
        QVERIFY(library);
        const jobs::ImportOutcome scan = jobs::importDocument(**library, sample("invoice-de-nordlicht-scan-2pages.tiff"));
        QVERIFY2(scan.status == jobs::ImportOutcome::Status::Added, qPrintable(scan.error));
        m_scan = scan.documentId;
        const jobs::ImportOutcome invoice = jobs::importDocument(**library, sample("invoice-de-nordlicht.pdf"));
        QVERIFY2(invoice.status == jobs::ImportOutcome::Status::Added, qPrintable(invoice.error));
        m_invoice = invoice.documentId;
        storage::RunRecord run;
        run.documentId = m_invoice;
        run.task = QStringLiteral("invoice");
        run.modelId = QStringLiteral("test");
        run.rawOutput = QStringLiteral("{}");
        run.status = QStringLiteral("ok");
        extract::PageResult page;
        page.fields = {{QStringLiteral("invoice_number"), QStringLiteral("RE-2026-00417"), QStringLiteral("RE-2026-00417"),
                        extract::Box{0, m_numberBox.left(), m_numberBox.top(), m_numberBox.right(), m_numberBox.bottom()}, 0.97, {},
                        QStringLiteral("model"), {}}};
        QVERIFY((*library)->results().storePageResult(run, page));
        const auto results = (*library)->results().results(m_invoice);
        QVERIFY(results && results->fields.size() == 1);
        m_numberField = results->fields.front().id;
    }

    void clickingAThumbnailShowsItsPage()
    {
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(window->openDocument(m_scan, 0));
        ui::PageStrip* strip = window->pageStrip();
        QVERIFY(strip->isVisible());
        QCOMPARE(strip->count(), 2);
        QCOMPARE(strip->currentRow(), 0);
        QTRY_COMPARE(strip->pendingThumbnails(), 0);
        QVERIFY(!strip->thumbnail(1).isNull());

        QTest::mouseClick(strip->viewport(), Qt::LeftButton, {}, strip->visualItemRect(strip->item(1)).center());
        QCOMPARE(window->currentPage(), 1);
        QCOMPARE(window->pageView()->pageIndex(), 1);
        QCOMPARE(strip->currentRow(), 1);
        // Turning the page another way (PgUp) moves the highlight too.
        window->pageView()->setFocus();
        QTest::keyClick(window.get(), Qt::Key_PageUp);
        QCOMPARE(window->currentPage(), 0);
        QCOMPARE(strip->currentRow(), 0);

        if (const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QTRY_VERIFY(!window->isBusy());
            QVERIFY(window->grab().save(dir + QStringLiteral("/page-strip.png")));
        }
    }

    void rotationIsStoredAndBoxesTurnWithThePage()
    {
        auto window = openWindow();
        QVERIFY(window);
        QVERIFY(window->openDocument(m_invoice, 0));
        ui::PageView* view = window->pageView();
        QTRY_VERIFY(!view->isRendering());
        const ui::ReviewItem number{ui::ReviewKind::Field, m_numberField};
        const QRect before = view->viewportRect(number);
        QVERIFY(!before.isEmpty());
        const QRect pageBefore = view->viewportRectOfBox(QRectF(0, 0, 1, 1));
        QVERIFY(pageBefore.height() > pageBefore.width()); // A4 upright
        // The boxes are drawn over the print; hide them to measure the print itself.
        view->setLayerVisible(ui::ReviewKind::Field, false);
        const double inkBefore = inkIn(view->viewport()->grab().toImage(), before);
        QVERIFY2(inkBefore > 0.02, qPrintable(QString::number(inkBefore)));
        view->setLayerVisible(ui::ReviewKind::Field, true);

        view->setFocus();
        QTest::keyClick(window.get(), Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(view->viewRotation(), 90);
        QTRY_VERIFY(!view->isRendering());
        const QRect page = view->viewportRectOfBox(QRectF(0, 0, 1, 1));
        QVERIFY(page.width() > page.height()); // lying on its side now
        const QRect after = view->viewportRect(number);
        QVERIFY(!after.isEmpty());
        // A quarter turn clockwise: the top-right corner goes to the bottom right, the box
        // becomes tall and narrow.
        const QPointF c = after.center() - page.topLeft();
        QVERIFY2(c.x() / page.width() > 0.85 && c.y() / page.height() > 0.75, qPrintable(QStringLiteral("%1,%2").arg(c.x() / page.width()).arg(c.y() / page.height())));
        QVERIFY(after.height() > after.width());
        view->setLayerVisible(ui::ReviewKind::Field, false);
        const double inkAfter = inkIn(view->viewport()->grab().toImage(), after);
        QVERIFY2(std::abs(inkAfter - inkBefore) < 0.5 * inkBefore, qPrintable(QStringLiteral("%1 vs %2").arg(inkAfter).arg(inkBefore)));
        view->setLayerVisible(ui::ReviewKind::Field, true);
        QTRY_COMPARE(window->pageStrip()->pendingThumbnails(), 0);
        const QImage thumb = window->pageStrip()->thumbnail(0);
        QVERIFY(thumb.width() > thumb.height());

        // Stored: a new window shows it turned; Ctrl+Left turns it back, also stored.
        window.reset();
        window = openWindow();
        QVERIFY(window);
        QVERIFY(window->openDocument(m_invoice, 0));
        QCOMPARE(window->pageView()->viewRotation(), 90);
        QCOMPARE(window->library()->document(m_invoice)->pages[0].viewRotation, 90);
        window->pageView()->setFocus();
        QTest::keyClick(window.get(), Qt::Key_Left, Qt::ControlModifier);
        QTest::keyClick(window.get(), Qt::Key_Left, Qt::ControlModifier);
        QCOMPARE(window->pageView()->viewRotation(), 270);
        QCOMPARE(window->library()->document(m_invoice)->pages[0].viewRotation, 270);
        QTest::keyClick(window.get(), Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(window->library()->document(m_invoice)->pages[0].viewRotation, 0);
    }
};

FOLIO_TEST_CLASS(TstPageStrip)
#include "tst_pagestrip.moc"
