#include "storage/reviewstore.h"

#include "storage/database.h"
#include "storage/fieldrow.h"
#include "storage/sqlrows.h"
#include "storage/transaction.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

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

QString valueJson(const QString& value, const QString& normalized, extract::Flags flags)
{
    return jsonText(QJsonObject { { QStringLiteral("value"), value }, { QStringLiteral("normalized"), normalized },
        { QStringLiteral("flags"), flagsToText(flags) } });
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

Result<qint64> ReviewStore::applyValue(
    const Target& target, qint64 id, const QString& value, const QString& normalized, std::optional<extract::Flags> newFlags)
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
    const extract::Flags flagsNow = newFlags.value_or(*flags) | extract::Flag::Edited;
    update->bind(1, notNull(value)).bind(2, notNull(normalized));
    update->bind(3, flagsToText(flagsNow)).bind(4, id);
    if (auto r = update->exec(); !r)
        return makeError(r.error());
    auto edit = recordEdit(old.documentId, target.name, id, "value", valueJson(old.value, old.normalized, *flags),
        valueJson(value, normalized, flagsNow));
    if (!edit)
        return edit;
    if (auto r = refreshEdited(target, id); !r)
        return makeError(r.error());
    return edit;
}

Result<void> ReviewStore::refreshEdited(const Target& target, qint64 id)
{
    // Edited means: the value or the box differs from what they were before the first edit
    // of each (an edit typed back to the original, or undone, is no edit).
    auto read = m_db.prepare(QStringLiteral("SELECT %1, page_index, x0, y0, x1, y1, flags FROM %2 WHERE id = ?")
                                 .arg(QLatin1String(target.valueColumn), QLatin1String(target.table)));
    if (!read)
        return makeError(read.error());
    read->bind(1, id);
    struct Now {
        QString value;
        extract::Box box;
        QString flags;
    };
    auto rows = collect<Now>(*read, [](const Statement& row) {
        return Now { row.columnText(0), readOptionalBox(row, 2, row.columnInt(1)), row.columnText(6) };
    });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return {};
    const auto firstOld = [&](const char* what) -> Result<std::optional<QString>> {
        auto q = m_db.prepare(QStringLiteral(
            "SELECT old_value FROM edits WHERE target = ? AND target_id = ? AND what = ? ORDER BY id LIMIT 1"));
        if (!q)
            return makeError(q.error());
        q->bind(1, QString::fromLatin1(target.name)).bind(2, id).bind(3, QString::fromLatin1(what));
        auto got = collect<QString>(*q, [](const Statement& row) { return row.columnText(0); });
        if (!got)
            return makeError(got.error());
        return got->empty() ? std::optional<QString>() : std::optional<QString>(got->front());
    };
    auto firstValue = firstOld("value");
    auto firstBox = firstOld("box");
    if (!firstValue || !firstBox)
        return makeError(!firstValue ? firstValue.error() : firstBox.error());
    const Now& now = rows->front();
    bool edited = *firstValue
        && parseJson(**firstValue).toObject().value(QStringLiteral("value")).toString() != now.value;
    if (*firstBox) {
        const extract::Box original = boxFromJson(parseJson(**firstBox));
        const auto near = [](double a, double b) { return std::abs(a - b) < 1e-9; };
        const bool sameBox = original.valid() == now.box.valid()
            && (!original.valid()
                || (original.page == now.box.page && near(original.x0, now.box.x0) && near(original.y0, now.box.y0)
                    && near(original.x1, now.box.x1) && near(original.y1, now.box.y1)));
        edited = edited || !sameBox;
    }
    auto flags = flagsFromText(now.flags);
    if (!flags)
        return makeError(flags.error());
    auto update = m_db.prepare(QStringLiteral("UPDATE %1 SET flags = ? WHERE id = ?").arg(QLatin1String(target.table)));
    if (!update)
        return makeError(update.error());
    update->bind(1, flagsToText(edited ? (*flags | extract::Flag::Edited) : (*flags & ~extract::Flags(extract::Flag::Edited))));
    update->bind(2, id);
    return update->exec();
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
    auto edit
        = recordEdit(old.documentId, target.name, id, "box", jsonText(boxToJson(old.box)), jsonText(boxToJson(box)));
    if (!edit)
        return edit;
    if (auto r = refreshEdited(target, id); !r)
        return makeError(r.error());
    return edit;
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

Result<qint64> ReviewStore::updateFieldValue(
    qint64 fieldId, const QString& value, const QString& normalized, std::optional<extract::Flags> flags)
{
    return inTransaction(m_db, "Cannot change the value of field #" + std::to_string(fieldId),
        [&] { return applyValue(fieldTarget, fieldId, value, normalized, flags); });
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

Result<qint64> ReviewStore::updateCellValue(
    qint64 cellId, const QString& text, const QString& normalized, std::optional<extract::Flags> flags)
{
    return inTransaction(m_db, "Cannot change the text of cell #" + std::to_string(cellId),
        [&] { return applyValue(cellTarget, cellId, text, normalized, flags); });
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
        auto undone = applyUndo(editId);
        if (!undone)
            return undone;
        auto mark = m_db.prepare(QStringLiteral("UPDATE edits SET undoes = ? WHERE id = ?"));
        if (!mark)
            return makeError(mark.error());
        mark->bind(1, editId).bind(2, *undone);
        if (auto r = mark->exec(); !r)
            return makeError(r.error());
        return undone;
    });
}

Result<std::optional<qint64>> ReviewStore::lastUndoableEdit(qint64 documentId)
{
    auto query = m_db.prepare(QStringLiteral(
        "SELECT id FROM edits e WHERE document_id = ? AND undoes IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM edits u WHERE u.undoes = e.id) ORDER BY id DESC LIMIT 1"));
    if (!query)
        return makeError(query.error());
    query->bind(1, documentId);
    auto rows = collect<qint64>(*query, [](const Statement& row) { return row.columnInt64(0); });
    if (!rows)
        return makeError(rows.error());
    return rows->empty() ? std::optional<qint64>() : std::optional<qint64>(rows->front());
}

Result<qint64> ReviewStore::applyUndo(qint64 editId)
{
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
        std::optional<extract::Flags> flags;
        if (old.contains(QStringLiteral("flags"))) {
            auto parsed = flagsFromText(old.value(QStringLiteral("flags")).toString());
            if (!parsed)
                return makeError(parsed.error());
            flags = *parsed;
        }
        return applyValue(*target, edit->targetId, old.value(QStringLiteral("value")).toString(),
            old.value(QStringLiteral("normalized")).toString(), flags);
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
