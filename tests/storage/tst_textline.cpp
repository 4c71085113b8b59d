// How a text line's words are joined into its searchable text, and where each word lands.
#include "testregistry.h"

#include "storage/textline.h"

#include <QTest>

using folio::storage::TextLine;

class TstTextLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void join_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<int>>("starts"); // where each word starts in text

        QTest::newRow("latin") << QStringList { "Total", "due:", "12.50" } << QStringLiteral("Total due: 12.50")
                               << QList<int> { 0, 6, 11 };
        QTest::newRow("one word") << QStringList { "alone" } << QStringLiteral("alone") << QList<int> { 0 };
        QTest::newRow("none") << QStringList {} << QString() << QList<int> {};
        QTest::newRow("han han") << QStringList { "增值税", "专用", "发票" } << QStringLiteral("增值税专用发票")
                                 << QList<int> { 0, 3, 5 };
        QTest::newRow("han digit") << QStringList { "日期", "2024年" } << QStringLiteral("日期 2024年")
                                   << QList<int> { 0, 3 };
        QTest::newRow("han fullwidth colon")
            << QStringList { "号码", "：", "123" } << QStringLiteral("号码 ： 123") << QList<int> { 0, 3, 5 };
        QTest::newRow("kana kanji") << QStringList { "お支払い", "期限" } << QStringLiteral("お支払い期限")
                                    << QList<int> { 0, 4 };
        QTest::newRow("katakana") << QStringList { "カード", "番号" } << QStringLiteral("カード番号")
                                  << QList<int> { 0, 3 };
        QTest::newRow("hangul keeps spaces")
            << QStringList { "청구서", "번호" } << QStringLiteral("청구서 번호") << QList<int> { 0, 4 };
        QTest::newRow("han latin") << QStringList { "发票", "No." } << QStringLiteral("发票 No.")
                                   << QList<int> { 0, 3 };
        // 𠀋 (U+2000B) is a Han character outside the BMP: two UTF-16 units.
        QTest::newRow("astral han") << QStringList { "𠀋", "字" } << QStringLiteral("𠀋字") << QList<int> { 0, 2 };
        QTest::newRow("empty word") << QStringList { "a", "", "b" } << QStringLiteral("a b") << QList<int> { 0, 1, 2 };
        QTest::newRow("leading empty word") << QStringList { "", "b" } << QStringLiteral("b") << QList<int> { 0, 0 };
    }

    void join()
    {
        QFETCH(QStringList, words);
        QFETCH(QString, text);
        QFETCH(QList<int>, starts);
        const TextLine line(std::vector<QString>(words.begin(), words.end()));
        QCOMPARE(line.text(), text);
        QCOMPARE(line.wordSpans().size(), std::size_t(words.size()));
        for (qsizetype i = 0; i < words.size(); ++i) {
            const auto span = line.wordSpans()[std::size_t(i)];
            QCOMPARE(span.start, qsizetype(starts[i]));
            QCOMPARE(span.length, words[i].size());
            QCOMPARE(text.mid(span.start, span.length), words[i]);
        }
    }
};

FOLIO_TEST_CLASS(TstTextLine)
#include "tst_textline.moc"
