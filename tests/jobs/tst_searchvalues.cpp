// readSearchValues / pageValues / searchQuery: the amounts and dates the search index and the
// query are read as, with extract's normalisers, agree however the value is printed.
#include "testregistry.h"

#include "ui/jobs/searchvalues.h"

#include <QTest>

using namespace folio;

class TstSearchValues : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameValue_data()
    {
        QTest::addColumn<QString>("printed");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("value");
        for (const char* a : {"3395.23", "3,395.23", "3.395,23", "3 395,23", "EUR 3.395,23", "$3,395.23"})
            QTest::newRow(a) << QString::fromUtf8(a) << QStringLiteral("amount") << QStringLiteral("3395.23");
        for (const char* d : {"2026-03-15", "15.03.2026", "March 15, 2026", "15 March 2026"})
            QTest::newRow(d) << QString::fromUtf8(d) << QStringLiteral("date") << QStringLiteral("2026-03-15");
    }
    void sameValue()
    {
        QFETCH(QString, printed);
        QFETCH(QString, kind);
        QFETCH(QString, value);
        const auto values = jobs::readSearchValues(printed);
        QVERIFY2(!values.empty(), qPrintable(printed));
        QCOMPARE(values.front().kind, kind);
        QCOMPARE(values.front().value, value);
        // The query as typed carries it too.
        QCOMPARE(jobs::searchQuery(QLatin1Char('"') + printed + QLatin1Char('"')).values().front().value, value);
    }

    void notValues()
    {
        for (const char* text : {"Net 30 days", "Harbor Lane", "INV", ""})
            QVERIFY2(jobs::readSearchValues(QString::fromUtf8(text)).empty(), text);
    }

    // An ambiguous date is indexed (and searched) both ways.
    void ambiguousDateBothWays()
    {
        QStringList values;
        for (const auto& v : jobs::readSearchValues(QStringLiteral("03/04/2026")))
            values << v.value;
        values.sort();
        QCOMPARE(values, (QStringList{QStringLiteral("2026-03-04"), QStringLiteral("2026-04-03")}));
    }

    // Words of a page: an amount spread over words of one line is found; another line is not joined.
    void pageWords()
    {
        const std::vector<storage::WordRecord> words{
            {QStringLiteral("Total:"), QRectF(0.1, 0.1, 0.1, 0.02), 0, true, 0.9},
            {QStringLiteral("3"), QRectF(0.2, 0.1, 0.02, 0.02), 0, true, 0.9},
            {QStringLiteral("395,23"), QRectF(0.23, 0.1, 0.06, 0.02), 0, true, 0.9},
            {QStringLiteral("15.03.2026"), QRectF(0.1, 0.2, 0.1, 0.02), 1, true, 0.9},
        };
        bool amount = false, date = false;
        for (const storage::ValueRecord& v : jobs::pageValues(words)) {
            if (v.kind == u"amount" && v.value == u"3395.23") {
                amount = true;
                QCOMPARE(v.text, QStringLiteral("3 395,23"));
                QCOMPARE(v.box, QRectF(0.2, 0.1, 0.09, 0.02));
                QVERIFY(v.ocr);
            }
            if (v.kind == u"date") {
                date = true;
                QCOMPARE(v.value, QStringLiteral("2026-03-15"));
                QCOMPARE(v.lineIndex, 1);
            }
            QVERIFY2(!v.text.contains(QStringLiteral("15.03")) || v.lineIndex == 1, qPrintable(v.text));
        }
        QVERIFY(amount);
        QVERIFY(date);
    }
};

FOLIO_TEST_CLASS(TstSearchValues)
#include "tst_searchvalues.moc"
