// Reading what a user typed as literal search terms: splitting, the FTS5 expression, the
// short terms, matches and snippets.
#include "testregistry.h"

#include "storage/searchquery.h"

#include <QTest>

using folio::storage::SearchQuery;

class TstSearchQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("userText");
        QTest::addColumn<QStringList>("terms");
        QTest::addColumn<QString>("fts");
        QTest::addColumn<QStringList>("shortTerms");

        QTest::newRow("words") << QStringLiteral("total amount") << QStringList { "total", "amount" }
                               << QStringLiteral("\"total\" AND \"amount\"") << QStringList {};
        QTest::newRow("spaces everywhere") << QStringLiteral("  a \t\n bcd  ") << QStringList { "a", "bcd" }
                                           << QStringLiteral("\"bcd\"") << QStringList { "a" };
        QTest::newRow("ideographic space") << QStringLiteral("发票　号码") << QStringList { "发票", "号码" }
                                           << QString() << QStringList { "发票", "号码" };
        QTest::newRow("duplicates ignore case") << QStringLiteral("Total TOTAL total") << QStringList { "Total" }
                                                << QStringLiteral("\"Total\"") << QStringList {};
        // Quoted text is one phrase term; an unpaired quote is a character, doubled for FTS5.
        QTest::newRow("phrase") << QStringLiteral("\"Harbor   Lane\" 12") << QStringList { "Harbor Lane", "12" }
                                << QStringLiteral("\"Harbor Lane\"") << QStringList { "12" };
        QTest::newRow("phrase glued to a word") << QStringLiteral("say\"hi there\"") << QStringList { "say", "hi there" }
                                                << QStringLiteral("\"say\" AND \"hi there\"") << QStringList {};
        QTest::newRow("unpaired quote doubled") << QStringLiteral("5\" screen") << QStringList { "5\"", "screen" }
                                                << QStringLiteral("\"screen\"") << QStringList { "5\"" };
        QTest::newRow("quote inside a long word") << QStringLiteral("ab\"cd") << QStringList { "ab\"cd" }
                                                  << QStringLiteral("\"ab\"\"cd\"") << QStringList {};
        QTest::newRow("lone quote is short")
            << QStringLiteral("\"") << QStringList { "\"" } << QString() << QStringList { "\"" };
        QTest::newRow("operators are words")
            << QStringLiteral("a AND b OR NOT c*") << QStringList { "a", "AND", "b", "OR", "NOT", "c*" }
            << QStringLiteral("\"AND\" AND \"NOT\"") << QStringList { "a", "b", "or", "c*" };
        QTest::newRow("syntax characters")
            << QStringLiteral("(x) -y ^z a:b") << QStringList { "(x)", "-y", "^z", "a:b" }
            << QStringLiteral("\"(x)\" AND \"a:b\"") << QStringList { "-y", "^z" };
        QTest::newRow("short terms are case-folded")
            << QStringLiteral("ΑΒ Ab") << QStringList { "ΑΒ", "Ab" } << QString() << QStringList { "αβ", "ab" };
        // Length counts characters, not UTF-16 units: 𠀋 is one character stored as two.
        QTest::newRow("astral pair is short")
            << QStringLiteral("𠀋字") << QStringList { "𠀋字" } << QString() << QStringList { "𠀋字" };
        QTest::newRow("astral triple is long")
            << QStringLiteral("𠀋字字") << QStringList { "𠀋字字" } << QStringLiteral("\"𠀋字字\"") << QStringList {};
        QTest::newRow("empty") << QString() << QStringList {} << QString() << QStringList {};
    }

    void parse()
    {
        QFETCH(QString, userText);
        QFETCH(QStringList, terms);
        QFETCH(QString, fts);
        QFETCH(QStringList, shortTerms);
        const SearchQuery query(userText);
        QCOMPARE(query.terms(), terms);
        QCOMPARE(query.isEmpty(), terms.isEmpty());
        QCOMPARE(query.ftsExpression(), fts);
        QCOMPARE(query.foldedShortTerms(), shortTerms);
    }

    void snippet_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("maxChars");
        QTest::addColumn<QString>("snippet");

        QTest::newRow("whole line") << QStringLiteral("due") << QStringLiteral("Total due: 12") << 80
                                    << QStringLiteral("Total «due»: 12");
        QTest::newRow("case kept") << QStringLiteral("TOTAL") << QStringLiteral("Total total") << 80
                                   << QStringLiteral("«Total» «total»");
        QTest::newRow("overlaps merge") << QStringLiteral("abc bcd") << QStringLiteral("xabcdx") << 80
                                        << QStringLiteral("x«abcd»x");
        QTest::newRow("no match") << QStringLiteral("zzz") << QStringLiteral("0123456789") << 4
                                  << QStringLiteral("0123…");
        QTest::newRow("cut both sides") << QStringLiteral("k") << QStringLiteral("abcdefghijklmnopqrstuvwxyz") << 8
                                        << QStringLiteral("…ij«k»lmnop…");
        QTest::newRow("near the end") << QStringLiteral("y") << QStringLiteral("abcdefghijklmnopqrstuvwxyz") << 8
                                      << QStringLiteral("…stuvwx«y»z");
        QTest::newRow("match not cut") << QStringLiteral("defgh") << QStringLiteral("abcdefghij") << 4
                                       << QStringLiteral("…c«defgh»…");
        QTest::newRow("astral not split")
            << QStringLiteral("字") << QStringLiteral("𠀋𠀋字") << 3 << QStringLiteral("…𠀋«字»");
    }

    void snippet()
    {
        QFETCH(QString, query);
        QFETCH(QString, text);
        QFETCH(int, maxChars);
        QFETCH(QString, snippet);
        QCOMPARE(SearchQuery(query).snippet(text, maxChars), snippet);
    }
};

FOLIO_TEST_CLASS(TstSearchQuery)
#include "tst_searchquery.moc"
