#pragma once
// ShortcutsDialog: the cheat-sheet (F1 or ?) listing every action that has a shortcut, read
// from the actions themselves so it never disagrees with them. GUI thread only.

#include <QDialog>
#include <QList>

class QAction;

namespace folio::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);
};

} // namespace folio::ui
