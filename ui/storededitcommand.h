#pragma once
// StoredEditCommand: one review edit (a value, a box, a review state, an added or deleted
// field) on the QUndoStack. The edit is already applied and recorded in storage when the
// command is pushed. Undo asks storage::ReviewStore::undo for the reverse edit; redo undoes
// that reverse edit in turn. So storage's edit history keeps every step, and undo/redo never
// re-derive values the UI may have changed since. GUI thread only, with the GUI's Library.

#include "storage/library.h"

#include <QUndoCommand>

#include <functional>

namespace folio::ui {

class StoredEditCommand : public QUndoCommand {
public:
    // onApplied runs after each undo or redo with an empty message, or the reason it failed.
    StoredEditCommand(storage::Library& library, qint64 editId, const QString& text,
                      std::function<void(const QString& error)> onApplied);

    void undo() override;
    void redo() override;

private:
    void reverse();

    storage::Library& m_library;
    qint64 m_lastEditId;
    bool m_applied = true; // pushing calls redo() once; the edit is already in storage then
    std::function<void(const QString&)> m_onApplied;
};

} // namespace folio::ui
