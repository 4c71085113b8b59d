// ProgressEstimator with made-up timestamps: speed from what was measured, time left that
// counts the time already spent on the unit in progress, nothing claimed before anything is
// measured, and the short duration texts the jobs panel shows.
#include "testregistry.h"

#include "ui/jobs/progressestimator.h"

#include <QTest>

using folio::jobs::ProgressEstimator;

class TstProgressEstimator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void unknownUntilSomethingIsMeasured()
    {
        ProgressEstimator e;
        QVERIFY(!e.perSecond());
        QVERIFY(!e.secondsLeft());
        e.start(1000, 10);
        QVERIFY(!e.secondsLeft());
        e.update(0, 5000); // time passes, nothing done
        QVERIFY(!e.perSecond());
        QVERIFY(!e.secondsLeft());
    }

    void speedAndTimeLeft_data()
    {
        QTest::addColumn<double>("total");
        QTest::addColumn<double>("done");
        QTest::addColumn<qint64>("doneAtMs");
        QTest::addColumn<qint64>("nowMs");
        QTest::addColumn<double>("perSecond");
        QTest::addColumn<double>("secondsLeft");
        // Started at t = 0 every time.
        QTest::newRow("2 of 10 pages in 20 s") << 10.0 << 2.0 << qint64(20000) << qint64(20000) << 0.1 << 80.0;
        QTest::newRow("5 s into the next page") << 10.0 << 2.0 << qint64(20000) << qint64(25000) << 0.1 << 75.0;
        QTest::newRow("next page overdue") << 10.0 << 9.0 << qint64(9000) << qint64(30000) << 1.0 << 0.0;
        QTest::newRow("40 tokens in 10 s") << 512.0 << 40.0 << qint64(10000) << qint64(10000) << 4.0 << 118.0;
        QTest::newRow("all done") << 3.0 << 3.0 << qint64(3000) << qint64(3000) << 1.0 << 0.0;
    }
    void speedAndTimeLeft()
    {
        QFETCH(double, total);
        QFETCH(double, done);
        QFETCH(qint64, doneAtMs);
        QFETCH(qint64, nowMs);
        QFETCH(double, perSecond);
        QFETCH(double, secondsLeft);
        ProgressEstimator e;
        e.start(0, total);
        e.update(done, doneAtMs);
        e.update(done, nowMs); // the count did not rise: only the clock moves
        QVERIFY(e.perSecond());
        QCOMPARE(*e.perSecond(), perSecond);
        QVERIFY(e.secondsLeft());
        QCOMPARE(*e.secondsLeft(), secondsLeft);
    }

    void restartForgetsTheLastUnit()
    {
        // One estimator per page's tokens: the next page starts from nothing.
        ProgressEstimator e;
        e.start(0, 100);
        e.update(50, 10000);
        e.start(20000, 100);
        QCOMPARE(e.done(), 0.0);
        QVERIFY(!e.perSecond());
        e.update(10, 22000);
        QCOMPARE(*e.perSecond(), 5.0);
    }

    void clockNeverRunsBackwards()
    {
        ProgressEstimator e;
        e.start(1000, 4);
        e.update(1, 3000);
        e.update(2, 2000); // an event stamped earlier arrived late
        QCOMPARE(*e.perSecond(), 1.0); // 2 units over 2 s, not over 1 s
    }

    void durations_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0 s");
        QTest::newRow("rounded") << 44.6 << QStringLiteral("45 s");
        QTest::newRow("minutes") << 185.0 << QStringLiteral("3 min 05 s");
        QTest::newRow("hours") << 7800.0 << QStringLiteral("2 h 10 min");
        QTest::newRow("negative is zero") << -3.0 << QStringLiteral("0 s");
    }
    void durations()
    {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(folio::jobs::formatDuration(seconds), text);
    }
};

FOLIO_TEST_CLASS(TstProgressEstimator)
#include "tst_progressestimator.moc"
