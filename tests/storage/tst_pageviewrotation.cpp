// The reviewer's turn of a page in the viewer: stored per page, read back with the document
// after reopening the library, independent of the page's own rotation; anything but a quarter
// turn, or a page that does not exist, is refused with a message naming the page.
#include "testregistry.h"

#include "storage/library.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio::storage;

class TstPageViewRotation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_serial = 0;

    static NewDocument twoPages()
    {
        NewDocument doc;
        doc.path = QStringLiteral("/scans/sideways.pdf");
        doc.sha256Hex = QByteArray(64, 'a');
        doc.kind = QStringLiteral("pdf");
        doc.fileSize = 1234;
        for (int p = 0; p < 2; ++p) {
            PageRecord page;
            page.index = p;
            page.widthPt = 595;
            page.heightPt = 842;
            page.rotation = p == 1 ? 90 : 0;
            doc.pages.push_back(page);
        }
        return doc;
    }

private Q_SLOTS:
    void storedPerPageAndKeptAcrossReopen_data()
    {
        QTest::addColumn<int>("degrees");
        QTest::newRow("quarter") << 90;
        QTest::newRow("half") << 180;
        QTest::newRow("three quarters") << 270;
        QTest::newRow("back upright") << 0;
    }
    void storedPerPageAndKeptAcrossReopen()
    {
        QFETCH(int, degrees);
        const QString path = m_dir.filePath(QStringLiteral("rot-%1.sqlite").arg(++m_serial));
        qint64 id = 0;
        {
            auto library = Library::open(path);
            QVERIFY2(library, library ? "" : library.error().c_str());
            const auto added = (*library)->addDocument(twoPages());
            QVERIFY2(added, added ? "" : added.error().c_str());
            id = *added;
            // A first turn, so "back upright" stores a change too.
            QVERIFY((*library)->setPageViewRotation(id, 1, 270));
            const auto set = (*library)->setPageViewRotation(id, 1, degrees);
            QVERIFY2(set, set ? "" : set.error().c_str());
        }
        auto reopened = Library::open(path);
        QVERIFY(reopened);
        const auto doc = (*reopened)->document(id);
        QVERIFY2(doc, doc ? "" : doc.error().c_str());
        QCOMPARE(doc->pages.size(), size_t(2));
        QCOMPARE(doc->pages[0].viewRotation, 0);
        QCOMPARE(doc->pages[1].viewRotation, degrees);
        QCOMPARE(doc->pages[1].rotation, 90); // the page's own rotation is not the viewer's
    }

    void refusesWhatIsNotAQuarterTurnOrAPage_data()
    {
        QTest::addColumn<int>("page");
        QTest::addColumn<int>("degrees");
        QTest::addColumn<QString>("message");
        QTest::newRow("45 degrees") << 0 << 45 << QStringLiteral("not a quarter turn");
        QTest::newRow("negative") << 0 << -90 << QStringLiteral("not a quarter turn");
        QTest::newRow("full turn") << 0 << 360 << QStringLiteral("not a quarter turn");
        QTest::newRow("no such page") << 5 << 90 << QStringLiteral("page 6");
    }
    void refusesWhatIsNotAQuarterTurnOrAPage()
    {
        QFETCH(int, page);
        QFETCH(int, degrees);
        QFETCH(QString, message);
        auto library = Library::open(m_dir.filePath(QStringLiteral("bad-%1.sqlite").arg(++m_serial)));
        QVERIFY(library);
        const auto id = (*library)->addDocument(twoPages());
        QVERIFY(id);
        const auto set = (*library)->setPageViewRotation(*id, page, degrees);
        QVERIFY(!set);
        QVERIFY2(QString::fromStdString(set.error()).contains(message), set.error().c_str());
        const auto doc = (*library)->document(*id);
        QVERIFY(doc);
        for (const PageSummary& p : doc->pages)
            QCOMPARE(p.viewRotation, 0);
    }
};

FOLIO_TEST_CLASS(TstPageViewRotation)
#include "tst_pageviewrotation.moc"
