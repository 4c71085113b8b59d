// Extraction results in the library: schema v1 → v2 migration, storing and reading back runs
// and page results, re-runs superseding results, re-parsing, search over results, cascades.
#include "testregistry.h"

#include "resultsamples.h"
#include "storage/database.h"
#include "storage/library.h"
#include "storage/migrations.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace folio;
using namespace folio::storage;
using folio::test::box;
using folio::test::sampleDocument;
using folio::test::sampleInvoice;
using folio::test::sampleRun;

namespace {

// Counts rows with a second connection, so the test sees what is committed.
qint64 count(const QString& dbPath, const QString& sql)
{
    auto db = Database::open(dbPath);
    if (!db)
        return -1;
    auto query = (*db)->prepare(sql);
    if (!query || !query->step())
        return -1;
    return query->columnInt64(0);
}

// The kinds and pages of the hits for `text`, as "kind:page" strings.
QStringList hitKinds(Library& library, const QString& text)
{
    QStringList out;
    auto hits = library.search(text);
    if (!hits)
        return { QString::fromStdString(hits.error()) };
    for (const SearchHit& hit : *hits)
        out << hit.kind + QLatin1Char(':') + QString::number(hit.pageIndex);
    return out;
}

} // namespace

class TstResults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("results-%1.sqlite").arg(++m_serial));
        auto library = Library::open(m_path);
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        auto id = m_library->addDocument(sampleDocument(QStringLiteral("/docs/invoice.pdf"), 2));
        QVERIFY2(id, id ? "" : id.error().c_str());
        m_doc = *id;
    }

    void cleanup() { m_library.reset(); }

    void migratesV1DatabaseAndKeepsItsData()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1.sqlite"));
        sqlite3* raw = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &raw), SQLITE_OK);
        const QByteArray v1 = migrationSql(1).toUtf8();
        QVERIFY(!v1.isEmpty());
        QCOMPARE(sqlite3_exec(raw, v1.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
        const char* data = R"sql(
            PRAGMA user_version = 1;
            INSERT INTO documents (id, sha256, path, file_name, kind, page_count, file_size)
                VALUES (7, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '/old/a.pdf', 'a.pdf',
                        'pdf', 1, 10);
            INSERT INTO pages (id, document_id, page_index, width_pt, height_pt) VALUES (70, 7, 0, 612, 792);
            INSERT INTO search_entries (page_id, kind, ref_id, text, x0, y0, x1, y1)
                VALUES (70, 'text_layer', 0, 'Altbestand Lieferschein', 0.1, 0.1, 0.5, 0.2);
        )sql";
        QCOMPARE(sqlite3_exec(raw, data, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);

        auto library = Library::open(path);
        QVERIFY2(library, library ? "" : library.error().c_str());
        QCOMPARE(count(path, QStringLiteral("PRAGMA user_version")), qint64(latestSchemaVersion()));
        QVERIFY(latestSchemaVersion() >= 2);
        auto docs = (*library)->listDocuments();
        QVERIFY(docs);
        QCOMPARE(docs->size(), std::size_t(1));
        QCOMPARE(docs->front().id, qint64(7));
        QCOMPARE(docs->front().path, QStringLiteral("/old/a.pdf"));
        QCOMPARE(hitKinds(**library, QStringLiteral("Lieferschein")), QStringList { QStringLiteral("text_layer:0") });
        // The old document takes results like a new one.
        auto run = (*library)->results().storePageResult(sampleRun(7, 0, QStringLiteral("invoice")), sampleInvoice(0));
        QVERIFY2(run, run ? "" : run.error().c_str());
        QCOMPARE(hitKinds(**library, QStringLiteral("RE-2024-0815")),
            (QStringList { QStringLiteral("field:0"), QStringLiteral("ocr_line:0") }));
    }

    void storesAndReadsBackAPageResult()
    {
        const RunRecord run = sampleRun(m_doc, 1, QStringLiteral("invoice"));
        const extract::PageResult page = sampleInvoice(1);
        auto runId = m_library->results().storePageResult(run, page);
        QVERIFY2(runId, runId ? "" : runId.error().c_str());

        auto stored = m_library->results().results(m_doc);
        QVERIFY2(stored, stored ? "" : stored.error().c_str());
        QCOMPARE(stored->lines.size(), page.lines.size());
        for (std::size_t i = 0; i < page.lines.size(); ++i) {
            QCOMPARE(stored->lines[i].line.text, page.lines[i].text);
            QCOMPARE(stored->lines[i].line.box, page.lines[i].box);
            QCOMPARE(stored->lines[i].line.confidence, page.lines[i].confidence);
            QCOMPARE(stored->lines[i].line.flags, page.lines[i].flags);
            QCOMPARE(stored->lines[i].order, int(i));
            QCOMPARE(stored->lines[i].runId, *runId);
            QCOMPARE(stored->lines[i].reviewStatus, QStringLiteral("pending"));
        }
        QCOMPARE(stored->fields.size(), page.fields.size());
        for (std::size_t i = 0; i < page.fields.size(); ++i) {
            const extract::Field& want = page.fields[i];
            const extract::Field& got = stored->fields[i].field;
            QCOMPARE(got.name, want.name);
            QCOMPARE(got.value, want.value);
            QCOMPARE(got.normalized, want.normalized);
            QCOMPARE(got.box, want.box);
            QCOMPARE(got.confidence, want.confidence);
            QCOMPARE(got.flags, want.flags);
            QCOMPARE(got.source, want.source);
            QVERIFY(stored->fields[i].id > 0);
        }
        QVERIFY(!stored->fields[2].field.box.valid()); // no box stays no box
        QCOMPARE(stored->tables.size(), std::size_t(1));
        const StoredTable& table = stored->tables.front();
        QCOMPARE(table.table.name, QStringLiteral("line_items"));
        QCOMPARE(table.table.box, page.tables[0].box);
        QCOMPARE(table.table.rows(), 3);
        QCOMPARE(table.table.cols(), 3);
        QCOMPARE(table.table.cells.size(), page.tables[0].cells.size());
        QCOMPARE(table.cellIds.size(), table.table.cells.size());
        QCOMPARE(table.cellReviewStatus.size(), table.table.cells.size());
        for (std::size_t i = 0; i < table.table.cells.size(); ++i) {
            const extract::Cell& want = page.tables[0].cells[i];
            const extract::Cell& got = table.table.cells[i];
            QCOMPARE(got.row, want.row);
            QCOMPARE(got.col, want.col);
            QCOMPARE(got.rowSpan, want.rowSpan);
            QCOMPARE(got.colSpan, want.colSpan);
            QCOMPARE(got.text, want.text);
            QCOMPARE(got.normalized, want.normalized);
            QCOMPARE(got.box, want.box);
            QCOMPARE(got.flags, want.flags);
            QCOMPARE(got.header, want.header);
        }

        auto runs = m_library->results().runs(m_doc);
        QVERIFY(runs);
        QCOMPARE(runs->size(), std::size_t(1));
        const RunRecord& back = runs->front();
        QCOMPARE(back.id, *runId);
        QCOMPARE(back.task, run.task);
        QCOMPARE(back.modelId, run.modelId);
        QCOMPARE(back.promptVersion, run.promptVersion);
        QCOMPARE(back.params, run.params);
        QCOMPARE(back.rawOutput, run.rawOutput);
        QCOMPARE(back.resizedWidth, 812);
        QCOMPARE(back.resizedHeight, 1148);
        QCOMPARE(back.timings, run.timings);
        QCOMPARE(back.status, QStringLiteral("ok"));
        QCOMPARE(back.startedAt, run.startedAt);
        QCOMPARE(back.finishedAt, run.finishedAt);
        QCOMPARE(back.supersededBy, qint64(0));

        auto detail = m_library->document(m_doc);
        QVERIFY(detail);
        QCOMPARE(detail->doc.status, QStringLiteral("needs_review"));
    }

    void rerunSupersedesResultsButKeepsRuns()
    {
        ResultStore& store = m_library->results();
        auto first = store.storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0));
        QVERIFY(first);
        extract::PageResult ocr;
        ocr.page = 0;
        ocr.lines = { { box(0, 0.1, 0.1, 0.4, 0.12), QStringLiteral("Lieferadresse Musterweg"), 0.9, {}, {} } };
        auto ocrRun = store.storePageResult(sampleRun(m_doc, 0, QStringLiteral("ocr")), ocr);
        QVERIFY(ocrRun);
        auto second = store.storePageResult(
            sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0, QStringLiteral("RE-2025-0001")));
        QVERIFY(second);

        auto runs = store.runs(m_doc);
        QVERIFY(runs);
        QCOMPARE(runs->size(), std::size_t(3));
        QCOMPARE(runs->at(0).id, *first);
        QCOMPARE(runs->at(0).supersededBy, *second);
        QCOMPARE(runs->at(1).supersededBy, qint64(0)); // another task is not superseded
        QCOMPARE(runs->at(0).rawOutput, sampleRun(m_doc, 0, QStringLiteral("invoice")).rawOutput);

        auto results = store.results(m_doc);
        QVERIFY(results);
        QCOMPARE(results->fields.size(), std::size_t(3));
        for (const StoredField& f : results->fields)
            QCOMPARE(f.runId, *second);
        QCOMPARE(results->fields.front().field.value, QStringLiteral("RE-2025-0001"));
        QCOMPARE(results->tables.size(), std::size_t(1));
        QCOMPARE(results->lines.size(), std::size_t(3)); // two invoice lines + the OCR line
        QCOMPARE(hitKinds(*m_library, QStringLiteral("RE-2024-0815")), QStringList());
        QCOMPARE(hitKinds(*m_library, QStringLiteral("RE-2025-0001")),
            (QStringList { QStringLiteral("field:0"), QStringLiteral("ocr_line:0") }));
        QCOMPARE(hitKinds(*m_library, QStringLiteral("Musterweg")), QStringList { QStringLiteral("ocr_line:0") });

        // The index holds exactly one entry per current result row.
        QCOMPARE(count(m_path, QStringLiteral("SELECT count(*) FROM search_entries WHERE kind <> 'text_layer'")),
            count(m_path,
                QStringLiteral("SELECT (SELECT count(*) FROM lines) + (SELECT count(*) FROM fields) "
                               "+ (SELECT count(*) FROM cells)")));
        QCOMPARE(count(m_path, QStringLiteral("SELECT count(*) FROM cells")), qint64(8));
    }

    void failedRunKeepsRawOutputAndEarlierResults()
    {
        ResultStore& store = m_library->results();
        QVERIFY(store.storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0)));
        RunRecord failed = sampleRun(m_doc, 0, QStringLiteral("invoice"));
        failed.status = QStringLiteral("failed");
        failed.rawOutput = QStringLiteral("{\"invoice_number\": \"RE-20");
        failed.error = QStringLiteral("the model output is not JSON");
        failed.attempt = 2;
        auto id = store.storeRun(failed);
        QVERIFY2(id, id ? "" : id.error().c_str());
        auto back = store.run(*id);
        QVERIFY(back);
        QCOMPARE(back->rawOutput, failed.rawOutput);
        QCOMPARE(back->status, QStringLiteral("failed"));
        QCOMPARE(back->error, failed.error);
        QCOMPARE(back->attempt, 2);
        auto results = store.results(m_doc);
        QVERIFY(results);
        QCOMPARE(results->fields.size(), std::size_t(3));
        QVERIFY(results->fields.front().runId != *id);
    }

    void replaceRunResultsKeepsTheRun()
    {
        ResultStore& store = m_library->results();
        auto first = store.storePageResult(sampleRun(m_doc, 1, QStringLiteral("invoice")), sampleInvoice(1));
        QVERIFY(first);
        auto replaced = store.replaceRunResults(*first, sampleInvoice(1, QStringLiteral("RE-9999")));
        QVERIFY2(replaced, replaced ? "" : replaced.error().c_str());
        auto runs = store.runs(m_doc);
        QVERIFY(runs);
        QCOMPARE(runs->size(), std::size_t(1));
        auto results = store.results(m_doc);
        QVERIFY(results);
        QCOMPARE(results->fields.size(), std::size_t(3));
        QCOMPARE(results->fields.front().field.value, QStringLiteral("RE-9999"));
        QCOMPARE(results->fields.front().runId, *first);
        QCOMPARE(hitKinds(*m_library, QStringLiteral("RE-2024-0815")), QStringList());

        // A superseded run's results are gone for good; re-parsing it is refused.
        auto second = store.storePageResult(sampleRun(m_doc, 1, QStringLiteral("invoice")), sampleInvoice(1));
        QVERIFY(second);
        auto refused = store.replaceRunResults(*first, sampleInvoice(1));
        QVERIFY(!refused);
        QVERIFY2(refused.error().find("#" + std::to_string(*second)) != std::string::npos, refused.error().c_str());
        auto missing = store.replaceRunResults(*second + 100, sampleInvoice(1));
        QVERIFY(!missing);
    }

    void searchFindsResults_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QRectF>("box");

        QTest::newRow("field value") << QStringLiteral("03.04.2026") << QStringLiteral("field")
                                     << QRectF(QPointF(0.7, 0.05), QPointF(0.85, 0.08));
        QTest::newRow("field without box") << QStringLiteral("1.234,50 €") << QStringLiteral("field") << QRectF();
        QTest::newRow("cell") << QStringLiteral("Schrauben") << QStringLiteral("cell")
                              << QRectF(QPointF(0.1, 0.4), QPointF(0.28, 0.48));
        QTest::newRow("spanning cell") << QStringLiteral("frei Haus") << QStringLiteral("cell")
                                       << QRectF(QPointF(0.1, 0.5), QPointF(0.48, 0.58));
        QTest::newRow("line") << QStringLiteral("innerhalb") << QStringLiteral("ocr_line")
                              << QRectF(QPointF(0.1, 0.9), QPointF(0.6, 0.93));
    }

    void searchFindsResults()
    {
        QFETCH(QString, text);
        QFETCH(QString, kind);
        QFETCH(QRectF, box);
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 1, QStringLiteral("invoice")), sampleInvoice(1)));
        auto hits = m_library->search(text);
        QVERIFY2(hits, hits ? "" : hits.error().c_str());
        QCOMPARE(hits->size(), std::size_t(1));
        const SearchHit& hit = hits->front();
        QCOMPARE(hit.kind, kind);
        QCOMPARE(hit.documentId, m_doc);
        QCOMPARE(hit.pageIndex, 1);
        QCOMPARE(hit.box.isNull(), box.isNull());
        if (!box.isNull()) {
            QVERIFY(qAbs(hit.box.left() - box.left()) < 1e-9 && qAbs(hit.box.top() - box.top()) < 1e-9);
            QVERIFY(qAbs(hit.box.right() - box.right()) < 1e-9 && qAbs(hit.box.bottom() - box.bottom()) < 1e-9);
        }
    }

    void invalidRunsAreRefused_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("runPage");
        QTest::addColumn<int>("boxPage");
        QTest::addColumn<QString>("sourceOverride");
        QTest::addColumn<QString>("expected"); // a part of the message

        QTest::newRow("unknown task") << "summary"
                                      << "ok" << 0 << 0 << ""
                                      << "unknown task 'summary'";
        QTest::newRow("unknown status") << "ocr"
                                        << "done" << 0 << 0 << ""
                                        << "unknown run status 'done'";
        QTest::newRow("no such page") << "ocr"
                                      << "ok" << 5 << 5 << ""
                                      << "has no page 6";
        QTest::newRow("box on another page") << "invoice"
                                             << "ok" << 0 << 1 << ""
                                             << "not on page 1";
        QTest::newRow("unknown source") << "invoice"
                                        << "ok" << 0 << 0 << "scanner"
                                        << "unknown source 'scanner'";
    }

    void invalidRunsAreRefused()
    {
        QFETCH(QString, task);
        QFETCH(QString, status);
        QFETCH(int, runPage);
        QFETCH(int, boxPage);
        QFETCH(QString, sourceOverride);
        QFETCH(QString, expected);
        RunRecord run = sampleRun(m_doc, runPage, task);
        run.status = status;
        extract::PageResult page = sampleInvoice(boxPage);
        page.page = runPage;
        if (!sourceOverride.isEmpty())
            page.fields[1].source = sourceOverride;
        auto stored = m_library->results().storePageResult(run, page);
        QVERIFY(!stored);
        QVERIFY2(QString::fromStdString(stored.error()).contains(expected), stored.error().c_str());
        QVERIFY2(
            stored.error().find("document #" + std::to_string(m_doc)) != std::string::npos, stored.error().c_str());
        // All or nothing: no run, no results, status untouched.
        QCOMPARE(count(m_path, QStringLiteral("SELECT count(*) FROM runs")), qint64(0));
        QCOMPARE(count(m_path, QStringLiteral("SELECT count(*) FROM fields")), qint64(0));
        QCOMPARE(
            count(m_path, QStringLiteral("SELECT count(*) FROM search_entries WHERE kind <> 'text_layer'")), qint64(0));
        auto detail = m_library->document(m_doc);
        QVERIFY(detail);
        QCOMPARE(detail->doc.status, QStringLiteral("ingested"));
    }

    void removingADocumentRemovesEverything()
    {
        auto other = m_library->addDocument(sampleDocument(QStringLiteral("/docs/other.pdf"), 1));
        QVERIFY(other);
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0)));
        QVERIFY(
            m_library->results().storePageResult(sampleRun(*other, 0, QStringLiteral("invoice")), sampleInvoice(0)));
        auto fields = m_library->results().results(m_doc);
        QVERIFY(fields);
        QVERIFY(m_library->review().updateFieldValue(fields->fields.front().id, QStringLiteral("X"), {}));

        QVERIFY(m_library->removeDocument(m_doc));
        for (const char* table : { "runs", "lines", "fields", "result_tables", "cells", "edits" }) {
            QCOMPARE(count(m_path,
                         QStringLiteral("SELECT count(*) FROM %1 WHERE document_id = %2")
                             .arg(QLatin1String(table))
                             .arg(m_doc)),
                qint64(0));
        }
        // Only the other document's entries are left in the index, and they still match.
        QCOMPARE(count(m_path, QStringLiteral("SELECT count(*) FROM search_entries WHERE kind <> 'text_layer'")),
            qint64(3 + 2 + 8));
        QCOMPARE(
            count(m_path, QStringLiteral("SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"Schrauben\"'")),
            qint64(1));
        auto hits = m_library->search(QStringLiteral("RE-2024-0815"));
        QVERIFY(hits);
        for (const SearchHit& hit : *hits)
            QCOMPARE(hit.documentId, *other);
    }

    void pageWords()
    {
        auto words = m_library->words(m_doc, 1);
        QVERIFY2(words, words ? "" : words.error().c_str());
        QCOMPARE(words->documentId, m_doc);
        QCOMPARE(words->pageIndex, 1);
        QCOMPARE(words->widthPt, 595.0);
        QCOMPARE(words->heightPt, 842.0);
        QCOMPARE(words->words.size(), std::size_t(3));
        QCOMPARE(words->words[1].text, QStringLiteral("Nr."));
        QCOMPARE(words->words[1].lineIndex, 0);
        QCOMPARE(words->words[2].lineIndex, 1);
        QCOMPARE(words->words[0].box, QRectF(0.1, 0.05, 0.2, 0.03));
        auto missing = m_library->words(m_doc, 2);
        QVERIFY(!missing);
        QVERIFY2(missing.error().find("page 3") != std::string::npos, missing.error().c_str());
    }

    void documentStatus_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("extracting") << "extracting" << true;
        QTest::newRow("needs_review") << "needs_review" << true;
        QTest::newRow("reviewed") << "reviewed" << true;
        QTest::newRow("ingested") << "ingested" << true;
        QTest::newRow("unknown") << "done" << false;
        QTest::newRow("case matters") << "Reviewed" << false;
    }

    void documentStatus()
    {
        QFETCH(QString, status);
        QFETCH(bool, accepted);
        QVERIFY(m_library->setDocumentStatus(m_doc, QStringLiteral("extracting")));
        auto set = m_library->setDocumentStatus(m_doc, status);
        QCOMPARE(bool(set), accepted);
        auto detail = m_library->document(m_doc);
        QVERIFY(detail);
        QCOMPARE(detail->doc.status, accepted ? status : QStringLiteral("extracting"));
        QVERIFY(!m_library->setDocumentStatus(m_doc + 1000, QStringLiteral("reviewed")));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_serial = 0;
    std::unique_ptr<Library> m_library;
    qint64 m_doc = 0;
};

FOLIO_TEST_CLASS(TstResults)
#include "tst_results.moc"
