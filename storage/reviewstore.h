#pragma once
// ReviewStore: the reviewer's changes to stored results — values, boxes, review states, added
// and deleted fields — each recorded in the edit history (table `edits`) in the same
// transaction as the change, so the history always matches the results. Owned by a Library
// (Library::review()) and used on that Library's thread; it borrows the Library's Database.
//
// Every change returns the id of its edit. A value or box change sets the "edited" flag while
// the value or box differs from its original (undoing, or typing the original back, clears
// it); the row's source stays as it was. The search index follows every change (triggers, see
// storage/migrations.h). Nothing is ever erased from the history: undo() applies the edit's
// old value as a new edit. The old/new encodings are described at EditRecord
// (storage/resultrecords.h).

#include "extract/types/box.h"
#include "extract/types/pageresult.h"
#include "inference/result.h"
#include "storage/resultrecords.h"

#include <QString>

#include <optional>

#include <vector>

namespace folio::storage {

class Database;

class ReviewStore {
public:
    // What a field or cell edit applies to (one table, one target name in `edits`).
    struct Target;

    struct AddedField {
        qint64 fieldId = 0;
        qint64 editId = 0;
    };

    explicit ReviewStore(Database& db);

    // Recorded as the author of later edits (e.g. the user's name); empty by default.
    void setAuthor(const QString& author) { m_author = author; }

    // `flags`, when given, replace the row's flags (the caller re-normalised the value and knows
    // which apply now); "edited" is managed here. Undo restores the flags as they were.
    Result<qint64> updateFieldValue(qint64 fieldId, const QString& value, const QString& normalized,
        std::optional<extract::Flags> flags = std::nullopt);
    // An invalid (default) Box removes the box; a valid one must be on a page of the document
    // and moves the field to that page.
    Result<qint64> updateFieldBox(qint64 fieldId, const extract::Box& box);
    // status: "pending", "accepted" or "flagged".
    Result<qint64> setFieldReviewStatus(qint64 fieldId, const QString& status);

    // The same for table cells; a cell's value is its text.
    Result<qint64> updateCellValue(qint64 cellId, const QString& text, const QString& normalized,
        std::optional<extract::Flags> flags = std::nullopt);
    Result<qint64> updateCellBox(qint64 cellId, const extract::Box& box);
    Result<qint64> setCellReviewStatus(qint64 cellId, const QString& status);

    // Adds a field the user drew or typed on page `pageIndex` (0-based). It belongs to no
    // run, so re-runs do not supersede it; its source is "user" unless field.source says
    // otherwise. Recorded as 'created'.
    Result<AddedField> addField(qint64 documentId, int pageIndex, const extract::Field& field);
    // Deletes a field; the 'deleted' edit keeps the whole row so restoreField can bring it back.
    Result<qint64> deleteField(qint64 fieldId);
    // Brings back the field a 'deleted' edit removed, with its id, run and review state;
    // recorded as 'created'. An error when the edit is not a field deletion or the field
    // is already back.
    Result<qint64> restoreField(qint64 deleteEditId);

    // Undoes one edit by applying its old value as a new edit: a value, box or review state
    // goes back, a created field is deleted, a deleted field is restored. Returns the new edit.
    Result<qint64> undo(qint64 editId);

    // The latest edit of the document that is not an undo and has not been undone: what a
    // command-line "undo" reverses next. nullopt when there is none.
    Result<std::optional<qint64>> lastUndoableEdit(qint64 documentId);

    // The document's edit history, oldest first.
    Result<std::vector<EditRecord>> edits(qint64 documentId);

private:
    Result<qint64> applyValue(const Target& target, qint64 id, const QString& value, const QString& normalized,
        std::optional<extract::Flags> flags);
    Result<void> refreshEdited(const Target& target, qint64 id);
    Result<qint64> applyUndo(qint64 editId);
    Result<qint64> applyBox(const Target& target, qint64 id, const extract::Box& box);
    Result<qint64> applyReviewStatus(const Target& target, qint64 id, const QString& status);
    Result<qint64> applyDeleteField(qint64 fieldId);
    Result<qint64> applyRestoreField(const EditRecord& deletion);
    Result<EditRecord> readEdit(qint64 editId);
    Result<qint64> recordEdit(qint64 documentId, const char* target, qint64 targetId, const char* what,
        const QString& oldValue, const QString& newValue);

    Database& m_db;
    QString m_author;
};

} // namespace folio::storage
