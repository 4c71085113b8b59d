#pragma once
// ShortcutSettingsPanel: the Settings part that remaps keys. Lists every command of the
// binding table (ui/keybindings.h) with its keys; choosing a row and pressing a key in the
// recorder binds that key to it, unless another command has it (then nothing changes and
// the panel says which command). Changes stay in the panel until save(), which the settings
// dialog calls on OK. GUI thread only.

#include "ui/keybindings.h"

#include <QWidget>

class QKeySequenceEdit;
class QLabel;
class QTableWidget;

namespace folio::ui {

class ShortcutSettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ShortcutSettingsPanel(QWidget* parent = nullptr);

    // Binds keys to a command; false, with the reason shown, when refused.
    bool setKeys(const QString& id, const QList<QKeySequence>& keys);
    const KeyBindings& bindings() const { return m_bindings; }
    QString message() const;
    QTableWidget* table() const { return m_table; }
    QKeySequenceEdit* recorder() const { return m_recorder; }

public Q_SLOTS:
    void save() const { m_bindings.save(); }

private:
    void fill();
    QString currentId() const;

    KeyBindings m_bindings;
    QTableWidget* m_table;
    QKeySequenceEdit* m_recorder;
    QLabel* m_message;
};

} // namespace folio::ui
