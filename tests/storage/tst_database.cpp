// The SQLite layer: opening and migrating, statements, transactions, and failures (full disk,
// read-only, bad paths) coming back as clear errors.
#include "testregistry.h"

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/transaction.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace folio::storage;

namespace {

// Runs a query that returns one value.
QString scalar(Database& db, const QString& sql)
{
    auto query = db.prepare(sql);
    if (!query)
        return QStringLiteral("prepare failed: ") + QString::fromStdString(query.error());
    auto stepped = query->step();
    if (!stepped || *stepped != Statement::Step::Row)
        return QStringLiteral("no row");
    return query->columnText(0);
}

} // namespace

class TstDatabase : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void openCreatesFoldersAndSchema()
    {
        const QString path = m_dir.filePath(QStringLiteral("a/b/c/library.sqlite"));
        auto db = Database::open(path);
        QVERIFY2(db, db ? "" : db.error().c_str());
        QVERIFY(QFile::exists(path));
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA user_version")).toInt(), latestSchemaVersion());
        QVERIFY(latestSchemaVersion() >= 1);
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA foreign_keys")), QStringLiteral("1"));
        for (const char* table : { "documents", "pages", "words", "search_entries", "search_fts" }) {
            auto query = (*db)->prepare(
                QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"));
            QVERIFY(query);
            query->bind(1, QString::fromLatin1(table));
            QCOMPARE(*query->step(), Statement::Step::Row);
            QVERIFY2(query->columnInt(0) == 1, table);
        }
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    }

    void reopenKeepsDataAndVersion()
    {
        const QString path = m_dir.filePath(QStringLiteral("reopen.sqlite"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
            QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (v TEXT)")));
            auto insert = (*db)->prepare(QStringLiteral("INSERT INTO t (v) VALUES (?)"));
            QVERIFY(insert);
            insert->bind(1, QStringLiteral("kept"));
            QVERIFY(insert->exec());
            QCOMPARE((*db)->changes(), 1);
        }
        auto db = Database::open(path);
        QVERIFY(db);
        QCOMPARE(scalar(**db, QStringLiteral("SELECT v FROM t")), QStringLiteral("kept"));
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA user_version")).toInt(), latestSchemaVersion());
    }

    void newerSchemaIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
            QVERIFY((*db)->exec(QStringLiteral("PRAGMA user_version = %1").arg(latestSchemaVersion() + 1)));
        }
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(QString::fromStdString(db.error()).contains(QStringLiteral("newer Folio")), db.error().c_str());
    }

    void bindAndReadEveryType()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("types.sqlite")));
        QVERIFY(db);
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT, e TEXT)")));
        const QString text = QStringLiteral("发票 Größe ✓ 𠀋");
        const QByteArray blob("a\0b\xff", 4);
        auto insert = (*db)->prepare(QStringLiteral("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)"));
        QVERIFY(insert);
        insert->bind(1, qint64(1) << 40).bind(2, 0.125).bind(3, text).bind(4, blob).bind(5, nullptr);
        insert->bind(6, QString()); // a null QString is NULL, not ''
        QVERIFY(insert->exec());
        QCOMPARE((*db)->lastInsertId(), qint64(1));

        auto select = (*db)->prepare(QStringLiteral("SELECT i, d, s, b, n, e, typeof(e) FROM t"));
        QVERIFY(select);
        QCOMPARE(*select->step(), Statement::Step::Row);
        QCOMPARE(select->columnInt64(0), qint64(1) << 40);
        QCOMPARE(select->columnDouble(1), 0.125);
        QCOMPARE(select->columnText(2), text);
        QCOMPARE(select->columnBlob(3), blob);
        QVERIFY(select->isNull(4));
        QVERIFY(!select->isNull(2));
        QCOMPARE(select->columnText(6), QStringLiteral("null"));
        QCOMPARE(*select->step(), Statement::Step::Done);

        // reset() makes a statement reusable with new bindings.
        select->reset();
        QCOMPARE(*select->step(), Statement::Step::Row);
    }

    void statementErrors_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<int>("bindIndex");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QStringLiteral("SELEC 1") << 0 << QStringLiteral("syntax error");
        QTest::newRow("two statements") << QStringLiteral("SELECT 1; SELECT 2") << 0
                                        << QStringLiteral("more than one statement");
        QTest::newRow("unknown table") << QStringLiteral("SELECT * FROM nowhere") << 0
                                       << QStringLiteral("no such table: nowhere");
        QTest::newRow("bad bind index") << QStringLiteral("SELECT ?") << 3 << QStringLiteral("binding parameter 3");
        QTest::newRow("constraint") << QStringLiteral("INSERT INTO documents (sha256) VALUES ('x')") << 0
                                    << QStringLiteral("NOT NULL constraint failed");
    }

    void statementErrors()
    {
        QFETCH(QString, sql);
        QFETCH(int, bindIndex);
        QFETCH(QString, expected);
        auto db = Database::open(m_dir.filePath(QStringLiteral("errors.sqlite")));
        QVERIFY(db);
        auto statement = (*db)->prepare(sql);
        std::string error;
        if (!statement) {
            error = statement.error();
        } else {
            if (bindIndex > 0)
                statement->bind(bindIndex, 1);
            auto stepped = statement->step();
            QVERIFY(!stepped);
            error = stepped.error();
        }
        QVERIFY2(QString::fromStdString(error).contains(expected), error.c_str());
        // The message says what we were doing, too.
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("`")), error.c_str());
    }

    void transactionRollsBackUnlessCommitted()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("tx.sqlite")));
        QVERIFY(db);
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (v INTEGER)")));
        {
            auto tx = Transaction::begin(**db);
            QVERIFY(tx);
            QVERIFY((*db)->inTransaction());
            QVERIFY((*db)->exec(QStringLiteral("INSERT INTO t VALUES (1)")));
            QVERIFY2(!Transaction::begin(**db), "transactions do not nest");
        } // no commit: rolled back
        QVERIFY(!(*db)->inTransaction());
        QCOMPARE(scalar(**db, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("0"));
        {
            auto tx = Transaction::begin(**db);
            QVERIFY(tx);
            QVERIFY((*db)->exec(QStringLiteral("INSERT INTO t VALUES (2)")));
            QVERIFY(tx->commit());
            QVERIFY(!tx->commit());
        }
        QCOMPARE(scalar(**db, QStringLiteral("SELECT sum(v) FROM t")), QStringLiteral("2"));
    }

    void fullDiskIsAnError()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("full.sqlite")));
        QVERIFY(db);
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (b BLOB)")));
        QVERIFY((*db)->exec(QStringLiteral("INSERT INTO t VALUES (x'01')")));
        // Cap the file at its current size: the next growth fails like a full disk would.
        const int pages = scalar(**db, QStringLiteral("PRAGMA page_count")).toInt();
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA max_page_count = %1").arg(pages)).toInt(), pages);

        std::string error;
        {
            auto tx = Transaction::begin(**db);
            QVERIFY(tx);
            auto insert = (*db)->prepare(QStringLiteral("INSERT INTO t VALUES (?)"));
            QVERIFY(insert);
            for (int i = 0; i < 100 && error.empty(); ++i) {
                insert->reset();
                insert->bind(1, QByteArray(64 * 1024, 'x'));
                if (auto r = insert->exec(); !r)
                    error = r.error();
            }
        }
        QVERIFY2(!error.empty(), "inserting past max_page_count must fail");
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("disk is full")), error.c_str());
        // The connection is still usable and the earlier data intact.
        QVERIFY(!(*db)->inTransaction());
        QCOMPARE(scalar(**db, QStringLiteral("SELECT count(*) FROM t")), QStringLiteral("1"));
    }

    void readOnlyConnectionIsAnError()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("queryonly.sqlite")));
        QVERIFY(db);
        QVERIFY((*db)->exec(QStringLiteral("PRAGMA query_only = 1")));
        auto r = (*db)->exec(QStringLiteral("CREATE TABLE t (v)"));
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error()).contains(QStringLiteral("read-only")), r.error().c_str());
    }

    void readOnlyFileIsRefused()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: file permissions do not stop root from writing");
        QDir(m_dir.path()).mkdir(QStringLiteral("ro"));
        const QString path = m_dir.filePath(QStringLiteral("ro/library.sqlite"));
        QVERIFY(Database::open(path));
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        QVERIFY(QFile::setPermissions(m_dir.filePath(QStringLiteral("ro")), QFile::ReadOwner | QFile::ExeOwner));
        auto db = Database::open(path);
        QFile::setPermissions(
            m_dir.filePath(QStringLiteral("ro")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(!db);
        QVERIFY2(QString::fromStdString(db.error()).contains(QStringLiteral("read-only")), db.error().c_str());
    }

    void unusablePathIsAnError_data()
    {
        QTest::addColumn<QString>("relativePath");
        QTest::addColumn<QString>("expected");
        QTest::newRow("parent is a file")
            << QStringLiteral("plain.txt/library.sqlite") << QStringLiteral("Cannot create the folder");
        QTest::newRow("path is a folder") << QStringLiteral("folder") << QStringLiteral("is a folder");
        QTest::newRow("not a database") << QStringLiteral("plain.txt") << QStringLiteral("not a database");
        QTest::newRow("empty") << QString() << QStringLiteral("No path");
    }

    void unusablePathIsAnError()
    {
        QFETCH(QString, relativePath);
        QFETCH(QString, expected);
        QFile plain(m_dir.filePath(QStringLiteral("plain.txt")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.write(QByteArray(4096, 'z'));
        plain.close();
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("folder")));

        auto db = Database::open(relativePath.isEmpty() ? QString() : m_dir.filePath(relativePath));
        QVERIFY(!db);
        QVERIFY2(QString::fromStdString(db.error()).contains(expected), db.error().c_str());
        if (!relativePath.isEmpty())
            QVERIFY2(QString::fromStdString(db.error()).contains(relativePath.section(QLatin1Char('/'), 0, 0)),
                db.error().c_str());
    }

private:
    QTemporaryDir m_dir;
};

FOLIO_TEST_CLASS(TstDatabase)
#include "tst_database.moc"
