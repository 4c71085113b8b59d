// The reviewer's edits: each change recorded old → new in the same transaction, the "edited"
// flag, the search index following values and boxes, added/deleted/restored fields, undo.
#include "testregistry.h"

#include "resultsamples.h"
#include "storage/library.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using namespace folio::storage;
using folio::test::box;
using folio::test::sampleDocument;
using folio::test::sampleInvoice;
using folio::test::sampleRun;

namespace {

QJsonObject json(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

class TstEdits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto library = Library::open(m_dir.filePath(QStringLiteral("edits-%1.sqlite").arg(++m_serial)));
        QVERIFY2(library, library ? "" : library.error().c_str());
        m_library = std::move(*library);
        auto id = m_library->addDocument(sampleDocument(QStringLiteral("/docs/invoice.pdf"), 2));
        QVERIFY(id);
        m_doc = *id;
        auto run
            = m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0));
        QVERIFY2(run, run ? "" : run.error().c_str());
        m_library->review().setAuthor(QStringLiteral("anna"));
    }

    void cleanup() { m_library.reset(); }

    void fieldValueEdit()
    {
        const StoredField before = field(1); // issue_date
        auto edit = m_library->review().updateFieldValue(
            before.id, QStringLiteral("04.03.2026"), QStringLiteral("2026-03-04"));
        QVERIFY2(edit, edit ? "" : edit.error().c_str());
        const StoredField after = field(1);
        QCOMPARE(after.id, before.id);
        QCOMPARE(after.field.value, QStringLiteral("04.03.2026"));
        QCOMPARE(after.field.normalized, QStringLiteral("2026-03-04"));
        QCOMPARE(after.field.flags, before.field.flags | extract::Flag::Edited);
        QCOMPARE(after.field.source, before.field.source);
        QCOMPARE(after.field.box, before.field.box);

        const EditRecord record = lastEdit();
        QCOMPARE(record.id, *edit);
        QCOMPARE(record.documentId, m_doc);
        QCOMPARE(record.target, QStringLiteral("field"));
        QCOMPARE(record.targetId, before.id);
        QCOMPARE(record.what, QStringLiteral("value"));
        QCOMPARE(json(record.oldValue).value(QStringLiteral("value")).toString(), QStringLiteral("03.04.2026"));
        QCOMPARE(json(record.oldValue).value(QStringLiteral("normalized")).toString(), QStringLiteral("2026-04-03"));
        QCOMPARE(json(record.newValue).value(QStringLiteral("value")).toString(), QStringLiteral("04.03.2026"));
        QCOMPARE(record.author, QStringLiteral("anna"));
        QVERIFY(record.at.isValid());
        QVERIFY(qAbs(record.at.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        QCOMPARE(kindsFound(QStringLiteral("03.04.2026")), QStringList());
        QCOMPARE(kindsFound(QStringLiteral("04.03.2026")), QStringList { QStringLiteral("field") });
    }

    void fieldBoxEdit()
    {
        const StoredField before = field(0);
        const extract::Box moved = box(1, 0.2, 0.3, 0.4, 0.35); // onto the second page
        auto edit = m_library->review().updateFieldBox(before.id, moved);
        QVERIFY2(edit, edit ? "" : edit.error().c_str());
        auto results = m_library->results().results(m_doc);
        QVERIFY(results);
        const auto it = std::find_if(
            results->fields.begin(), results->fields.end(), [&](const StoredField& f) { return f.id == before.id; });
        QVERIFY(it != results->fields.end());
        QCOMPARE(it->field.box, moved);
        QVERIFY(it->field.flags.testFlag(extract::Flag::Edited));

        const EditRecord record = lastEdit();
        QCOMPARE(record.what, QStringLiteral("box"));
        QCOMPARE(json(record.oldValue).value(QStringLiteral("x0")).toDouble(), 0.35);
        QCOMPARE(json(record.oldValue).value(QStringLiteral("page")).toInt(), 0);
        QCOMPARE(json(record.newValue).value(QStringLiteral("page")).toInt(), 1);
        QCOMPARE(json(record.newValue).value(QStringLiteral("y1")).toDouble(), 0.35);

        auto hits = m_library->search(QStringLiteral("RE-2024-0815"));
        QVERIFY(hits);
        const auto hit = std::find_if(
            hits->begin(), hits->end(), [](const SearchHit& h) { return h.kind == QLatin1String("field"); });
        QVERIFY(hit != hits->end());
        QCOMPARE(hit->pageIndex, 1);
        QCOMPARE(hit->box, QRectF(QPointF(0.2, 0.3), QPointF(0.4, 0.35)));

        // Removing the box records "null"; a box that is no rectangle, or on a missing page, is refused.
        QVERIFY(m_library->review().updateFieldBox(before.id, extract::Box {}));
        QCOMPARE(lastEdit().newValue, QStringLiteral("null"));
        QVERIFY(!m_library->review().updateFieldBox(before.id, box(0, 0.5, 0.5, 0.4, 0.6)));
        auto missingPage = m_library->review().updateFieldBox(before.id, box(7, 0.1, 0.1, 0.2, 0.2));
        QVERIFY(!missingPage);
        QVERIFY2(missingPage.error().find("no page 8") != std::string::npos, missingPage.error().c_str());
    }

    void reviewStatus_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("accepted") << "accepted" << true;
        QTest::newRow("flagged") << "flagged" << true;
        QTest::newRow("pending") << "pending" << true;
        QTest::newRow("unknown") << "done" << false;
    }

    void reviewStatus()
    {
        QFETCH(QString, status);
        QFETCH(bool, accepted);
        const StoredField before = field(2);
        const StoredTable cells = table();
        const qint64 editsBefore = editCount();
        QCOMPARE(bool(m_library->review().setFieldReviewStatus(before.id, status)), accepted);
        QCOMPARE(bool(m_library->review().setCellReviewStatus(cells.cellIds[4], status)), accepted);
        QCOMPARE(field(2).reviewStatus, accepted ? status : QStringLiteral("pending"));
        QCOMPARE(table().cellReviewStatus[4], accepted ? status : QStringLiteral("pending"));
        QCOMPARE(editCount(), editsBefore + (accepted ? 2 : 0));
        if (accepted) {
            QCOMPARE(lastEdit().target, QStringLiteral("cell"));
            QCOMPARE(lastEdit().oldValue, QStringLiteral("pending"));
            QCOMPARE(lastEdit().newValue, status);
        }
        // A review state is no edit of the value.
        QCOMPARE(field(2).field.flags, before.field.flags);
    }

    void cellEdits()
    {
        const StoredTable before = table();
        const qint64 cellId = before.cellIds[5]; // 1.234,50
        QVERIFY(m_library->review().updateCellValue(cellId, QStringLiteral("1.243,50"), QStringLiteral("1243.50")));
        const StoredTable after = table();
        QCOMPARE(after.table.cells[5].text, QStringLiteral("1.243,50"));
        QCOMPARE(after.table.cells[5].normalized, QStringLiteral("1243.50"));
        QVERIFY(after.table.cells[5].flags.testFlag(extract::Flag::Edited));
        QCOMPARE(after.table.cells[4].flags, before.table.cells[4].flags);
        QCOMPARE(lastEdit().target, QStringLiteral("cell"));
        QCOMPARE(json(lastEdit().oldValue).value(QStringLiteral("value")).toString(), QStringLiteral("1.234,50"));
        QCOMPARE(kindsFound(QStringLiteral("1.243,50")), QStringList { QStringLiteral("cell") });

        QVERIFY(m_library->review().updateCellBox(cellId, box(0, 0.5, 0.32, 0.6, 0.36)));
        QCOMPARE(table().table.cells[5].box, box(0, 0.5, 0.32, 0.6, 0.36));
        QVERIFY(!m_library->review().updateCellValue(cellId + 1000, QStringLiteral("x"), {}));
    }

    void addDeleteRestoreField()
    {
        extract::Field added;
        added.name = QStringLiteral("purchase_order");
        added.value = QStringLiteral("PO-77431");
        added.box = box(1, 0.6, 0.2, 0.8, 0.23);
        auto created = m_library->review().addField(m_doc, 1, added);
        QVERIFY2(created, created ? "" : created.error().c_str());
        auto results = m_library->results().results(m_doc);
        QVERIFY(results);
        const StoredField& stored = results->fields.back();
        QCOMPARE(stored.id, created->fieldId);
        QCOMPARE(stored.runId, qint64(0));
        QCOMPARE(stored.field.source, QStringLiteral("user"));
        QCOMPARE(stored.field.box, added.box);
        QCOMPARE(lastEdit().what, QStringLiteral("created"));
        QCOMPARE(lastEdit().id, created->editId);
        QCOMPARE(json(lastEdit().newValue).value(QStringLiteral("value")).toString(), QStringLiteral("PO-77431"));
        QCOMPARE(kindsFound(QStringLiteral("PO-77431")), QStringList { QStringLiteral("field") });

        // A re-run of the task does not supersede what the user added.
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 1, QStringLiteral("invoice")), sampleInvoice(1)));

        const StoredField victim = field(0);
        QVERIFY(m_library->review().setFieldReviewStatus(victim.id, QStringLiteral("flagged")));
        auto deleted = m_library->review().deleteField(victim.id);
        QVERIFY2(deleted, deleted ? "" : deleted.error().c_str());
        QCOMPARE(lastEdit().what, QStringLiteral("deleted"));
        QCOMPARE(json(lastEdit().oldValue).value(QStringLiteral("name")).toString(), QStringLiteral("invoice_number"));
        QVERIFY(!hasField(victim.id));
        QCOMPARE(kindsFound(QStringLiteral("RE-2024-0815")),
            (QStringList { QStringLiteral("field"), QStringLiteral("ocr_line"), QStringLiteral("ocr_line") }));

        auto restored = m_library->review().restoreField(*deleted);
        QVERIFY2(restored, restored ? "" : restored.error().c_str());
        QVERIFY(hasField(victim.id));
        const StoredField back = fieldById(victim.id);
        QCOMPARE(back.field.name, victim.field.name);
        QCOMPARE(back.field.value, victim.field.value);
        QCOMPARE(back.field.normalized, victim.field.normalized);
        QCOMPARE(back.field.box, victim.field.box);
        QCOMPARE(back.field.confidence, victim.field.confidence);
        QCOMPARE(back.field.flags, victim.field.flags);
        QCOMPARE(back.field.source, victim.field.source);
        QCOMPARE(back.runId, victim.runId);
        QCOMPARE(back.order, victim.order);
        QCOMPARE(back.reviewStatus, QStringLiteral("flagged"));
        QCOMPARE(lastEdit().what, QStringLiteral("created"));
        QCOMPARE(kindsFound(QStringLiteral("RE-2024-0815")).count(QStringLiteral("field")), 2);

        auto again = m_library->review().restoreField(*deleted);
        QVERIFY(!again);
        QVERIFY2(again.error().find("already") != std::string::npos, again.error().c_str());
        QVERIFY(!m_library->review().restoreField(created->editId)); // not a deletion
        QVERIFY(!m_library->review().addField(m_doc, 9, added));
        QVERIFY(!m_library->review().deleteField(victim.id + 1000));
    }

    void undo_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("value") << "value";
        QTest::newRow("box") << "box";
        QTest::newRow("review_status") << "review_status";
        QTest::newRow("deleted") << "deleted";
        QTest::newRow("created") << "created";
    }

    void undo()
    {
        QFETCH(QString, what);
        ReviewStore& review = m_library->review();
        const StoredField before = field(1);
        Result<qint64> edit = makeError("no edit made");
        if (what == QLatin1String("value"))
            edit = review.updateFieldValue(before.id, QStringLiteral("05.05.2026"), QStringLiteral("2026-05-05"));
        else if (what == QLatin1String("box"))
            edit = review.updateFieldBox(before.id, box(0, 0.01, 0.02, 0.03, 0.04));
        else if (what == QLatin1String("review_status"))
            edit = review.setFieldReviewStatus(before.id, QStringLiteral("accepted"));
        else if (what == QLatin1String("deleted"))
            edit = review.deleteField(before.id);
        QVERIFY2(edit || what == QLatin1String("created"), edit ? "" : edit.error().c_str());

        if (what == QLatin1String("created")) {
            extract::Field added;
            added.name = QStringLiteral("note");
            added.value = QStringLiteral("Bitte prüfen");
            auto created = review.addField(m_doc, 0, added);
            QVERIFY(created);
            auto undone = review.undo(created->editId);
            QVERIFY2(undone, undone ? "" : undone.error().c_str());
            QVERIFY(!hasField(created->fieldId));
            QCOMPARE(lastEdit().what, QStringLiteral("deleted"));
            QCOMPARE(kindsFound(QStringLiteral("prüfen")), QStringList());
            return;
        }
        QCOMPARE(lastEdit().what, what);
        const qint64 editsBefore = editCount();
        auto undone = review.undo(*edit);
        QVERIFY2(undone, undone ? "" : undone.error().c_str());
        QCOMPARE(editCount(), editsBefore + 1); // undo is itself an edit
        const StoredField after = fieldById(before.id);
        QCOMPARE(after.field.value, before.field.value);
        QCOMPARE(after.field.normalized, before.field.normalized);
        QCOMPARE(after.field.box, before.field.box);
        QCOMPARE(after.reviewStatus, before.reviewStatus);
        QCOMPARE(kindsFound(QStringLiteral("03.04.2026")), QStringList { QStringLiteral("field") });
        QVERIFY(!review.undo(*undone + 1000));
    }

    void editsAreListedOldestFirst()
    {
        const StoredField f = field(0);
        QVERIFY(m_library->review().updateFieldValue(f.id, QStringLiteral("A"), {}));
        QVERIFY(m_library->review().setFieldReviewStatus(f.id, QStringLiteral("accepted")));
        QVERIFY(m_library->review().deleteField(f.id));
        auto edits = m_library->review().edits(m_doc);
        QVERIFY(edits);
        QStringList whats;
        for (const EditRecord& e : *edits)
            whats << e.what;
        QCOMPARE(whats, (QStringList { "value", "review_status", "deleted" }));
        QVERIFY((*edits)[0].id < (*edits)[1].id && (*edits)[1].id < (*edits)[2].id);
        // The history stays when a re-run supersedes the results it describes, and the deletion
        // carries over to the re-run's field of that name (storage/resultcarryover.h).
        QVERIFY(m_library->results().storePageResult(sampleRun(m_doc, 0, QStringLiteral("invoice")), sampleInvoice(0)));
        auto later = m_library->review().edits(m_doc);
        QVERIFY(later);
        QCOMPARE(later->size(), std::size_t(4));
        QCOMPARE(later->back().what, QStringLiteral("deleted"));
    }

