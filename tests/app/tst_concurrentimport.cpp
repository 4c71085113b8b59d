// Two importers writing one library at once lose nothing, end to end: real `folio ingest`
// processes racing on a new library (both migrate it), a small import beside a large one, and
// the GUI's import job (ui/jobs, in this process) beside a CLI import. Every file ends up stored
// exactly once, every importer finishes without an error, and a file the other one stored first
// is reported `present`.
#include "folioprocess.h"

#include "storage/library.h"
#include "ui/jobs/importjob.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

namespace {

QStringList samplePdfs()
{
    QStringList out;
    for (const QString& name : QDir(folio::test::samplesDir()).entryList({QStringLiteral("*.pdf")}, QDir::Files, QDir::Name))
        out << folio::test::samplesDir() + name;
    return out;
}

// `folio --db DB ingest --json --ocr never FILES...`, started, not waited for.
std::unique_ptr<QProcess> startIngest(const QString& db, const QStringList& files)
{
    auto p = std::make_unique<QProcess>();
    p->start(QStringLiteral(FOLIO_EXE), QStringList{QStringLiteral("--db"), db, QStringLiteral("ingest"),
                                                    QStringLiteral("--json"), QStringLiteral("--ocr"),
                                                    QStringLiteral("never")}
                                            + files);
    return p;
}

struct Finished {
    int exitCode = -1;
    QString err;
    QMap<QString, QJsonObject> byPath; // the --json result of each file
};

Finished finish(QProcess& p)
{
    Finished f;
    if (!p.waitForFinished(600000)) // a hang guard, not a speed limit
        return f;
    f.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    f.err = QString::fromUtf8(p.readAllStandardError());
    for (const QJsonValue& v : QJsonDocument::fromJson(p.readAllStandardOutput()).array())
        f.byPath.insert(v.toObject().value(QStringLiteral("path")).toString(), v.toObject());
    return f;
}

// The library holds each of `files` exactly once (by content) and nothing else.
void verifyStoredOnce(const QString& db, const QStringList& files)
{
    auto library = folio::storage::Library::open(db);
    QVERIFY2(library, library ? "" : library.error().c_str());
    auto docs = (*library)->listDocuments();
    QVERIFY2(docs, docs ? "" : docs.error().c_str());
    QSet<QByteArray> hashes;
    QSet<QString> names;
    for (const auto& doc : *docs) {
        hashes.insert(doc.sha256);
        names.insert(doc.fileName);
    }
    QCOMPARE(int(docs->size()), int(files.size()));
    QCOMPARE(int(hashes.size()), int(files.size()));
    for (const QString& file : files)
        QVERIFY2(names.contains(QFileInfo(file).fileName()), qPrintable(file + QStringLiteral(" is not stored")));
}

} // namespace

class TstConcurrentImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Once lost every file of one process ("table runs already exists"): both find the library
    // missing and both migrate it.
    void twoImportersOnANewLibrary_data()
    {
        QTest::addColumn<int>("trial");
        for (int i = 1; i <= 3; ++i)
            QTest::newRow(qPrintable(QStringLiteral("trial %1").arg(i))) << i;
    }
    void twoImportersOnANewLibrary()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("new/library.sqlite"));
        const QStringList files = samplePdfs();
        QVERIFY(files.size() >= 3);
        QStringList reversed(files.rbegin(), files.rend()); // so that both store some first
        auto a = startIngest(db, files);
        auto b = startIngest(db, reversed);
        const Finished ra = finish(*a);
        const Finished rb = finish(*b);
        QVERIFY2(ra.exitCode == 0, qPrintable(ra.err));
        QVERIFY2(rb.exitCode == 0, qPrintable(rb.err));
        for (const QString& file : files) {
            const QJsonObject fa = ra.byPath.value(file), fb = rb.byPath.value(file);
            const QSet<QString> statuses{fa.value(QStringLiteral("status")).toString(),
                                         fb.value(QStringLiteral("status")).toString()};
            // One stored it, the other found it stored: added once, present once, one id.
            QVERIFY2(statuses == (QSet<QString>{QStringLiteral("added"), QStringLiteral("present")}),
                     qPrintable(file + QStringLiteral(": ") + QStringList(statuses.values()).join(QLatin1Char(' '))));
            QCOMPARE(fa.value(QStringLiteral("id")).toInteger(), fb.value(QStringLiteral("id")).toInteger());
        }
        verifyStoredOnce(db, files);
    }

    // A small file once failed with "database is locked" next to a large import and was dropped.
    void smallImportBesideALargeOne()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList files = samplePdfs();
        QStringList repeated;
        for (int i = 0; i < 40; ++i)
            repeated << files;
        const QString large = dir.filePath(QStringLiteral("large.pdf"));
        QProcess qpdf;
        qpdf.start(QStringLiteral("qpdf"), QStringList{QStringLiteral("--empty"), QStringLiteral("--pages")} + repeated
                                               + QStringList{QStringLiteral("--"), large});
        QVERIFY(qpdf.waitForFinished(600000));
        QVERIFY2(qpdf.exitCode() == 0, qpdf.readAllStandardError().constData());

        const QString db = dir.filePath(QStringLiteral("library.sqlite"));
        auto big = startIngest(db, {large});
        // The small import starts once the large one has created the library and is inside it.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(db), 600000);
        auto small = startIngest(db, {files.first()});
        const Finished rs = finish(*small);
        const Finished rb = finish(*big);
        QVERIFY2(rs.exitCode == 0, qPrintable(rs.err));
        QVERIFY2(rb.exitCode == 0, qPrintable(rb.err));
        QCOMPARE(rs.byPath.value(files.first()).value(QStringLiteral("status")).toString(), QStringLiteral("added"));
        const QJsonObject bigResult = rb.byPath.value(large);
        QCOMPARE(bigResult.value(QStringLiteral("status")).toString(), QStringLiteral("added"));
        QVERIFY2(bigResult.value(QStringLiteral("pages")).toInt() >= 40 * int(files.size()),
                 qPrintable(QString::number(bigResult.value(QStringLiteral("pages")).toInt())));
        verifyStoredOnce(db, {large, files.first()});
    }

    // The GUI's import job (the code the window runs, on the thread pool) and a CLI import of
    // the same files into the same library at the same time.
    void guiJobBesideACliImport()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("library.sqlite"));
        const QStringList files = samplePdfs();
        folio::jobs::ImportOcr noOcr;
        noOcr.mode = folio::ingest::OcrMode::Never;
        auto cli = startIngest(db, QStringList(files.rbegin(), files.rend()));
        folio::jobs::ImportJob job = folio::jobs::startImport(db, files, noOcr);
        job.future.waitForFinished();
        const Finished rc = finish(*cli);
        QVERIFY2(rc.exitCode == 0, qPrintable(rc.err));

        using Status = folio::jobs::ImportOutcome::Status;
        const QList<folio::jobs::ImportOutcome> outcomes = job.future.results();
        QCOMPARE(int(outcomes.size()), int(files.size()));
        for (const folio::jobs::ImportOutcome& outcome : outcomes) {
            QVERIFY2(outcome.status != Status::Failed, qPrintable(outcome.error));
            const QString cliStatus = rc.byPath.value(outcome.path).value(QStringLiteral("status")).toString();
            // Exactly one of the two stored each file.
            QCOMPARE(cliStatus, outcome.status == Status::Added ? QStringLiteral("present") : QStringLiteral("added"));
        }
        verifyStoredOnce(db, files);
    }
};

FOLIO_TEST_CLASS(TstConcurrentImport)
#include "tst_concurrentimport.moc"
