#include "ui/shortcutguard.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

namespace folio::ui {

namespace {

    // An editor an item view opened on a cell: a child of the view's viewport.
    bool isCellEditor(const QWidget* w)
    {
        const QWidget* viewport = w->parentWidget();
        return viewport && qobject_cast<const QAbstractItemView*>(viewport->parentWidget());
    }

    bool typesText(const QWidget* w)
    {
        if (const auto* line = qobject_cast<const QLineEdit*>(w))
            return !line->isReadOnly();
        if (const auto* text = qobject_cast<const QTextEdit*>(w))
            return !text->isReadOnly();
        if (const auto* plain = qobject_cast<const QPlainTextEdit*>(w))
            return !plain->isReadOnly();
        if (const auto* combo = qobject_cast<const QComboBox*>(w))
            return combo->isEditable();
        return qobject_cast<const QAbstractSpinBox*>(w) != nullptr;
    }

    bool isEditingKey(const QKeyEvent& e)
    {
        if (e.modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
            return false;
        switch (e.key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Backspace:
        case Qt::Key_Delete:
        case Qt::Key_Home:
        case Qt::Key_End:
        case Qt::Key_Left:
        case Qt::Key_Right:
        case Qt::Key_Up:
        case Qt::Key_Down:
            return true;
        default:
            return !e.text().isEmpty() && e.text().at(0).isPrint();
        }
    }

} // namespace

ShortcutGuard::ShortcutGuard(QWidget* window) : QObject(window), m_window(window)
{
    qApp->installEventFilter(this);
}

bool ShortcutGuard::keepsKey(const QWidget* focus, const QKeyEvent& key)
{
    if (!focus || !typesText(focus))
        return false;
    if (key.key() == Qt::Key_Escape && key.modifiers() == Qt::NoModifier)
        return isCellEditor(focus);
    return isEditingKey(key);
}

bool ShortcutGuard::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType()) {
        auto* w = static_cast<QWidget*>(watched);
        if (w->window() == m_window && keepsKey(w, *static_cast<QKeyEvent*>(event))) {
            // Accepting the override delivers the key to the widget instead of a shortcut.
            event->accept();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace folio::ui
