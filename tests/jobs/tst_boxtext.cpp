// textUnderBox: which stored words a drawn box takes, and in what order.
#include "testregistry.h"

#include "ui/jobs/boxtext.h"

#include <QTest>

using namespace folio;

namespace {

storage::WordRecord word(const char* text, double x0, double y0, double x1, double y1, int line)
{
    storage::WordRecord w;
    w.text = QString::fromUtf8(text);
    w.box = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    w.lineIndex = line;
    return w;
}

// Two printed lines: "Total 1.255,45" and "EUR", stored out of reading order.
std::vector<storage::WordRecord> page()
{
    return {word("1.255,45", 0.60, 0.10, 0.70, 0.12, 0), word("Total", 0.40, 0.10, 0.50, 0.12, 0),
            word("EUR", 0.60, 0.13, 0.65, 0.15, 1)};
}

} // namespace

class TstBoxText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsTheWordsInside_data()
    {
        QTest::addColumn<QRectF>("box");
        QTest::addColumn<QString>("text");
        QTest::newRow("one word") << QRectF(QPointF(0.59, 0.095), QPointF(0.71, 0.125)) << QStringLiteral("1.255,45");
        QTest::newRow("a line, in reading order") << QRectF(QPointF(0.39, 0.095), QPointF(0.71, 0.125))
                                                  << QStringLiteral("Total 1.255,45");
        QTest::newRow("two lines") << QRectF(QPointF(0.59, 0.095), QPointF(0.71, 0.155)) << QStringLiteral("1.255,45\nEUR");
        QTest::newRow("more than half of a word") << QRectF(QPointF(0.62, 0.09), QPointF(0.80, 0.13))
                                                  << QStringLiteral("1.255,45");
        QTest::newRow("less than half of a word") << QRectF(QPointF(0.66, 0.09), QPointF(0.80, 0.13)) << QString();
        QTest::newRow("drawn right to left") << QRectF(QPointF(0.71, 0.125), QPointF(0.59, 0.095)) << QStringLiteral("1.255,45");
        QTest::newRow("blank paper") << QRectF(0.1, 0.5, 0.2, 0.1) << QString();
    }
    void readsTheWordsInside()
    {
        QFETCH(QRectF, box);
        QFETCH(QString, text);
        QCOMPARE(jobs::textUnderBox(page(), box).text, text);
    }
};

FOLIO_TEST_CLASS(TstBoxText)
#include "tst_boxtext.moc"
