// The Library: adding documents (dedupe, all-or-nothing), reading them back, resolving what a
// user typed, and literal, CJK-capable search with hit boxes and snippets.
#include "testregistry.h"

#include "storage/database.h"
#include "storage/library.h"
#include "storage/migrations.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using namespace folio::storage;

namespace {

using Line = QStringList; // the words of one text line
using Page = QList<Line>; // the lines of one page

// Word w of line l sits on a fixed grid, so a test can say which box a hit must have.
QRectF wordBox(int line, int word)
{
    return QRectF(QPointF(0.05 + 0.1 * word, 0.01 + 0.04 * line), QSizeF(0.08, 0.03));
}

QByteArray shaOf(const QString& name)
{
    return QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
}

NewDocument makeDocument(const QString& path, const QList<Page>& pages)
{
    NewDocument doc;
    doc.path = path;
    doc.sha256Hex = shaOf(path);
    doc.kind = QStringLiteral("pdf");
    doc.fileSize = 1000 + path.size();
    doc.title = QStringLiteral("Title of ") + path;
    for (int p = 0; p < pages.size(); ++p) {
        PageRecord page;
        page.index = p;
        page.widthPt = 595;
        page.heightPt = 842;
        page.hasTextLayer = true;
        for (int l = 0; l < pages[p].size(); ++l) {
            for (int w = 0; w < pages[p][l].size(); ++w)
                page.words.push_back(WordRecord { pages[p][l][w], wordBox(l, w), l });
        }
        doc.pages.push_back(std::move(page));
    }
    return doc;
}

// The documents every search test runs against; paths are the short names used in the
// expected results ("en:1" = document "/docs/en.pdf", page index 1).
const std::map<QString, QList<Page>>& corpus()
{
    static const std::map<QString, QList<Page>> docs = {
        { QStringLiteral("en"),
            {
                { { "Invoice", "number", "INV-2024-001" }, { "Total", "amount", "due:", "1,234.56", "EUR" },
                    { "Thank", "you", "for", "your", "business" } },
                { { "Payment", "terms", "net", "30", "days" },
                    { "a:b", "(x)", "\"quoted\"", "AND", "OR", "NOT", "*star*", "-x", "^caret", "NEAR(y)" } },
            } },
        { QStringLiteral("zh"),
            {
                { { "发票号码", "：", "12345678" }, { "增值税", "专用", "发票" }, { "开票日期", "2024年3月5日" } },
                { { "金额", "合计" } },
            } },
        { QStringLiteral("ja"), { { { "請求書" }, { "お支払い", "期限" }, { "東京都", "渋谷区" } } } },
        { QStringLiteral("fr"), { { { "École", "élémentaire" }, { "Straße", "ΑΒΓ" } } } },
        { QStringLiteral("rank"),
            {
                { { "one", "zeta", "among", "many", "other", "words", "in", "a", "long", "line", "of", "text" } },
                { { "zeta", "zeta", "zeta" } },
            } },
    };
    return docs;
}

QString docPath(const QString& name)
{
    return QStringLiteral("/docs/") + name + QStringLiteral(".pdf");
}

} // namespace

