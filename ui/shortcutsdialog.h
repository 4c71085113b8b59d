#pragma once
// ShortcutsDialog: the cheat-sheet (F1 or ?) listing every command that has a key, made from
// the one binding table with the user's remapping (ui/keybindings.h) — the same table the
// window's actions get their keys from, so the two never disagree. GUI thread only.

#include <QDialog>

class QTableWidget;

namespace folio::ui {

class KeyBindings;

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(const KeyBindings& bindings, QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace folio::ui
