// isBlankPage: white and grey-cast noisy scans are blank; a page with one line of text is not.
#include "testregistry.h"

#include "extract/blankpage.h"

#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QTest>

using folio::extract::isBlankPage;

class TstBlankPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void whiteIsBlank()
    {
        QImage page(800, 1100, QImage::Format_RGB32);
        page.fill(Qt::white);
        QVERIFY(isBlankPage(page));
    }

    void greyNoisyScanIsBlank()
    {
        QImage page(800, 1100, QImage::Format_RGB32);
        QRandomGenerator random(7); // fixed seed: the same page every run
        for (int y = 0; y < page.height(); ++y)
            for (int x = 0; x < page.width(); ++x) {
                const int v = 225 + int(random.bounded(8));
                page.setPixel(x, y, qRgb(v, v, v - 4));
            }
        QVERIFY(isBlankPage(page));
    }

    void oneLineOfTextIsNotBlank()
    {
        QImage page(800, 1100, QImage::Format_RGB32);
        page.fill(Qt::white);
        QPainter painter(&page);
        painter.fillRect(QRect(80, 100, 500, 14), Qt::black); // a line of print, as ink
        painter.end();
        QVERIFY(!isBlankPage(page));
    }

    void thresholdIsTheInkFraction()
    {
        QImage page(100, 100, QImage::Format_RGB32);
        page.fill(Qt::white);
        QPainter painter(&page);
        painter.fillRect(QRect(0, 0, 10, 5), Qt::black); // 50 of 10000 pixels = 0.5 %
        painter.end();
        QVERIFY(!isBlankPage(page, 0.001));
        QVERIFY(isBlankPage(page, 0.01));
    }
};

FOLIO_TEST_CLASS(TstBlankPage)
#include "tst_blankpage.moc"
