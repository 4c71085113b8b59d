// Reviewed work survives a re-run and a re-parse (storage/resultcarryover.h), through a real
// library in a temporary folder: edited, accepted, flagged and deleted items carry over, a
// disagreement is a `conflict` with both values, unreviewed items take the new reading.
#include "testregistry.h"

#include "resultsamples.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using namespace folio::storage;
using folio::test::sampleDocument;
using folio::test::sampleInvoice;
using folio::test::sampleRun;

class TstCarryOver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto library = Library::open(m_dir.filePath(QStringLiteral("carry-%1.sqlite").arg(++m_serial)));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        auto id = m_library->addDocument(sampleDocument(QStringLiteral("/docs/invoice.pdf"), 1));
        QVERIFY(id);
        m_doc = *id;
        auto run = m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0));
        QVERIFY2(run, run ? "" : run.error().c_str());
        m_firstRun = *run;
        m_library->review().setAuthor(QStringLiteral("anna"));
    }
    void cleanup() { m_library.reset(); }

    void reRunKeepsReviewedFieldsAndFlagsConflicts_data()
    {
        QTest::addColumn<bool>("reparse");
        QTest::newRow("re-extraction") << false;
        QTest::newRow("reparse") << true;
    }
    void reRunKeepsReviewedFieldsAndFlagsConflicts()
    {
        QFETCH(bool, reparse);
        const StoredField number = field(QStringLiteral("invoice_number"));
        const StoredField date = field(QStringLiteral("issue_date"));
        const StoredField total = field(QStringLiteral("grand_total"));
        // Edited to what the new run will read too; accepted where the new run disagrees;
        // grand_total deleted.
        QVERIFY(m_library->review().updateFieldValue(number.id, QStringLiteral("RE-2024-0816"), QStringLiteral("RE-2024-0816")));
        QVERIFY(m_library->review().setFieldReviewStatus(date.id, kReviewAccepted));
        QVERIFY(m_library->review().deleteField(total.id));

        extract::PageResult next = sampleInvoice(0, QStringLiteral("RE-2024-0816"));
        next.fields[1].value = QStringLiteral("04.03.2026");
        next.fields[1].normalized = QStringLiteral("2026-03-04");
        if (reparse)
            QVERIFY(m_library->results().replaceRunResults(m_firstRun, next));
        else
            QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), next));

        const StoredField numberNow = field(QStringLiteral("invoice_number"));
        QCOMPARE(numberNow.id, number.id); // the reviewed row itself, with its history
        QCOMPARE(numberNow.field.value, QStringLiteral("RE-2024-0816"));
        QVERIFY(numberNow.field.flags.testFlag(extract::Flag::Edited));
        QVERIFY(!numberNow.field.flags.testFlag(extract::Flag::Conflict)); // the new run agrees
        QCOMPARE(numberNow.modelValue, QStringLiteral("RE-2024-0816"));

        const StoredField dateNow = field(QStringLiteral("issue_date"));
        QCOMPARE(dateNow.id, date.id);
        QCOMPARE(dateNow.reviewStatus, kReviewAccepted);
        QCOMPARE(dateNow.field.value, QStringLiteral("03.04.2026")); // the reviewed value stays
        QVERIFY(dateNow.field.flags.testFlag(extract::Flag::Conflict));
        QCOMPARE(dateNow.modelValue, QStringLiteral("04.03.2026")); // and the new reading is visible

        // Deleted stays deleted, and can still be restored from the carried-over deletion.
        auto results = m_library->results().results(m_doc);
        QVERIFY(results);
        QCOMPARE(results->fields.size(), std::size_t(2));
        auto edits = m_library->review().edits(m_doc);
        QVERIFY(edits);
        QCOMPARE(edits->back().what, QStringLiteral("deleted"));
        QCOMPARE(edits->back().author, QStringLiteral("anna"));
        QVERIFY(m_library->review().undo(edits->back().id));
        QCOMPARE(field(QStringLiteral("grand_total")).field.value, QStringLiteral("1.234,50 €"));

        // One copy of each field: the re-run's duplicates of reviewed rows are gone.
        auto finally = m_library->results().results(m_doc);
        QVERIFY(finally);
        for (const char* name : {"invoice_number", "issue_date"}) {
            int n = 0;
            for (const StoredField& f : finally->fields)
                n += f.field.name == QLatin1String(name);
            QCOMPARE(n, 1);
        }
    }

    void reviewedCellsCarryOverByGridPosition()
    {
        auto before = m_library->results().results(m_doc);
        QVERIFY(before);
        const StoredTable& table = before->tables.front();
        // Cell (1, 2) is the amount "1.234,50"; (1, 0) the description.
        qint64 amount = 0, description = 0;
        for (size_t i = 0; i < table.table.cells.size(); ++i) {
            if (table.table.cells[i].row == 1 && table.table.cells[i].col == 2)
                amount = table.cellIds[i];
            if (table.table.cells[i].row == 1 && table.table.cells[i].col == 0)
                description = table.cellIds[i];
        }
        QVERIFY(m_library->review().updateCellValue(amount, QStringLiteral("1.243,50"), QStringLiteral("1243.50")));
        extract::PageResult next = sampleInvoice(0);
        next.tables[0].cells[3].text = QStringLiteral("Schrauben M5"); // unreviewed: takes the new reading
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), next));

        auto after = m_library->results().results(m_doc);
        QVERIFY(after);
        QCOMPARE(after->tables.size(), std::size_t(1));
        const StoredTable& now = after->tables.front();
        QCOMPARE(now.table.cells.size(), table.table.cells.size());
        bool sawAmount = false;
        for (size_t i = 0; i < now.table.cells.size(); ++i) {
            const extract::Cell& c = now.table.cells[i];
            if (c.row == 1 && c.col == 2) {
                sawAmount = true;
                QCOMPARE(now.cellIds[i], amount);
                QCOMPARE(c.text, QStringLiteral("1.243,50"));
                QVERIFY(c.flags.testFlag(extract::Flag::Conflict)); // the model still reads 1.234,50
                QCOMPARE(now.cellModelValues[i], QStringLiteral("1.234,50"));
            }
            if (c.row == 1 && c.col == 0) {
                QVERIFY(now.cellIds[i] != description);
                QCOMPARE(c.text, QStringLiteral("Schrauben M5"));
            }
        }
        QVERIFY(sawAmount);
    }

    void reviewedFieldTheNewRunMissedStaysAsConflict()
    {
        const StoredField number = field(QStringLiteral("invoice_number"));
        QVERIFY(m_library->review().setFieldReviewStatus(number.id, kReviewAccepted));
        extract::PageResult next = sampleInvoice(0);
        next.fields.erase(next.fields.begin()); // the new run did not find the invoice number
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), next));
        const StoredField now = field(QStringLiteral("invoice_number"));
        QCOMPARE(now.id, number.id);
        QCOMPARE(now.field.value, QStringLiteral("RE-2024-0815"));
        QVERIFY(now.field.flags.testFlag(extract::Flag::Conflict));
        QCOMPARE(now.modelValue, QString());
    }

    void unreviewedResultsAreReplaced()
    {
        const StoredField number = field(QStringLiteral("invoice_number"));
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0, QStringLiteral("X-1"))));
        const StoredField now = field(QStringLiteral("invoice_number"));
        QVERIFY(now.id != number.id);
        QCOMPARE(now.field.value, QStringLiteral("X-1"));
        QVERIFY(!now.field.flags.testFlag(extract::Flag::Conflict));
        auto results = m_library->results().results(m_doc);
        QCOMPARE(results->fields.size(), std::size_t(3));
        QCOMPARE(results->lines.size(), std::size_t(2));
    }

private:
    StoredField field(const QString& name)
    {
        auto results = m_library->results().results(m_doc);
        if (results)
            for (const StoredField& f : results->fields)
                if (f.field.name == name)
                    return f;
        return {};
    }

    QTemporaryDir m_dir;
    int m_serial = 0;
    std::unique_ptr<Library> m_library;
    qint64 m_doc = 0;
    qint64 m_firstRun = 0;
};

FOLIO_TEST_CLASS(TstCarryOver)
#include "tst_carryover.moc"
