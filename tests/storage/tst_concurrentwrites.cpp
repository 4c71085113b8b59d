// Several writers on one library: chunked imports invisible until complete, other writers
// served between chunks, a duplicate stored meanwhile is `present`, imports left by a dead
// process removed, the schema migrated once by racing openers, and foreign files untouched.
#include "testregistry.h"
#include "resultsamples.h"

#include "storage/busywait.h"
#include "storage/database.h"
#include "storage/library.h"
#include "storage/migrations.h"

#include <sqlite3.h>

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace folio;
using namespace folio::storage;

namespace {

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs SQL on a raw connection (outside storage/, as another program would).
bool rawExec(const QString& path, const char* sql)
{
    sqlite3* db = nullptr;
    const bool ok = sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK
        && sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

NewDocument documentWithWord(const QString& path, int pages, const QString& word)
{
    NewDocument doc = folio::test::sampleDocument(path, pages);
    for (PageRecord& page : doc.pages)
        page.words.push_back({ word, QRectF(0.5, 0.5, 0.1, 0.02), 2 });
    return doc;
}

} // namespace

class TstConcurrentWrites : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString db(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void documentIsInvisibleUntilCompleteAndOthersWriteBetweenChunks()
    {
        const QString path = db(QStringLiteral("chunks.sqlite"));
        auto writer = Library::open(path);
        auto other = Library::open(path);
        QVERIFY(writer && other);
        const NewDocument big = documentWithWord(QStringLiteral("/in/big.pdf"), 41, QStringLiteral("Walfischbucht"));
        int chunks = 0;
        QString problem;
        int othersAdded = 0;
        auto stored = (*writer)->storeDocument(big, [&](int pagesStored) {
            ++chunks;
            // Another connection sees nothing of the half-stored document ...
            auto listed = (*other)->listDocuments();
            auto hits = (*other)->search(QStringLiteral("Walfischbucht"));
            auto byHash = (*other)->findBySha256(big.sha256Hex);
            if (!listed || !hits || !byHash)
                problem = QStringLiteral("a read failed");
            else if (int(listed->size()) != othersAdded || !hits->empty() || byHash->has_value())
                problem = QStringLiteral("the document is visible after %1 pages").arg(pagesStored);
            // ... and can write at once: no lock is held between chunks.
            auto small = (*other)->addDocument(folio::test::sampleDocument(QStringLiteral("/in/small-%1.pdf").arg(chunks), 1));
            if (!small)
                problem = QString::fromStdString(small.error());
            else
                ++othersAdded;
        });
        QVERIFY2(stored, stored ? "" : stored.error().c_str());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(chunks >= 5, "41 pages are committed in several chunks");
        QVERIFY(!stored->alreadyPresent);
        auto hits = (*other)->search(QStringLiteral("Walfischbucht"), 100);
        QVERIFY(hits);
        QCOMPARE(int(hits->size()), 41);
        auto detail = (*other)->document(stored->id);
        QVERIFY(detail);
        QCOMPARE(int(detail->pages.size()), 41);
        QCOMPARE(int((*other)->listDocuments()->size()), 1 + othersAdded);
    }

    void duplicateStoredMeanwhileIsPresent()
    {
        const QString path = db(QStringLiteral("duplicate.sqlite"));
        auto first = Library::open(path);
        QVERIFY(first);
        const NewDocument doc = documentWithWord(QStringLiteral("/in/twice.pdf"), 20, QStringLiteral("doppelt"));
        std::thread second;
        Result<StoredDocument> secondResult = makeError("not run");
        auto stored = (*first)->storeDocument(doc, [&](int) {
            if (second.joinable())
                return;
            // A second connection stores the same file while the first is half-way.
            second = std::thread([&] {
                auto library = Library::open(path);
                secondResult = library ? (*library)->storeDocument(doc) : Result<StoredDocument>(makeError(library.error()));
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        });
        second.join();
        QVERIFY2(stored, stored ? "" : stored.error().c_str());
        QVERIFY2(secondResult, secondResult ? "" : secondResult.error().c_str());
        QVERIFY(!stored->alreadyPresent);
        QVERIFY(secondResult->alreadyPresent);
        QCOMPARE(secondResult->id, stored->id);
        QCOMPARE(int((*first)->listDocuments()->size()), 1);
    }

    void importLeftByADeadProcessIsRemoved()
    {
        const QString path = db(QStringLiteral("abandoned.sqlite"));
        const NewDocument doc = documentWithWord(QStringLiteral("/in/crashed.pdf"), 3, QStringLiteral("verloren"));
        {
            auto library = Library::open(path);
            QVERIFY(library);
        }
        // Above Linux's largest pid (2^22): certainly no such process.
        const qint64 deadPid = (qint64(1) << 22) + 17;
        const QByteArray insert = "INSERT INTO documents (sha256, path, file_name, kind, page_count, file_size, complete, import_pid) "
                                  "VALUES ('" + doc.sha256Hex + "', '/in/crashed.pdf', 'crashed.pdf', 'pdf', 3, 1, 0, "
            + QByteArray::number(deadPid) + ")";
        QVERIFY(rawExec(path, insert.constData()));

        auto library = Library::open(path);
        QVERIFY(library);
        auto stored = (*library)->storeDocument(doc);
        QVERIFY2(stored, stored ? "" : stored.error().c_str());
        QVERIFY2(!stored->alreadyPresent, "the leftover row was removed, not taken for the document");
        QCOMPARE(int((*library)->listDocuments()->size()), 1);
    }

    void racingOpenersMigrateOnce()
    {
        // One connection holds the write lock while it creates the schema; another opens the
        // same new library meanwhile and must find the work done once it gets the lock.
        const QString path = db(QStringLiteral("race.sqlite"));
        sqlite3* holder = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &holder), SQLITE_OK);
        QCOMPARE(sqlite3_exec(holder, "PRAGMA journal_mode=WAL; BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        for (int v = 1; v <= latestSchemaVersion(); ++v)
            QCOMPARE(sqlite3_exec(holder, migrationSql(v).toUtf8().constData(), nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_exec(holder, QByteArray("PRAGMA user_version = " + QByteArray::number(latestSchemaVersion())).constData(),
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        Result<std::unique_ptr<Library>> opened = makeError("not run");
        std::thread opener([&] { opened = Library::open(path); });
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        QCOMPARE(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        opener.join();
        sqlite3_close(holder);
        QVERIFY2(opened, opened ? "" : opened.error().c_str());
        QVERIFY((*opened)->addDocument(folio::test::sampleDocument(QStringLiteral("/in/after-race.pdf"), 1)));
    }

    void foreignFilesAreLeftUntouched_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<QString>("reason");
        QTest::newRow("another program's database")
            << QByteArray("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');")
            << QStringLiteral("another program, not a Folio library (its tables: contacts)");
        QTest::newRow("not a database") << QByteArray() << QStringLiteral("not a database");
    }
    void foreignFilesAreLeftUntouched()
    {
        QFETCH(QByteArray, sql);
        QFETCH(QString, reason);
        const QString path = db(QStringLiteral("foreign-%1.sqlite").arg(QTest::currentDataTag()[0] == 'a' ? 1 : 2));
        if (sql.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'q'));
        } else {
            QVERIFY(rawExec(path, sql.constData()));
        }
        const QByteArray before = fileBytes(path);
        auto library = Library::open(path);
        QVERIFY(!library);
        QVERIFY2(QString::fromStdString(library.error()).contains(reason), library.error().c_str());
        QCOMPARE(fileBytes(path), before);
        QVERIFY2(!QFile::exists(path + QStringLiteral("-wal")), "no switch to WAL");
        QVERIFY(!QFile::exists(path + QStringLiteral("-shm")));
    }

    void libraryFromBeforeTheApplicationIdStillOpens()
    {
        const QString path = db(QStringLiteral("v2.sqlite"));
        QVERIFY(rawExec(path, (migrationSql(1) + migrationSql(2) + QStringLiteral("PRAGMA user_version = 2;")).toUtf8().constData()));
        auto library = Library::open(path);
        QVERIFY2(library, library ? "" : library.error().c_str());
        QVERIFY((*library)->addDocument(folio::test::sampleDocument(QStringLiteral("/in/old.pdf"), 2)));
    }

    void pageProblemsAreStored()
    {
        auto library = Library::open(db(QStringLiteral("problems.sqlite")));
        QVERIFY(library);
        NewDocument doc = folio::test::sampleDocument(QStringLiteral("/in/problems.pdf"), 3);
        doc.pages[1].error = QStringLiteral("page 2: reading the page took longer than its budget of 30 s");
        doc.pages[1].words.clear();
        doc.pages[1].hasTextLayer = false;
        doc.pages[2].warning = QStringLiteral("the JPEG file is truncated");
        auto id = (*library)->addDocument(doc);
        QVERIFY(id);
        auto detail = (*library)->document(*id);
        QVERIFY(detail);
        QCOMPARE(detail->pages[0].error, QString());
        QCOMPARE(detail->pages[1].error, doc.pages[1].error);
        QCOMPARE(detail->pages[2].warning, doc.pages[2].warning);
        QCOMPARE(detail->pages[1].wordCount, 0);
    }

    void writersWaitGenerouslyWithBackoff()
    {
        QCOMPARE(busySleptAfter(0).count(), 0);
        QCOMPARE(busySleptAfter(3).count(), 7); // 1 + 2 + 4 ms
        int calls = 0;
        while (busySleptAfter(calls) < kBusyPatience)
            ++calls;
        QVERIFY(kBusyPatience >= std::chrono::seconds(60));
        QVERIFY2(busySleptAfter(calls) - kBusyPatience < std::chrono::milliseconds(101), "gives up right after its patience");
    }
};

FOLIO_TEST_CLASS(TstConcurrentWrites)
#include "tst_concurrentwrites.moc"
