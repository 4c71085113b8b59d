// The hot folder on a real temporary folder: files there at the start and files dropped later
// are handed on once each and imported once; a file still being written is held back until
// it stops changing (checked step by step, no timing); a file whose content the library has
// already is skipped by the import; a missing folder is refused with its name.
#include "testregistry.h"

#include "storage/library.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobs/hotfolder.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

namespace {

QByteArray sampleBytes(const char* name)
{
    QFile f(test::sourceDir() + QStringLiteral("/resources/samples/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes, QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile f(path);
    return f.open(mode) && f.write(bytes) == bytes.size();
}

} // namespace

class TstHotFolder : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_serial = 0;

private Q_SLOTS:
    void newFilesAreImportedOnce()
    {
        const QString watched = m_dir.filePath(QStringLiteral("in-%1").arg(++m_serial));
        QVERIFY(QDir().mkpath(watched));
        QVERIFY(writeFile(watched + QStringLiteral("/already-there.pdf"), sampleBytes("invoice-de-nordlicht.pdf")));
        auto library = storage::Library::open(m_dir.filePath(QStringLiteral("hot-%1.sqlite").arg(m_serial)));
        QVERIFY(library);

        jobs::HotFolder hot;
        hot.setSettleDelay(20);
        QStringList handedOn;
        QList<jobs::ImportOutcome> imported;
        connect(&hot, &jobs::HotFolder::filesSettled, this, [&](const QStringList& files) {
            handedOn << files;
            for (const QString& f : files)
                imported << jobs::importDocument(**library, f);
        });
        QString error;
        QVERIFY2(hot.setFolder(watched, &error), qPrintable(error));
        QTRY_COMPARE(handedOn.size(), 1);

        QVERIFY(writeFile(watched + QStringLiteral("/dropped.pdf"), sampleBytes("price-list-kessler.pdf")));
        QVERIFY(writeFile(watched + QStringLiteral("/notes.txt"), "not a document"));
        QTRY_COMPARE(handedOn.size(), 2);
        // More changes in the folder (a file removed, another touched) hand on nothing again.
        QVERIFY(QFile::remove(watched + QStringLiteral("/notes.txt")));
        hot.rescan();
        hot.checkSettled();
        QCOMPARE(handedOn.size(), 2);
        QCOMPARE(handedOn, (QStringList{watched + QStringLiteral("/already-there.pdf"), watched + QStringLiteral("/dropped.pdf")}));
        for (const jobs::ImportOutcome& o : imported)
            QVERIFY2(o.status == jobs::ImportOutcome::Status::Added, qPrintable(o.error));
        const auto docs = (*library)->listDocuments();
        QVERIFY(docs);
        QCOMPARE(docs->size(), size_t(2));
    }

    void halfCopiedFileWaitsUntilItStopsChanging()
    {
        const QString watched = m_dir.filePath(QStringLiteral("in-%1").arg(++m_serial));
        QVERIFY(QDir().mkpath(watched));
        jobs::HotFolder hot;
        hot.setSettleDelay(24 * 3600 * 1000); // the test makes every check itself
        QSignalSpy settled(&hot, &jobs::HotFolder::filesSettled);
        QString error;
        QVERIFY(hot.setFolder(watched, &error));

        const QByteArray pdf = sampleBytes("invoice-de-nordlicht.pdf");
        const QString path = watched + QStringLiteral("/copying.pdf");
        QVERIFY(writeFile(path, pdf.left(pdf.size() / 2)));
        hot.rescan(); // seen half-written
        QVERIFY(writeFile(path, pdf.mid(pdf.size() / 2), QIODevice::Append)); // the copy goes on
        hot.checkSettled();
        QCOMPARE(settled.size(), 0); // it grew since it was seen
        hot.checkSettled();
        QCOMPARE(settled.size(), 1); // unchanged for one delay: whole
        QCOMPARE(settled.first().first().toStringList(), QStringList{path});
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.size(), qint64(pdf.size()));
        hot.checkSettled();
        QCOMPARE(settled.size(), 1);
    }

    void contentAlreadyInTheLibraryIsSkipped()
    {
        const QString watched = m_dir.filePath(QStringLiteral("in-%1").arg(++m_serial));
        QVERIFY(QDir().mkpath(watched));
        auto library = storage::Library::open(m_dir.filePath(QStringLiteral("hot-%1.sqlite").arg(m_serial)));
        QVERIFY(library);
        const QByteArray pdf = sampleBytes("invoice-de-nordlicht.pdf");
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("original-%1.pdf").arg(m_serial)), pdf));
        const jobs::ImportOutcome first = jobs::importDocument(**library, m_dir.filePath(QStringLiteral("original-%1.pdf").arg(m_serial)));
        QVERIFY2(first.status == jobs::ImportOutcome::Status::Added, qPrintable(first.error));

        jobs::HotFolder hot;
        hot.setSettleDelay(20);
        QList<jobs::ImportOutcome> imported;
        connect(&hot, &jobs::HotFolder::filesSettled, this, [&](const QStringList& files) {
            for (const QString& f : files)
                imported << jobs::importDocument(**library, f);
        });
        QString error;
        QVERIFY(hot.setFolder(watched, &error));
        QVERIFY(writeFile(watched + QStringLiteral("/same-again.pdf"), pdf));
        QTRY_COMPARE(imported.size(), 1);
        QVERIFY(imported.first().status == jobs::ImportOutcome::Status::AlreadyInLibrary);
        QCOMPARE(imported.first().documentId, first.documentId);
        QCOMPARE((*library)->listDocuments()->size(), size_t(1));
    }

    void refusesWhatIsNotAFolder()
    {
        jobs::HotFolder hot;
        QString error;
        const QString missing = m_dir.filePath(QStringLiteral("no-such-folder"));
        QVERIFY(!hot.setFolder(missing, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
        QVERIFY(hot.folder().isEmpty());
        QVERIFY(hot.setFolder(QString(), &error)); // stopping is always fine
    }
};

FOLIO_TEST_CLASS(TstHotFolder)
#include "tst_hotfolder.moc"
