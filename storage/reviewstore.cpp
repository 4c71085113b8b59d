#include "storage/reviewstore.h"

#include "storage/database.h"
#include "storage/sqlrows.h"
#include "storage/transaction.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace folio::storage {

struct ReviewStore::Target {
    const char* name; // as in edits.target and in messages
    const char* table;
    const char* valueColumn; // the text that is the row's value
};

namespace {

const ReviewStore::Target fieldTarget { "field", "fields", "value" };
const ReviewStore::Target cellTarget { "cell", "cells", "text" };

const QStringList reviewStatuses = { kReviewPending, kReviewAccepted, kReviewFlagged };

QString jsonText(const QJsonValue& value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return QStringLiteral("null");
}

QJsonValue parseJson(const QString& text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue();
}

QString valueJson(const QString& value, const QString& normalized)
{
    return jsonText(QJsonObject { { QStringLiteral("value"), value }, { QStringLiteral("normalized"), normalized } });
}

std::string rowName(const ReviewStore::Target& target, qint64 id)
{
    return std::string(target.name) + " #" + std::to_string(id);
}

// Runs `change` in one transaction; the change's error, or a failed commit, comes back with
// `context` in front.
template <typename Change> auto inTransaction(Database& db, const std::string& context, Change change)
{
    using R = decltype(change());
    auto transaction = Transaction::begin(db);
    if (!transaction)
        return R(withContext(context, transaction.error()));
    auto result = change();
    if (!result)
        return R(withContext(context, result.error()));
    if (auto r = transaction->commit(); !r)
        return R(withContext(context, r.error()));
    return result;
}

const QString fieldRowColumns = QStringLiteral("id, run_id, document_id, page_index, position, name, value, "
                                               "normalized, x0, y0, x1, y1, confidence, flags, source, review_status");

// The whole field row as JSON (the 'deleted' edit's old value); nullopt when there is none.
Result<std::optional<QJsonObject>> fieldRow(Database& db, qint64 id)
{
    auto query = db.prepare(QStringLiteral("SELECT ") + fieldRowColumns + QStringLiteral(" FROM fields WHERE id = ?"));
    if (!query)
        return makeError(query.error());
    query->bind(1, id);
    auto rows = collect<QJsonObject>(*query, [](const Statement& row) {
        return QJsonObject {
            { QStringLiteral("id"), row.columnInt64(0) },
            { QStringLiteral("run_id"), row.isNull(1) ? QJsonValue() : QJsonValue(row.columnInt64(1)) },
            { QStringLiteral("document_id"), row.columnInt64(2) },
            { QStringLiteral("page_index"), row.columnInt(3) },
            { QStringLiteral("position"), row.columnInt(4) },
            { QStringLiteral("name"), row.columnText(5) },
            { QStringLiteral("value"), row.columnText(6) },
            { QStringLiteral("normalized"), row.columnText(7) },
            { QStringLiteral("box"), boxToJson(readOptionalBox(row, 8, row.columnInt(3))) },
            { QStringLiteral("confidence"), row.columnDouble(12) },
            { QStringLiteral("flags"), row.columnText(13) },
            { QStringLiteral("source"), row.columnText(14) },
            { QStringLiteral("review_status"), row.columnText(15) },
        };
    });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(rows->front());
}

Result<void> insertFieldRow(Database& db, const QJsonObject& row)
{
    auto insert = db.prepare(QStringLiteral("INSERT INTO fields (") + fieldRowColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return makeError(insert.error());
    const auto integer = [&](const char* key) { return static_cast<qint64>(row.value(QLatin1String(key)).toDouble()); };
    const auto text = [&](const char* key) { return notNull(row.value(QLatin1String(key)).toString()); };
    insert->bind(1, integer("id"));
    if (row.value(QStringLiteral("run_id")).isNull())
        insert->bind(2, nullptr);
    else
        insert->bind(2, integer("run_id"));
    insert->bind(3, integer("document_id")).bind(4, integer("page_index")).bind(5, integer("position"));
    insert->bind(6, text("name")).bind(7, text("value")).bind(8, text("normalized"));
    bindOptionalBox(*insert, 9, boxFromJson(row.value(QStringLiteral("box"))));
    insert->bind(13, row.value(QStringLiteral("confidence")).toDouble()).bind(14, text("flags"));
    insert->bind(15, text("source")).bind(16, text("review_status"));
    return insert->exec();
}

const QString editColumns
    = QStringLiteral("id, document_id, target, target_id, what, old_value, new_value, at, author");

EditRecord readEditRow(const Statement& row)
{
    return EditRecord { row.columnInt64(0), row.columnInt64(1), row.columnText(2), row.columnInt64(3),
        row.columnText(4), row.columnText(5), row.columnText(6), timeFromText(row.columnText(7)), row.columnText(8) };
}

Result<void> requirePage(Database& db, qint64 documentId, int pageIndex)
{
    auto page = db.prepare(QStringLiteral("SELECT 1 FROM pages WHERE document_id = ? AND page_index = ?"));
    if (!page)
        return makeError(page.error());
    page->bind(1, documentId).bind(2, pageIndex);
    auto found = page->step();
    if (!found)
        return makeError(found.error());
    if (*found != Statement::Step::Row)
        return makeError("document #" + std::to_string(documentId) + " has no page " + std::to_string(pageIndex + 1));
    return {};
}

} // namespace

ReviewStore::ReviewStore(Database& db)
    : m_db(db)
{
}

Result<qint64> ReviewStore::recordEdit(qint64 documentId, const char* target, qint64 targetId, const char* what,
    const QString& oldValue, const QString& newValue)
{
    auto insert = m_db.prepare(QStringLiteral("INSERT INTO edits (document_id, target, target_id, what, old_value, "
                                              "new_value, author) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return makeError(insert.error());
    insert->bind(1, documentId).bind(2, QString::fromLatin1(target)).bind(3, targetId);
    insert->bind(4, QString::fromLatin1(what)).bind(5, oldValue).bind(6, newValue).bind(7, notNull(m_author));
    if (auto r = insert->exec(); !r)
        return makeError(r.error());
    return m_db.lastInsertId();
}

Result<qint64> ReviewStore::applyValue(const Target& target, qint64 id, const QString& value, const QString& normalized)
{
    auto read = m_db.prepare(QStringLiteral("SELECT document_id, %1, normalized, flags FROM %2 WHERE id = ?")
                                 .arg(QLatin1String(target.valueColumn), QLatin1String(target.table)));
    if (!read)
        return makeError(read.error());
    read->bind(1, id);
    struct Old {
        qint64 documentId;
        QString value, normalized, flags;
    };
    auto rows = collect<Old>(*read, [](const Statement& row) {
        return Old { row.columnInt64(0), row.columnText(1), row.columnText(2), row.columnText(3) };
    });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return makeError("there is no " + rowName(target, id));
    const Old& old = rows->front();
    auto flags = flagsFromText(old.flags);
    if (!flags)
        return makeError(flags.error());

    auto update = m_db.prepare(QStringLiteral("UPDATE %1 SET %2 = ?, normalized = ?, flags = ? WHERE id = ?")
                                   .arg(QLatin1String(target.table), QLatin1String(target.valueColumn)));
    if (!update)
        return makeError(update.error());
    update->bind(1, notNull(value)).bind(2, notNull(normalized));
    update->bind(3, flagsToText(*flags | extract::Flag::Edited)).bind(4, id);
    if (auto r = update->exec(); !r)
        return makeError(r.error());
    return recordEdit(
        old.documentId, target.name, id, "value", valueJson(old.value, old.normalized), valueJson(value, normalized));
}

Result<qint64> ReviewStore::applyBox(const Target& target, qint64 id, const extract::Box& box)
{
    if (!box.valid() && box != extract::Box {})
        return makeError("the new box of " + rowName(target, id) + " is not a rectangle inside a page");
    auto read
        = m_db.prepare(QStringLiteral("SELECT document_id, page_index, x0, y0, x1, y1, flags FROM %1 WHERE id = ?")
                           .arg(QLatin1String(target.table)));
    if (!read)
        return makeError(read.error());
    read->bind(1, id);
    struct Old {
        qint64 documentId;
        int page;
        extract::Box box;
        QString flags;
    };
    auto rows = collect<Old>(*read, [](const Statement& row) {
        return Old { row.columnInt64(0), row.columnInt(1), readOptionalBox(row, 2, row.columnInt(1)),
            row.columnText(6) };
    });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return makeError("there is no " + rowName(target, id));
    const Old& old = rows->front();
    auto flags = flagsFromText(old.flags);
    if (!flags)
        return makeError(flags.error());
    const int page = box.valid() ? box.page : old.page;
    if (auto r = requirePage(m_db, old.documentId, page); !r)
        return makeError("cannot move " + rowName(target, id) + ": " + r.error());

    auto update = m_db.prepare(
        QStringLiteral("UPDATE %1 SET page_index = ?, x0 = ?, y0 = ?, x1 = ?, y1 = ?, flags = ? WHERE id = ?")
            .arg(QLatin1String(target.table)));
    if (!update)
        return makeError(update.error());
    update->bind(1, page);
    bindOptionalBox(*update, 2, box);
    update->bind(6, flagsToText(*flags | extract::Flag::Edited)).bind(7, id);
    if (auto r = update->exec(); !r)
        return makeError(r.error());
    return recordEdit(old.documentId, target.name, id, "box", jsonText(boxToJson(old.box)), jsonText(boxToJson(box)));
}

Result<qint64> ReviewStore::applyReviewStatus(const Target& target, qint64 id, const QString& status)
{
    if (!reviewStatuses.contains(status))
        return makeError("unknown review status " + quoted(status) + " (expected pending, accepted or flagged)");
    auto read = m_db.prepare(
        QStringLiteral("SELECT document_id, review_status FROM %1 WHERE id = ?").arg(QLatin1String(target.table)));
    if (!read)
        return makeError(read.error());
    read->bind(1, id);
    auto rows = collect<std::pair<qint64, QString>>(
        *read, [](const Statement& row) { return std::make_pair(row.columnInt64(0), row.columnText(1)); });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return makeError("there is no " + rowName(target, id));
    auto update
        = m_db.prepare(QStringLiteral("UPDATE %1 SET review_status = ? WHERE id = ?").arg(QLatin1String(target.table)));
    if (!update)
        return makeError(update.error());
    update->bind(1, status).bind(2, id);
    if (auto r = update->exec(); !r)
        return makeError(r.error());
    return recordEdit(rows->front().first, target.name, id, "review_status", rows->front().second, status);
}

Result<qint64> ReviewStore::applyDeleteField(qint64 fieldId)
{
    auto row = fieldRow(m_db, fieldId);
    if (!row)
        return makeError(row.error());
    if (!*row)
        return makeError("there is no " + rowName(fieldTarget, fieldId));
    auto remove = m_db.prepare(QStringLiteral("DELETE FROM fields WHERE id = ?"));
    if (!remove)
        return makeError(remove.error());
    remove->bind(1, fieldId);
    if (auto r = remove->exec(); !r)
        return makeError(r.error());
    const qint64 documentId = static_cast<qint64>((**row).value(QStringLiteral("document_id")).toDouble());
    return recordEdit(documentId, "field", fieldId, "deleted", jsonText(**row), QString());
}

Result<qint64> ReviewStore::applyRestoreField(const EditRecord& deletion)
{
    if (deletion.target != QLatin1String("field") || deletion.what != QLatin1String("deleted"))
        return makeError("edit #" + std::to_string(deletion.id) + " did not delete a field");
    auto existing = fieldRow(m_db, deletion.targetId);
    if (!existing)
        return makeError(existing.error());
    if (*existing)
        return makeError(rowName(fieldTarget, deletion.targetId) + " is already in the library");
    const QJsonValue row = parseJson(deletion.oldValue);
    if (!row.isObject())
        return makeError("edit #" + std::to_string(deletion.id) + " holds no readable copy of the deleted field");
    if (auto r = insertFieldRow(m_db, row.toObject()); !r)
        return makeError(r.error());
    return recordEdit(deletion.documentId, "field", deletion.targetId, "created", QString(), deletion.oldValue);
}

Result<EditRecord> ReviewStore::readEdit(qint64 editId)
{
    auto query = m_db.prepare(QStringLiteral("SELECT ") + editColumns + QStringLiteral(" FROM edits WHERE id = ?"));
    if (!query)
        return makeError(query.error());
    query->bind(1, editId);
    auto rows = collect<EditRecord>(*query, readEditRow);
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return makeError("there is no edit #" + std::to_string(editId));
    return std::move(rows->front());
}

Result<qint64> ReviewStore::updateFieldValue(qint64 fieldId, const QString& value, const QString& normalized)
{
    return inTransaction(m_db, "Cannot change the value of field #" + std::to_string(fieldId),
        [&] { return applyValue(fieldTarget, fieldId, value, normalized); });
}

Result<qint64> ReviewStore::updateFieldBox(qint64 fieldId, const extract::Box& box)
{
    return inTransaction(m_db, "Cannot change the box of field #" + std::to_string(fieldId),
        [&] { return applyBox(fieldTarget, fieldId, box); });
}

Result<qint64> ReviewStore::setFieldReviewStatus(qint64 fieldId, const QString& status)
{
    return inTransaction(m_db, "Cannot change the review state of field #" + std::to_string(fieldId),
        [&] { return applyReviewStatus(fieldTarget, fieldId, status); });
}

Result<qint64> ReviewStore::updateCellValue(qint64 cellId, const QString& text, const QString& normalized)
{
    return inTransaction(m_db, "Cannot change the text of cell #" + std::to_string(cellId),
        [&] { return applyValue(cellTarget, cellId, text, normalized); });
}

Result<qint64> ReviewStore::updateCellBox(qint64 cellId, const extract::Box& box)
{
    return inTransaction(m_db, "Cannot change the box of cell #" + std::to_string(cellId),
        [&] { return applyBox(cellTarget, cellId, box); });
}

Result<qint64> ReviewStore::setCellReviewStatus(qint64 cellId, const QString& status)
{
    return inTransaction(m_db, "Cannot change the review state of cell #" + std::to_string(cellId),
        [&] { return applyReviewStatus(cellTarget, cellId, status); });
}

Result<ReviewStore::AddedField> ReviewStore::addField(qint64 documentId, int pageIndex, const extract::Field& field)
{
    const std::string context = "Cannot add the field " + quoted(field.name) + " to page "
        + std::to_string(pageIndex + 1) + " of document #" + std::to_string(documentId);
    return inTransaction(m_db, context, [&]() -> Result<AddedField> {
        if (field.box.valid() && field.box.page != pageIndex)
            return makeError("its box is on page " + std::to_string(field.box.page + 1));
        if (!field.box.valid() && field.box != extract::Box {})
            return makeError("its box is not a rectangle inside the page");
        if (auto r = requirePage(m_db, documentId, pageIndex); !r)
            return makeError(r.error());
        auto insert = m_db.prepare(QStringLiteral(
            "INSERT INTO fields (run_id, document_id, page_index, position, name, value, normalized, x0, y0, x1, y1, "
            "confidence, flags, source) VALUES (NULL, ?1, ?2, "
            "(SELECT coalesce(max(position) + 1, 0) FROM fields WHERE document_id = ?1 AND page_index = ?2), "
            "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
        if (!insert)
            return makeError(insert.error());
        insert->bind(1, documentId).bind(2, pageIndex).bind(3, notNull(field.name)).bind(4, notNull(field.value));
        insert->bind(5, notNull(field.normalized));
        bindOptionalBox(*insert, 6, field.box);
        insert->bind(10, field.confidence).bind(11, flagsToText(field.flags));
        insert->bind(12, field.source.isEmpty() ? QStringLiteral("user") : field.source);
        if (auto r = insert->exec(); !r)
            return makeError(r.error());
        const qint64 fieldId = m_db.lastInsertId();
        auto row = fieldRow(m_db, fieldId);
        if (!row)
            return makeError(row.error());
        auto edit
            = recordEdit(documentId, "field", fieldId, "created", QString(), jsonText(row->value_or(QJsonObject())));
        if (!edit)
            return makeError(edit.error());
        return AddedField { fieldId, *edit };
    });
}

Result<qint64> ReviewStore::deleteField(qint64 fieldId)
{
    return inTransaction(
        m_db, "Cannot delete field #" + std::to_string(fieldId), [&] { return applyDeleteField(fieldId); });
}

Result<qint64> ReviewStore::restoreField(qint64 deleteEditId)
{
    return inTransaction(
        m_db, "Cannot restore the field deleted by edit #" + std::to_string(deleteEditId), [&]() -> Result<qint64> {
            auto edit = readEdit(deleteEditId);
            if (!edit)
                return makeError(edit.error());
            return applyRestoreField(*edit);
        });
}

Result<qint64> ReviewStore::undo(qint64 editId)
{
    return inTransaction(m_db, "Cannot undo edit #" + std::to_string(editId), [&]() -> Result<qint64> {
        auto edit = readEdit(editId);
        if (!edit)
            return makeError(edit.error());
        const Target* target = edit->target == QLatin1String("field") ? &fieldTarget
            : edit->target == QLatin1String("cell")                   ? &cellTarget
                                                                      : nullptr;
        if (!target)
            return makeError("edits of " + edit->target.toStdString() + "s cannot be undone");
        if (edit->what == QLatin1String("value")) {
            const QJsonObject old = parseJson(edit->oldValue).toObject();
            return applyValue(*target, edit->targetId, old.value(QStringLiteral("value")).toString(),
                old.value(QStringLiteral("normalized")).toString());
        }
        if (edit->what == QLatin1String("box"))
            return applyBox(*target, edit->targetId, boxFromJson(parseJson(edit->oldValue)));
        if (edit->what == QLatin1String("review_status"))
            return applyReviewStatus(*target, edit->targetId, edit->oldValue);
        if (target == &fieldTarget && edit->what == QLatin1String("created"))
            return applyDeleteField(edit->targetId);
        if (target == &fieldTarget && edit->what == QLatin1String("deleted"))
            return applyRestoreField(*edit);
        return makeError(
            "a '" + edit->what.toStdString() + "' edit of a " + edit->target.toStdString() + " cannot be undone");
    });
}

Result<std::vector<EditRecord>> ReviewStore::edits(qint64 documentId)
{
    const std::string context = "Cannot read the edit history of document #" + std::to_string(documentId);
    auto query = m_db.prepare(
        QStringLiteral("SELECT ") + editColumns + QStringLiteral(" FROM edits WHERE document_id = ? ORDER BY id"));
    if (!query)
        return withContext(context, query.error());
    query->bind(1, documentId);
    auto rows = collect<EditRecord>(*query, readEditRow);
    if (!rows)
        return withContext(context, rows.error());
    return std::move(*rows);
}

} // namespace folio::storage
