// RepetitionGuard: a tail that repeats one unit is a loop; short or legitimate repetition is not;
// withoutLoop keeps what came before and one copy of the unit.
#include "testregistry.h"

#include "extract/repetitionguard.h"

#include <QTest>

using folio::extract::RepetitionGuard;

class TstRepetitionGuard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void endsInLoop_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("loop");
        const QString row = QStringLiteral("{\"a\": \"1\"},");
        QTest::newRow("table row repeated forever") << (QStringLiteral("[") + row.repeated(40)) << true;
        QTest::newRow("one character, long") << (QStringLiteral("x: ") + QStringLiteral("a").repeated(400)) << true;
        QTest::newRow("a short rule of dashes") << (QStringLiteral("Total\n") + QStringLiteral("-").repeated(40)) << false;
        QTest::newRow("twice is not a loop") << (QStringLiteral("start ") + QStringLiteral("0123456789").repeated(2)) << false;
        QTest::newRow("varied text") << QStringLiteral("Rechnung Nr. 4711 vom 03.04.2026, zahlbar in 14 Tagen.") << false;
        QTest::newRow("empty") << QString() << false;
    }
    void endsInLoop()
    {
        QFETCH(QString, text);
        QFETCH(bool, loop);
        QCOMPARE(RepetitionGuard::endsInLoop(text), loop);
    }

    void withoutLoopKeepsThePrefix()
    {
        const QString prefix = QStringLiteral("[{\"b\": \"2\"},");
        const QString row = QStringLiteral("{\"a\": \"1\"},");
        const QString cut = RepetitionGuard::withoutLoop(prefix + row.repeated(40));
        QVERIFY2(cut.startsWith(prefix), qPrintable(cut));
        QVERIFY(cut.size() < prefix.size() + 3 * row.size());
        QVERIFY(!RepetitionGuard::endsInLoop(cut));
        const QString plain = QStringLiteral("no loop here");
        QCOMPARE(RepetitionGuard::withoutLoop(plain), plain);
    }
};

FOLIO_TEST_CLASS(TstRepetitionGuard)
#include "tst_repetitionguard.moc"