class TstLibrary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto library = Library::open(m_dir.filePath(QStringLiteral("search.sqlite")));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_search = std::move(*library);
        for (const auto& [name, pages] : corpus()) {
            auto id = m_search->addDocument(makeDocument(docPath(name), pages));
            QVERIFY2(id, id ? "" : id.error().c_str());
            m_names[*id] = name;
        }
    }

    void emptyLibraryIsMigrated()
    {
        const QString path = m_dir.filePath(QStringLiteral("new/library.sqlite"));
        auto library = Library::open(path);
        QVERIFY(library);
        QCOMPARE((*library)->path(), path);
        auto docs = (*library)->listDocuments();
        QVERIFY(docs);
        QVERIFY(docs->empty());
        auto db = Database::open(path);
        QVERIFY(db);
        auto version = schemaVersion(**db);
        QVERIFY(version);
        QCOMPARE(*version, latestSchemaVersion());
    }

    void defaultPathIsUnderDataLocation()
    {
        QVERIFY(Library::defaultPath().endsWith(QStringLiteral("/folio/library.sqlite")));
    }

    void addAndReadBack()
    {
        const QString path = m_dir.filePath(QStringLiteral("add.sqlite"));
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        qint64 id = 0;
        {
            auto library = Library::open(path);
            QVERIFY(library);
            NewDocument doc = makeDocument(
                QStringLiteral("/tmp/some folder/scan.pdf"), { { { "hello", "world" }, { "second", "line" } }, {} });
            doc.pages[1].hasTextLayer = false;
            doc.pages[1].rotation = 90;
            doc.pages[1].widthPt = 612;
            auto added = (*library)->addDocument(doc);
            QVERIFY2(added, added ? "" : added.error().c_str());
            id = *added;
        }
        // Reopening keeps everything.
        auto library = Library::open(path);
        QVERIFY(library);
        auto docs = (*library)->listDocuments();
        QVERIFY(docs);
        QCOMPARE(docs->size(), std::size_t(1));
        const DocumentSummary& d = docs->front();
        QCOMPARE(d.id, id);
        QCOMPARE(d.path, QStringLiteral("/tmp/some folder/scan.pdf"));
        QCOMPARE(d.fileName, QStringLiteral("scan.pdf"));
        QCOMPARE(d.sha256, shaOf(QStringLiteral("/tmp/some folder/scan.pdf")));
        QCOMPARE(d.kind, QStringLiteral("pdf"));
        QCOMPARE(d.pageCount, 2);
        QVERIFY(d.hasTextLayer);
        QCOMPARE(d.status, QStringLiteral("ingested"));
        QCOMPARE(d.title, QStringLiteral("Title of /tmp/some folder/scan.pdf"));
        QCOMPARE(d.fileSize, qint64(1000 + d.path.size()));
        QVERIFY2(d.addedAt.isValid() && d.addedAt >= before && d.addedAt <= QDateTime::currentDateTimeUtc(),
            qPrintable(d.addedAt.toString(Qt::ISODateWithMs)));

        auto detail = (*library)->document(id);
        QVERIFY(detail);
        QCOMPARE(detail->doc.sha256, d.sha256);
        QCOMPARE(detail->pages.size(), std::size_t(2));
        QCOMPARE(detail->pages[0].index, 0);
        QCOMPARE(detail->pages[0].wordCount, 4);
        QVERIFY(detail->pages[0].hasTextLayer);
        QCOMPARE(detail->pages[0].widthPt, 595.0);
        QCOMPARE(detail->pages[1].index, 1);
        QCOMPARE(detail->pages[1].wordCount, 0);
        QVERIFY(!detail->pages[1].hasTextLayer);
        QCOMPARE(detail->pages[1].rotation, 90);
        QCOMPARE(detail->pages[1].widthPt, 612.0);

        auto missing = (*library)->document(id + 100);
        QVERIFY(!missing);
        QVERIFY2(
            QString::fromStdString(missing.error()).contains(QStringLiteral("no document")), missing.error().c_str());
    }

    void twoConnectionsShareTheLibrary()
    {
        // What two threads with a Library each do: one writes, the other sees it at once.
        const QString path = m_dir.filePath(QStringLiteral("shared.sqlite"));
        auto first = Library::open(path);
        auto second = Library::open(path);
        QVERIFY(first && second);
        auto a = (*first)->addDocument(makeDocument(QStringLiteral("/one.pdf"), { { { "from", "first" } } }));
        QVERIFY(a);
        auto seen = (*second)->search(QStringLiteral("first"));
        QVERIFY(seen);
        QCOMPARE(seen->size(), std::size_t(1));
        auto b = (*second)->addDocument(makeDocument(QStringLiteral("/two.pdf"), { { { "from", "second" } } }));
        QVERIFY2(b, b ? "" : b.error().c_str());
        auto all = (*first)->listDocuments();
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t(2));
        auto dup = (*first)->addDocument(makeDocument(QStringLiteral("/two.pdf"), {}));
        QVERIFY(!dup);
    }

    void duplicateShaIsRefused()
    {
        auto library = Library::open(m_dir.filePath(QStringLiteral("dedupe.sqlite")));
        QVERIFY(library);
        const NewDocument doc = makeDocument(QStringLiteral("/a/first.pdf"), { { { "unique", "words" } } });
        auto id = (*library)->addDocument(doc);
        QVERIFY(id);

        auto found = (*library)->findBySha256(doc.sha256Hex.toUpper());
        QVERIFY(found);
        QVERIFY(found->has_value());
        QCOMPARE((*found)->id, *id);
        auto notFound = (*library)->findBySha256(shaOf(QStringLiteral("other")));
        QVERIFY(notFound);
        QVERIFY(!notFound->has_value());

        NewDocument again = makeDocument(QStringLiteral("/b/copy.pdf"), { { { "other", "text" } }, {} });
        again.sha256Hex = doc.sha256Hex;
        auto refused = (*library)->addDocument(again);
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error()).contains(QStringLiteral("already in the library")),
            refused.error().c_str());
        QVERIFY2(QString::fromStdString(refused.error()).contains(QStringLiteral("copy.pdf")), refused.error().c_str());

        const auto counts = tableCounts(m_dir.filePath(QStringLiteral("dedupe.sqlite")));
        QCOMPARE(counts, (QList<int> { 1, 1, 2, 1 }));
        auto hits = (*library)->search(QStringLiteral("other"));
        QVERIFY(hits);
        QVERIFY(hits->empty());
    }

    void failedInsertRollsBack_data()
    {
        QTest::addColumn<int>("secondPageIndex");
        QTest::addColumn<int>("rotation");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate page index") << 0 << 0 << QStringLiteral("UNIQUE constraint failed");
        QTest::newRow("bad rotation") << 1 << 45 << QStringLiteral("CHECK constraint failed");
    }

    void failedInsertRollsBack()
    {
        QFETCH(int, secondPageIndex);
        QFETCH(int, rotation);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("rollback-%1.sqlite").arg(QTest::currentDataTag()));
        auto library = Library::open(path);
        QVERIFY(library);
        NewDocument doc = makeDocument(QStringLiteral("/a/broken.pdf"),
            { { { "rollbackword", "alpha" }, { "beta" } }, { { "secondpage", "gamma" } } });
        doc.pages[1].index = secondPageIndex;
        doc.pages[1].rotation = rotation;
        auto failed = (*library)->addDocument(doc);
        QVERIFY(!failed);
        const QString error = QString::fromStdString(failed.error());
        QVERIFY2(error.contains(expected), qPrintable(error));
        // The message names the file and the page (1-based) whose insert failed.
        QVERIFY2(error.contains(QStringLiteral("broken.pdf"))
                && error.contains(QStringLiteral("page %1:").arg(secondPageIndex + 1)),
            qPrintable(error));

        QCOMPARE(tableCounts(path), (QList<int> { 0, 0, 0, 0 }));
        QCOMPARE(ftsRowsMatching(path, QStringLiteral("rollbackword")), 0);
        auto found = (*library)->findBySha256(doc.sha256Hex);
        QVERIFY(found && !found->has_value());

        // The library is still usable, and the same document can be added once fixed.
        doc.pages[1].index = 1;
        doc.pages[1].rotation = 0;
        QVERIFY((*library)->addDocument(doc));
        QCOMPARE(tableCounts(path), (QList<int> { 1, 2, 5, 3 }));
        QCOMPARE(ftsRowsMatching(path, QStringLiteral("rollbackword")), 1);
    }

    void invalidDocumentIsRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("sha");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        const QByteArray good = shaOf(QStringLiteral("x"));
        QTest::newRow("short sha") << QStringLiteral("/a/x.pdf") << QByteArray("abc") << QStringLiteral("pdf")
                                   << QStringLiteral("SHA-256");
        QTest::newRow("non-hex sha") << QStringLiteral("/a/x.pdf") << QByteArray(64, 'g') << QStringLiteral("pdf")
                                     << QStringLiteral("SHA-256");
        QTest::newRow("kind") << QStringLiteral("/a/x.pdf") << good << QStringLiteral("docx")
                              << QStringLiteral("'docx'");
        QTest::newRow("no path") << QString() << good << QStringLiteral("pdf") << QStringLiteral("no file path");
    }

    void invalidDocumentIsRefused()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, sha);
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const QString dbPath = m_dir.filePath(QStringLiteral("invalid.sqlite"));
        auto library = Library::open(dbPath);
        QVERIFY(library);
        NewDocument doc = makeDocument(path, { { { "some", "words" } } });
        doc.sha256Hex = sha;
        doc.kind = kind;
        auto r = (*library)->addDocument(doc);
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error()).contains(expected), r.error().c_str());
        QCOMPARE(tableCounts(dbPath), (QList<int> { 0, 0, 0, 0 }));
    }

    void wordsWithoutTextAreKept()
    {
        const QString dbPath = m_dir.filePath(QStringLiteral("emptywords.sqlite"));
        auto library = Library::open(dbPath);
        QVERIFY(library);
        NewDocument doc = makeDocument(QStringLiteral("/a/empty.pdf"), { { { "left", "right" }, { "alone" } } });
        doc.pages[0].words.insert(doc.pages[0].words.begin() + 1, WordRecord { QString(), wordBox(0, 5), 0 });
        doc.pages[0].words.push_back(WordRecord { QString(), wordBox(2, 0), 2 }); // a line of nothing
        auto id = (*library)->addDocument(doc);
        QVERIFY2(id, id ? "" : id.error().c_str());
        // All five words are stored; the empty line gets no search entry.
        QCOMPARE(tableCounts(dbPath), (QList<int> { 1, 1, 5, 2 }));
        auto hits = (*library)->search(QStringLiteral("left right"));
        QVERIFY(hits);
        QCOMPARE(hits->size(), std::size_t(1));
        QCOMPARE(hits->front().snippet, QStringLiteral("«left» «right»"));
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected"); // "name:pageIndex", one per hit, sorted

        QTest::newRow("one word") << QStringLiteral("invoice") << QStringList { "en:0" };
        QTest::newRow("upper case") << QStringLiteral("INVOICE") << QStringList { "en:0" };
        QTest::newRow("two words, one line") << QStringLiteral("total EUR") << QStringList { "en:0" };
        QTest::newRow("words in any order") << QStringLiteral("eur amount total") << QStringList { "en:0" };
        QTest::newRow("words on different lines") << QStringLiteral("invoice total") << QStringList {};
        QTest::newRow("word part") << QStringLiteral("voic") << QStringList { "en:0" };
        QTest::newRow("short latin term") << QStringLiteral("30") << QStringList { "en:1" };
        QTest::newRow("short and long") << QStringLiteral("30 days") << QStringList { "en:1" };
        QTest::newRow("absent") << QStringLiteral("xylophone") << QStringList {};
        QTest::newRow("empty") << QString() << QStringList {};
        QTest::newRow("blank") << QStringLiteral("  \t ") << QStringList {};

        // FTS5 syntax is just text.
        QTest::newRow("AND") << QStringLiteral("AND") << QStringList { "en:1" };
        QTest::newRow("OR NOT") << QStringLiteral("OR NOT") << QStringList { "en:1" };
        QTest::newRow("lone quote") << QStringLiteral("\"") << QStringList { "en:1" };
        QTest::newRow("quoted word") << QStringLiteral("\"quoted\"") << QStringList { "en:1" };
        QTest::newRow("unbalanced quote") << QStringLiteral("\"quot") << QStringList { "en:1" };
        QTest::newRow("star") << QStringLiteral("*") << QStringList { "en:1" };
        QTest::newRow("star word") << QStringLiteral("*star*") << QStringList { "en:1" };
        QTest::newRow("prefix star") << QStringLiteral("sta*") << QStringList {};
        QTest::newRow("parenthesis") << QStringLiteral("(") << QStringList { "en:1" };
        QTest::newRow("parenthesised") << QStringLiteral("(x)") << QStringList { "en:1" };
        QTest::newRow("minus") << QStringLiteral("-x") << QStringList { "en:1" };
        QTest::newRow("caret") << QStringLiteral("^caret") << QStringList { "en:1" };
        QTest::newRow("column filter") << QStringLiteral("a:b") << QStringList { "en:1" };
        QTest::newRow("column name") << QStringLiteral("text:invoice") << QStringList {};
        QTest::newRow("NEAR") << QStringLiteral("NEAR(y)") << QStringList { "en:1" };
        QTest::newRow("NEAR open") << QStringLiteral("NEAR(") << QStringList { "en:1" };
        QTest::newRow("dash number") << QStringLiteral("INV-2024") << QStringList { "en:0" };

        // CJK: 2-character words are below the trigram length.
        QTest::newRow("zh 2 chars") << QStringLiteral("发票") << QStringList { "zh:0", "zh:0" };
        QTest::newRow("zh 4 chars") << QStringLiteral("发票号码") << QStringList { "zh:0" };
        QTest::newRow("zh across words") << QStringLiteral("专用发票") << QStringList { "zh:0" };
        QTest::newRow("zh 1 char") << QStringLiteral("税") << QStringList { "zh:0" };
        QTest::newRow("zh 2 chars, page 2") << QStringLiteral("合计") << QStringList { "zh:1" };
        QTest::newRow("zh and digits") << QStringLiteral("发票 12345678") << QStringList { "zh:0" };
        QTest::newRow("zh two short") << QStringLiteral("发票 专用") << QStringList { "zh:0" };
        QTest::newRow("zh ideographic space") << QStringLiteral("发票　专用") << QStringList { "zh:0" };
        QTest::newRow("zh date") << QStringLiteral("2024年3月") << QStringList { "zh:0" };
        QTest::newRow("zh absent") << QStringLiteral("收据") << QStringList {};
        QTest::newRow("ja kana") << QStringLiteral("お支払い") << QStringList { "ja:0" };
        QTest::newRow("ja 2 kanji") << QStringLiteral("期限") << QStringList { "ja:0" };
        QTest::newRow("ja kanji") << QStringLiteral("請求") << QStringList { "ja:0" };
        QTest::newRow("ja 3 kanji") << QStringLiteral("渋谷区") << QStringList { "ja:0" };

        // Case-insensitive beyond ASCII.
        QTest::newRow("accented upper") << QStringLiteral("ÉCOLE") << QStringList { "fr:0" };
        QTest::newRow("accented lower") << QStringLiteral("élém") << QStringList { "fr:0" };
        QTest::newRow("greek 3") << QStringLiteral("αβγ") << QStringList { "fr:0" };
        QTest::newRow("greek 2") << QStringLiteral("αβ") << QStringList { "fr:0" };
        QTest::newRow("eszett") << QStringLiteral("straße") << QStringList { "fr:0" };

        QTest::newRow("several documents") << QStringLiteral("2024") << QStringList { "en:0", "zh:0" };
    }

    void search()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        auto hits = m_search->search(query);
        QVERIFY2(hits, hits ? "" : hits.error().c_str());
        QStringList got;
        for (const SearchHit& hit : *hits) {
            got << m_names.value(hit.documentId) + QLatin1Char(':') + QString::number(hit.pageIndex);
            QCOMPARE(hit.path, docPath(m_names.value(hit.documentId)));
            QCOMPARE(hit.kind, QStringLiteral("text_layer"));
            QVERIFY2(hit.snippet.contains(QStringLiteral("«")), qPrintable(hit.snippet));
        }
        got.sort();
        QCOMPARE(got, expected);
    }

    void hitBoxAndSnippet_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("snippet");
        QTest::addColumn<QRectF>("box");
        // Grid positions (line, word) from corpus(): the box is the union of the matching words.
        QTest::newRow("two words") << QStringLiteral("amount 1,234")
                                   << QStringLiteral("Total «amount» due: «1,234».56 EUR")
                                   << wordBox(1, 1).united(wordBox(1, 3));
        QTest::newRow("one word") << QStringLiteral("thank") << QStringLiteral("«Thank» you for your business")
                                  << wordBox(2, 0);
        QTest::newRow("zh across words") << QStringLiteral("专用发票") << QStringLiteral("增值税«专用发票»")
                                         << wordBox(1, 1).united(wordBox(1, 2));
        QTest::newRow("zh inside a word")
            << QStringLiteral("号码") << QStringLiteral("发票«号码» ： 12345678") << wordBox(0, 0);
        QTest::newRow("ja") << QStringLiteral("支払") << QStringLiteral("お«支払»い期限") << wordBox(1, 0);
        QTest::newRow("overlapping terms")
            << QStringLiteral("invo voice") << QStringLiteral("«Invoice» number INV-2024-001") << wordBox(0, 0);
    }

    void hitBoxAndSnippet()
    {
        QFETCH(QString, query);
        QFETCH(QString, snippet);
        QFETCH(QRectF, box);
        auto hits = m_search->search(query);
        QVERIFY(hits);
        QCOMPARE(hits->size(), std::size_t(1));
        QCOMPARE(hits->front().snippet, snippet);
        QCOMPARE(hits->front().box, box);
    }

    void longLineSnippetIsTrimmed()
    {
        auto library = Library::open(m_dir.filePath(QStringLiteral("snippet.sqlite")));
        QVERIFY(library);
        Line words;
        for (int i = 0; i < 60; ++i)
            words << QStringLiteral("word%1").arg(i, 2, 10, QLatin1Char('0'));
        QVERIFY((*library)->addDocument(makeDocument(QStringLiteral("/long.pdf"), { { words } })));
        auto hits = (*library)->search(QStringLiteral("word42"));
        QVERIFY(hits);
        QCOMPARE(hits->size(), std::size_t(1));
        const QString s = hits->front().snippet;
        QVERIFY2(s.startsWith(QStringLiteral("…")) && s.endsWith(QStringLiteral("…")), qPrintable(s));
        QVERIFY2(s.contains(QStringLiteral("«word42»")), qPrintable(s));
        QVERIFY2(s.contains(QStringLiteral("word40")) && !s.contains(QStringLiteral("word00")), qPrintable(s));
        QVERIFY2(s.size() <= 80 + 4, qPrintable(s)); // 80 characters, two marks, two ellipses
        QCOMPARE(hits->front().box, wordBox(0, 42));
    }

    void moreOccurrencesRankFirst()
    {
        auto hits = m_search->search(QStringLiteral("zeta"));
        QVERIFY(hits);
        QCOMPARE(hits->size(), std::size_t(2));
        // bm25 favours the short line with three occurrences over one in a long line.
        QCOMPARE(hits->at(0).pageIndex, 1);
        QCOMPARE(hits->at(1).pageIndex, 0);
    }

    void limit()
    {
        auto hits = m_search->search(QStringLiteral("发票"), 1);
        QVERIFY(hits);
        QCOMPARE(hits->size(), std::size_t(1));
        auto bad = m_search->search(QStringLiteral("x"), 0);
        QVERIFY(!bad);
    }

    void removeDocumentRemovesHits()
    {
        const QString path = m_dir.filePath(QStringLiteral("remove.sqlite"));
        auto library = Library::open(path);
        QVERIFY(library);
        auto keep = (*library)->addDocument(makeDocument(QStringLiteral("/keep.pdf"), { { { "shared", "keepme" } } }));
        auto gone = (*library)->addDocument(makeDocument(
            QStringLiteral("/gone.pdf"), { { { "shared", "removeme" }, { "发票" } }, { { "removeme", "again" } } }));
        QVERIFY(keep && gone);
        QCOMPARE((*library)->search(QStringLiteral("shared"))->size(), std::size_t(2));
        QCOMPARE((*library)->search(QStringLiteral("removeme"))->size(), std::size_t(2));

        QVERIFY((*library)->removeDocument(*gone));
        QCOMPARE((*library)->search(QStringLiteral("removeme"))->size(), std::size_t(0));
        QCOMPARE((*library)->search(QStringLiteral("发票"))->size(), std::size_t(0));
        QCOMPARE((*library)->search(QStringLiteral("shared"))->size(), std::size_t(1));
        QCOMPARE(ftsRowsMatching(path, QStringLiteral("removeme")), 0);
        QCOMPARE(ftsRowsMatching(path, QStringLiteral("shared")), 1);
        QCOMPARE(tableCounts(path), (QList<int> { 1, 1, 2, 1 }));
        auto detail = (*library)->document(*gone);
        QVERIFY(!detail);

        auto again = (*library)->removeDocument(*gone);
        QVERIFY(!again);
        QVERIFY2(QString::fromStdString(again.error()).contains(QStringLiteral("no document")), again.error().c_str());
    }

    void resolveDocument_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected"); // a corpus name, or empty for "not found"
        const QString zhSha = QString::fromLatin1(shaOf(docPath(QStringLiteral("zh"))));
        QTest::newRow("path") << docPath(QStringLiteral("ja")) << QStringLiteral("ja");
        QTest::newRow("path with spaces around")
            << QStringLiteral("  ") + docPath(QStringLiteral("ja")) + QStringLiteral(" ") << QStringLiteral("ja");
        QTest::newRow("sha") << zhSha << QStringLiteral("zh");
        QTest::newRow("sha prefix") << zhSha.left(6) << QStringLiteral("zh");
        QTest::newRow("sha prefix upper") << zhSha.left(10).toUpper() << QStringLiteral("zh");
        QTest::newRow("too short prefix") << zhSha.left(5) << QString();
        QTest::newRow("unknown path") << QStringLiteral("/docs/none.pdf") << QString();
        QTest::newRow("unknown id") << QStringLiteral("999") << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void resolveDocument()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        auto id = m_search->resolveDocument(key);
        QVERIFY2(id, id ? "" : id.error().c_str());
        QCOMPARE(id->has_value() ? m_names.value(**id) : QString(), expected);
    }

    void resolveById()
    {
        for (auto it = m_names.cbegin(); it != m_names.cend(); ++it) {
            auto id = m_search->resolveDocument(QString::number(it.key()));
            QVERIFY(id && id->has_value());
            QCOMPARE(**id, it.key());
        }
    }

    void unwritablePathIsAnError()
    {
        QFile file(m_dir.filePath(QStringLiteral("afile")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        auto library = Library::open(m_dir.filePath(QStringLiteral("afile/sub/library.sqlite")));
        QVERIFY(!library);
        const QString error = QString::fromStdString(library.error());
        QVERIFY2(error.contains(QStringLiteral("afile/sub")) && error.contains(QStringLiteral("writable")),
            qPrintable(error));
    }

    // Not a correctness test: prints how long search takes over 200 synthetic pages.
    void searchTiming()
    {
        auto library = Library::open(m_dir.filePath(QStringLiteral("timing.sqlite")));
        QVERIFY(library);
        const QStringList vocabulary = { "invoice", "total", "amount", "payment", "order", "customer", "delivery",
            "address", "number", "date", "tax", "net", "gross", "item", "quantity", "price", "发票", "金额", "合计",
            "日期", "税率", "请求书", "お支払い", "数量" };
        quint32 seed = 12345; // a fixed linear congruential sequence keeps runs comparable
        const auto next = [&seed] {
            seed = seed * 1664525u + 1013904223u;
            return seed >> 8;
        };
        constexpr int documents = 20, pagesPerDocument = 10, linesPerPage = 40, wordsPerLine = 8;
        QElapsedTimer timer;
        timer.start();
        for (int d = 0; d < documents; ++d) {
            QList<Page> pages;
            for (int p = 0; p < pagesPerDocument; ++p) {
                Page page;
                for (int l = 0; l < linesPerPage; ++l) {
                    Line line;
                    for (int w = 0; w < wordsPerLine; ++w)
                        line << vocabulary[next() % vocabulary.size()] + QString::number(next() % 100);
                    page << line;
                }
                pages << page;
            }
            QVERIFY((*library)->addDocument(makeDocument(QStringLiteral("/synthetic/%1.pdf").arg(d), pages)));
        }
        const double addMs = timer.nsecsElapsed() / 1e6;
        qInfo("storage: added %d documents, %d pages, %d words in %.1f ms", documents, documents * pagesPerDocument,
            documents * pagesPerDocument * linesPerPage * wordsPerLine, addMs);

        for (const QString& query : { QStringLiteral("invoice42"), QStringLiteral("total amount"),
                 QStringLiteral("金额"), QStringLiteral("发票1 数量"), QStringLiteral("xyzzy"), QStringLiteral("a") }) {
            constexpr int runs = 20;
            std::size_t count = 0;
            timer.restart();
            for (int i = 0; i < runs; ++i) {
                auto hits = (*library)->search(query);
                QVERIFY(hits);
                count = hits->size();
            }
            qInfo("storage: search %-14s %3zu hits (limit 50) in %.2f ms",
                qPrintable(QLatin1Char('"') + query + QLatin1Char('"')), count, timer.nsecsElapsed() / 1e6 / runs);
        }
    }

private:
    // Rows in documents, pages, words, search_entries.
    static QList<int> tableCounts(const QString& path)
    {
        auto db = Database::open(path);
        if (!db)
            return {};
        QList<int> counts;
        for (const char* table : { "documents", "pages", "words", "search_entries" }) {
            auto query = (*db)->prepare(QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
            if (!query || !query->step())
                return {};
            counts << query->columnInt(0);
        }
        return counts;
    }

    // Rows the FTS index itself still has for a word (stale index rows would show here even
    // when the content rows are gone).
    static int ftsRowsMatching(const QString& path, const QString& word)
    {
        auto db = Database::open(path);
        if (!db)
            return -1;
        auto query = (*db)->prepare(QStringLiteral("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?"));
        if (!query)
            return -1;
        query->bind(1, QLatin1Char('"') + word + QLatin1Char('"'));
        if (!query->step())
            return -1;
        return query->columnInt(0);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_search;
    QHash<qint64, QString> m_names;
};

FOLIO_TEST_CLASS(TstLibrary)
#include "tst_library.moc"
