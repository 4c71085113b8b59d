#pragma once
// ShortcutGuard: the rule that makes single-key review shortcuts (F, E, D, Enter, Delete...)
// safe from any focus. Installed on the application by a window, it watches the
// ShortcutOverride Qt sends to the focused widget before a shortcut fires:
//   - a widget that is typed into (a line edit such as the search box, a spin box, an open
//     cell editor) keeps the keys that type or edit text: printable keys, Return/Enter,
//     Backspace/Delete, Home/End and arrows, without Ctrl/Alt/Meta;
//   - an open cell editor also keeps Escape, which closes it without saving;
//   - everything else (grid and page view not editing; Tab, PgUp/PgDn, Ctrl+… anywhere) goes
//     to the window's shortcuts.
// Grids must not open editors on a typed letter (no AnyKeyPressed trigger), or a letter would
// type into a cell. GUI thread only.

#include <QObject>

class QKeyEvent;
class QWidget;

namespace folio::ui {

class ShortcutGuard : public QObject {
    Q_OBJECT
public:
    // Guards focus widgets inside `window` only.
    explicit ShortcutGuard(QWidget* window);

    // Whether `focus` keeps this key from the shortcuts (the rule above).
    static bool keepsKey(const QWidget* focus, const QKeyEvent& key);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window;
};

} // namespace folio::ui
