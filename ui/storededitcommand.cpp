#include "ui/storededitcommand.h"

#include "storage/reviewstore.h"

namespace folio::ui {

StoredEditCommand::StoredEditCommand(storage::Library& library, qint64 editId, const QString& text,
                                     std::function<void(const QString&)> onApplied)
    : QUndoCommand(text), m_library(library), m_lastEditId(editId), m_onApplied(std::move(onApplied))
{
}

void StoredEditCommand::undo()
{
    reverse();
}

void StoredEditCommand::redo()
{
    if (m_applied) {
        m_applied = false;
        return;
    }
    reverse();
}

void StoredEditCommand::reverse()
{
    // Undoing the last edit of this command is the way both back and forth.
    const Result<qint64> edit = m_library.review().undo(m_lastEditId);
    if (edit) {
        m_lastEditId = *edit;
        m_onApplied(QString());
    } else {
        setObsolete(true); // the stack cannot step over an edit that storage refuses
        m_onApplied(QString::fromStdString(edit.error()));
    }
}

} // namespace folio::ui
