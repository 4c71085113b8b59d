#pragma once
// KeyBindings: the one table of the review window's commands and their keys. MainWindow
// makes its actions from it, F1 (ui/shortcutsdialog.h) lists it, and Settings remaps it
// (ui/shortcutsettingspanel.h); a remapped binding is kept with QSettings under
// "shortcuts/<id>" in portable text ("Ctrl+E; F2"), an unmapped one is the default.
// One key sequence means one command: a binding that reuses another's key is refused.
// Read and written on the GUI thread.

#include "inference/result.h"

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QString>

#include <vector>

namespace folio::ui {

struct KeyBinding {
    QString id;   // stable: stored in QSettings, used as the action's objectName
    QString text; // as shown in menus and F1, without '&'
    QList<QKeySequence> defaults;
};

class KeyBindings {
public:
    // Every command with a key, in menu order.
    static const std::vector<KeyBinding>& table();
    static const KeyBinding* find(const QString& id);

    // The table's defaults overridden by what the user remapped.
    static KeyBindings load();
    void save() const;

    QList<QKeySequence> keys(const QString& id) const { return m_keys.value(id); }
    // Binds `keys` to `id`; refuses, saying which command has it, a sequence that another
    // command already uses, and an unknown id.
    Result<void> setKeys(const QString& id, const QList<QKeySequence>& keys);
    void resetToDefaults();
    // The command bound to `key`, empty when none.
    QString commandOf(const QKeySequence& key) const;

private:
    QHash<QString, QList<QKeySequence>> m_keys;
};

} // namespace folio::ui