private:
    StoredField field(std::size_t index)
    {
        auto results = m_library->results().results(m_doc);
        if (!results || results->fields.size() <= index)
            return {};
        return results->fields[index];
    }

    StoredField fieldById(qint64 id)
    {
        auto results = m_library->results().results(m_doc);
        if (results) {
            for (const StoredField& f : results->fields) {
                if (f.id == id)
                    return f;
            }
        }
        return {};
    }

    bool hasField(qint64 id) { return fieldById(id).id == id; }

    StoredTable table()
    {
        auto results = m_library->results().results(m_doc);
        if (!results || results->tables.empty())
            return {};
        return results->tables.front();
    }

    EditRecord lastEdit()
    {
        auto edits = m_library->review().edits(m_doc);
        if (!edits || edits->empty())
            return {};
        return edits->back();
    }

    qint64 editCount()
    {
        auto edits = m_library->review().edits(m_doc);
        return edits ? qint64(edits->size()) : -1;
    }

    QStringList kindsFound(const QString& text)
    {
        QStringList kinds;
        auto hits = m_library->search(text);
        if (!hits)
            return { QString::fromStdString(hits.error()) };
        for (const SearchHit& hit : *hits)
            kinds << hit.kind;
        kinds.sort();
        return kinds;
    }

    QTemporaryDir m_dir;
    int m_serial = 0;
    std::unique_ptr<Library> m_library;
    qint64 m_doc = 0;
};

FOLIO_TEST_CLASS(TstEdits)
#include "tst_edits.moc"
