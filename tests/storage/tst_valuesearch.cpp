// Library::search over the normalised-values index and phrases: an amount or a date printed one
// way is found by the other ways of writing it (the values are handed in as the jobs layer reads
// them: tests/jobs/tst_searchvalues.cpp checks that reading); quoted phrases match only the
// words side by side, in order; unquoted words must all occur, side by side ranking first; each
// hit says how it matched; CJK still works through the trigram index.
#include "testregistry.h"

#include "storage/library.h"
#include "storage/searchquery.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio::storage;

Q_DECLARE_METATYPE(std::vector<SearchValue>)

namespace {

QRectF wordBox(int line, int word)
{
    return QRectF(QPointF(0.05 + 0.1 * word, 0.01 + 0.04 * line), QSizeF(0.08, 0.03));
}

} // namespace

class TstValueSearch : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;

    QStringList hitsFor(const SearchQuery& query)
    {
        const auto hits = m_library->search(query, 20);
        if (!hits)
            qFatal("%s", hits.error().c_str());
        QStringList out;
        for (const SearchHit& h : *hits)
            out << h.kind + QLatin1Char(':') + h.match + QLatin1Char(':') + h.snippet;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto library = Library::open(m_dir.filePath(QStringLiteral("values.sqlite")));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        NewDocument doc;
        doc.path = QStringLiteral("/docs/invoice.pdf");
        doc.sha256Hex = QByteArray(64, 'a');
        doc.kind = QStringLiteral("pdf");
        PageRecord page;
        page.widthPt = 595;
        page.heightPt = 842;
        page.hasTextLayer = true;
        const QList<QStringList> lines{
            {QStringLiteral("Total"), QStringLiteral("3,395.23")},
            {QStringLiteral("Date:"), QStringLiteral("15.03.2026")},
            {QStringLiteral("12"), QStringLiteral("Harbor"), QStringLiteral("Lane")},
            {QStringLiteral("Harbor"), QStringLiteral("Park"), QStringLiteral("Lane")},
            {QStringLiteral("Payment:"), QStringLiteral("30"), QStringLiteral("days"), QStringLiteral("net")},
            {QStringLiteral("Terms:"), QStringLiteral("Net"), QStringLiteral("30")},
            {QStringLiteral("发票号码"), QStringLiteral("No.8812")},
        };
        for (int l = 0; l < lines.size(); ++l)
            for (int w = 0; w < lines[l].size(); ++w)
                page.words.push_back(WordRecord{lines[l][w], wordBox(l, w), l});
        // What jobs::pageValues reads from those words.
        page.values = {ValueRecord{QStringLiteral("amount"), QStringLiteral("3395.23"), QStringLiteral("3,395.23"), wordBox(0, 1), 0, false},
                       ValueRecord{QStringLiteral("date"), QStringLiteral("2026-03-15"), QStringLiteral("15.03.2026"), wordBox(1, 1), 1, false}};
        doc.pages.push_back(page);
        auto id = m_library->addDocument(doc);
        QVERIFY2(id, id ? "" : id.error().c_str());
    }

    // Three ways of writing one value; the query carries the canonical value its reader found.
    void valueWrittenAnotherWay_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<std::vector<SearchValue>>("values");
        QTest::addColumn<QString>("expected");
        const std::vector<SearchValue> amount{{QStringLiteral("amount"), QStringLiteral("3395.23")}};
        const std::vector<SearchValue> date{{QStringLiteral("date"), QStringLiteral("2026-03-15")}};
        QTest::newRow("amount plain") << QStringLiteral("3395.23") << amount << QStringLiteral("text_layer:amount:«3,395.23»");
        QTest::newRow("amount German") << QStringLiteral("3.395,23") << amount << QStringLiteral("text_layer:amount:«3,395.23»");
        QTest::newRow("amount spaced") << QStringLiteral("3 395,23") << amount << QStringLiteral("text_layer:amount:«3,395.23»");
        QTest::newRow("date ISO") << QStringLiteral("2026-03-15") << date << QStringLiteral("text_layer:date:«15.03.2026»");
        QTest::newRow("date slashes") << QStringLiteral("15/03/2026") << date << QStringLiteral("text_layer:date:«15.03.2026»");
        QTest::newRow("date words") << QStringLiteral("March 15, 2026") << date << QStringLiteral("text_layer:date:«15.03.2026»");
    }
    void valueWrittenAnotherWay()
    {
        QFETCH(QString, typed);
        QFETCH(std::vector<SearchValue>, values);
        QFETCH(QString, expected);
        const QStringList hits = hitsFor(SearchQuery(typed, values));
        QVERIFY2(!hits.isEmpty(), qPrintable(typed));
        QCOMPARE(hits.first(), expected);
        // The text alone does not find it: the values index does.
        QVERIFY2(hitsFor(SearchQuery(typed)).isEmpty(), qPrintable(hitsFor(SearchQuery(typed)).join(u'|')));
    }

    // A value printed as typed is found once, as the value.
    void valueAndTextAreOneHit()
    {
        const QStringList hits = hitsFor(SearchQuery(QStringLiteral("3,395.23"), {{QStringLiteral("amount"), QStringLiteral("3395.23")}}));
        QCOMPARE(hits, QStringList{QStringLiteral("text_layer:amount:«3,395.23»")});
    }

    void phrases_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("quoted phrase") << QStringLiteral("\"Harbor Lane\"") << QStringList{QStringLiteral("text_layer:phrase:12 «Harbor Lane»")};
        QTest::newRow("quoted phrase, other case and spacing")
            << QStringLiteral("\"harbor   LANE\"") << QStringList{QStringLiteral("text_layer:phrase:12 «Harbor Lane»")};
        QTest::newRow("reversed words are not the phrase") << QStringLiteral("\"Lane Harbor\"") << QStringList{};
        QTest::newRow("another phrase") << QStringLiteral("\"Harbor Park\"") << QStringList{QStringLiteral("text_layer:phrase:«Harbor Park» Lane")};
        QTest::newRow("unquoted reversed: words, not a phrase")
            << QStringLiteral("Lane Harbor")
            << QStringList{QStringLiteral("text_layer:words:12 «Harbor» «Lane»"), QStringLiteral("text_layer:words:«Harbor» Park «Lane»")};
        // Unquoted: all words anywhere, the lines with them side by side as typed first.
        QTest::newRow("words, adjacent first")
            << QStringLiteral("Net 30")
            << QStringList{QStringLiteral("text_layer:phrase:Terms: «Net» «30»"), QStringLiteral("text_layer:words:Payment: «30» days «net»")};
        QTest::newRow("one word") << QStringLiteral("Harbor")
                                  << QStringList{QStringLiteral("text_layer:words:12 «Harbor» Lane"), QStringLiteral("text_layer:words:«Harbor» Park Lane")};
        QTest::newRow("CJK, trigram") << QStringLiteral("发票号码") << QStringList{QStringLiteral("text_layer:words:«发票号码» No.8812")};
        QTest::newRow("CJK, two characters") << QStringLiteral("发票") << QStringList{QStringLiteral("text_layer:words:«发票»号码 No.8812")};
        QTest::newRow("CJK phrase") << QStringLiteral("\"发票号码 No\"") << QStringList{QStringLiteral("text_layer:phrase:«发票号码 No».8812")};
    }
    void phrases()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, expected);
        QCOMPARE(hitsFor(SearchQuery(typed)), expected);
    }

    void labels_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("label");
        QTest::newRow("text layer phrase") << "text_layer" << "phrase" << "text layer · phrase";
        QTest::newRow("OCR amount") << "ocr" << "amount" << "OCR · same amount";
        QTest::newRow("field date") << "field" << "date" << "extracted value · same date";
        QTest::newRow("cell words") << "cell" << "words" << "extracted table cell · all words";
    }
    void labels()
    {
        QFETCH(QString, kind);
        QFETCH(QString, match);
        QFETCH(QString, label);
        SearchHit h;
        h.kind = kind;
        h.match = match;
        QCOMPARE(h.label(), label);
    }
};

FOLIO_TEST_CLASS(TstValueSearch)
#include "tst_valuesearch.moc"
