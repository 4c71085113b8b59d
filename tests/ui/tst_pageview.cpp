// PageView geometry and input: boxes stored on the unrotated page land where the rotated page
// shows them, drawing on a rotated page gives back an unrotated box, and zoom follows
// Ctrl+wheel and +/-. Expected positions are worked out by hand from the rotation's meaning
// (/Rotate turns the page clockwise).
#include "testregistry.h"

#include "ui/pageview.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace folio;

namespace {

QString samplePdf()
{
    return test::sourceDir() + QStringLiteral("/resources/samples/invoice-de-nordlicht.pdf");
}

// r relative to the page's rectangle, as fractions.
QRectF relative(const QRect& r, const QRect& page)
{
    return QRectF(double(r.left() - page.left()) / page.width(), double(r.top() - page.top()) / page.height(),
                  double(r.width()) / page.width(), double(r.height()) / page.height());
}

} // namespace

class TstPageView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void boxFollowsRotation_data()
    {
        QTest::addColumn<int>("rotation");
        QTest::addColumn<QRectF>("expected"); // the box (0,0)-(0.2,0.1) on the displayed page
        QTest::newRow("0") << 0 << QRectF(QPointF(0, 0), QPointF(0.2, 0.1));
        QTest::newRow("90") << 90 << QRectF(QPointF(0.9, 0), QPointF(1, 0.2));
        QTest::newRow("180") << 180 << QRectF(QPointF(0.8, 0.9), QPointF(1, 1));
        QTest::newRow("270") << 270 << QRectF(QPointF(0, 0.8), QPointF(0.1, 1));
    }
    void boxFollowsRotation()
    {
        QFETCH(int, rotation);
        QFETCH(QRectF, expected);
        ui::PageView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showPage(samplePdf(), 0, QSizeF(100, 200), rotation);
        view.fitPage();
        const ui::ReviewItem item{ui::ReviewKind::Field, 7};
        view.setOverlays({{item, QRectF(QPointF(0, 0), QPointF(0.2, 0.1)), 0.9, false, QString()}});
        const QRect page = view.viewportRectOfBox(QRectF(0, 0, 1, 1));
        // A quarter turn makes the 100 x 200 pt page landscape.
        const bool landscape = rotation == 90 || rotation == 270;
        QCOMPARE(page.width() > page.height(), landscape);
        const QRectF got = relative(view.viewportRect(item), page);
        const double tol = 0.02;
        QVERIFY2(std::abs(got.left() - expected.left()) < tol && std::abs(got.top() - expected.top()) < tol
                     && std::abs(got.right() - expected.right()) < tol && std::abs(got.bottom() - expected.bottom()) < tol,
                 qPrintable(QStringLiteral("%1,%2 - %3,%4").arg(got.left()).arg(got.top()).arg(got.right()).arg(got.bottom())));
    }

    void drawingOnRotatedPageGivesUnrotatedBox()
    {
        ui::PageView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showPage(samplePdf(), 0, QSizeF(100, 200), 90);
        view.fitPage();
        view.setDrawMode(true);
        QSignalSpy drawn(&view, &ui::PageView::boxDrawn);
        const QRect page = view.viewportRectOfBox(QRectF(0, 0, 1, 1));
        // Drag over the displayed top-right corner region: x 0.8..1.0, y 0..0.4 of the page.
        const QPoint from(page.left() + int(page.width() * 0.8), page.top() + 1);
        const QPoint to(page.right(), page.top() + int(page.height() * 0.4));
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view.viewport(), (from + to) / 2);
        QTest::mouseMove(view.viewport(), to);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(drawn.count(), 1);
        QCOMPARE(drawn.at(0).at(0).toInt(), 0);
        const QRectF box = drawn.at(0).at(1).toRectF();
        // Displayed x 0.8..1 is unrotated y 0..0.2; displayed y 0..0.4 is unrotated x 0..0.4.
        QVERIFY2(std::abs(box.left()) < 0.02 && std::abs(box.right() - 0.4) < 0.02 && std::abs(box.top()) < 0.02
                     && std::abs(box.bottom() - 0.2) < 0.02,
                 qPrintable(QStringLiteral("%1,%2 - %3,%4").arg(box.left()).arg(box.top()).arg(box.right()).arg(box.bottom())));
    }

    // The +/- keys are the window's (tst_reviewwindow); here the steps they call.
    void zoomFollowsWheelAndSteps()
    {
        ui::PageView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showPage(samplePdf(), 0, QSizeF(595, 842), 0);
        view.setZoom(1.0);
        const QPointF at(400, 300);
        QWheelEvent up(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
                       Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &up);
        QVERIFY2(view.zoom() > 1.2, qPrintable(QString::number(view.zoom())));
        const double afterWheel = view.zoom();
        view.zoomOut();
        QVERIFY(view.zoom() < afterWheel);
        view.zoomIn();
        QVERIFY(std::abs(view.zoom() - afterWheel) < 1e-9);
        // A plain wheel scrolls instead of zooming.
        QWheelEvent scroll(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                           Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &scroll);
        QVERIFY(std::abs(view.zoom() - afterWheel) < 1e-9);
        // A sharper render follows the zoom once it settles.
        QTRY_VERIFY(!view.isRendering());
    }
};

FOLIO_TEST_CLASS(TstPageView)
#include "tst_pageview.moc"
