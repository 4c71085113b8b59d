#include "ui/keybindings.h"

#include <QCoreApplication>
#include <QSettings>

namespace folio::ui {

namespace {

    QString tr(const char* text)
    {
        return QCoreApplication::translate("folio::ui::KeyBindings", text);
    }

    QList<QKeySequence> seq(std::initializer_list<QKeySequence> list)
    {
        return QList<QKeySequence>(list);
    }

    QList<QKeySequence> standard(QKeySequence::StandardKey key)
    {
        return QKeySequence::keyBindings(key);
    }

    QString settingsKey(const QString& id)
    {
        return QStringLiteral("shortcuts/") + id;
    }

} // namespace

const std::vector<KeyBinding>& KeyBindings::table()
{
    static const std::vector<KeyBinding> bindings = [] {
        std::vector<KeyBinding> t = {
            {QStringLiteral("file.open"), tr("Open…"), standard(QKeySequence::Open)},
            {QStringLiteral("file.remove"), tr("Remove document"), {}},
            {QStringLiteral("file.export"), tr("Export…"), seq({QKeySequence(Qt::CTRL | Qt::Key_E)})},
            {QStringLiteral("file.settings"), tr("Settings…"), seq({QKeySequence(Qt::CTRL | Qt::Key_Comma)})},
            {QStringLiteral("file.quit"), tr("Quit"), standard(QKeySequence::Quit)},
            {QStringLiteral("edit.undo"), tr("Undo"), standard(QKeySequence::Undo)},
            {QStringLiteral("edit.redo"), tr("Redo"),
             seq({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)})},
            {QStringLiteral("edit.find"), tr("Find in library"), seq({QKeySequence(Qt::CTRL | Qt::Key_F)})},
            {QStringLiteral("view.previousPage"), tr("Previous page"), seq({QKeySequence(Qt::Key_PageUp)})},
            {QStringLiteral("view.nextPage"), tr("Next page"), seq({QKeySequence(Qt::Key_PageDown)})},
            {QStringLiteral("view.zoomOut"), tr("Zoom out"),
             seq({QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence(Qt::Key_Minus)})},
            {QStringLiteral("view.zoomIn"), tr("Zoom in"),
             seq({QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)})},
            {QStringLiteral("view.fitWidth"), tr("Fit width"), seq({QKeySequence(Qt::Key_W)})},
            {QStringLiteral("view.fitPage"), tr("Fit page"), seq({QKeySequence(Qt::Key_P)})},
            // As in Evince; the shortcut guard hands these to the shortcuts even from the search box.
            {QStringLiteral("view.rotateClockwise"), tr("Rotate page clockwise"), seq({QKeySequence(Qt::CTRL | Qt::Key_Right)})},
            {QStringLiteral("view.rotateAnticlockwise"), tr("Rotate page anticlockwise"),
             seq({QKeySequence(Qt::CTRL | Qt::Key_Left)})},
            {QStringLiteral("view.words"), tr("Words"), seq({QKeySequence(Qt::Key_1)})},
            {QStringLiteral("view.lines"), tr("Lines"), seq({QKeySequence(Qt::Key_2)})},
            {QStringLiteral("view.fields"), tr("Fields"), seq({QKeySequence(Qt::Key_3)})},
            {QStringLiteral("view.cells"), tr("Cells"), seq({QKeySequence(Qt::Key_4)})},
            {QStringLiteral("review.next"), tr("Next to review"), seq({QKeySequence(Qt::Key_Tab), QKeySequence(Qt::Key_N)})},
            // Shift+Tab arrives as Backtab.
            {QStringLiteral("review.previous"), tr("Previous to review"), seq({QKeySequence(Qt::SHIFT | Qt::Key_Backtab)})},
            {QStringLiteral("review.accept"), tr("Accept and go to the next"),
             seq({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)})},
            {QStringLiteral("review.flag"), tr("Flag"), seq({QKeySequence(Qt::Key_F)})},
            {QStringLiteral("review.edit"), tr("Edit value"), seq({QKeySequence(Qt::Key_E), QKeySequence(Qt::Key_F2)})},
            {QStringLiteral("review.leave"), tr("Leave the search box or draw mode"), seq({QKeySequence(Qt::Key_Escape)})},
            {QStringLiteral("review.draw"), tr("Draw box"), seq({QKeySequence(Qt::Key_D)})},
            {QStringLiteral("review.reread"), tr("Re-read with the model"), seq({QKeySequence(Qt::Key_R)})},
            {QStringLiteral("review.removeBox"), tr("Remove box"),
             seq({QKeySequence(Qt::Key_Delete), QKeySequence(Qt::Key_Backspace)})},
            {QStringLiteral("review.deleteField"), tr("Delete field"), seq({QKeySequence(Qt::CTRL | Qt::Key_Delete)})},
            {QStringLiteral("review.extractInvoice"), tr("Extract invoice fields"), seq({QKeySequence(Qt::CTRL | Qt::Key_R)})},
            {QStringLiteral("review.extractTables"), tr("Extract tables"), {}},
            {QStringLiteral("review.readLines"), tr("Read text lines"), {}},
            {QStringLiteral("help.shortcuts"), tr("Keyboard shortcuts"),
             seq({QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)})},
            {QStringLiteral("help.about"), tr("About Folio"), {}},
        };
        return t;
    }();
    return bindings;
}

const KeyBinding* KeyBindings::find(const QString& id)
{
    for (const KeyBinding& b : table()) {
        if (b.id == id)
            return &b;
    }
    return nullptr;
}

KeyBindings KeyBindings::load()
{
    KeyBindings out;
    out.resetToDefaults();
    const QSettings s;
    for (const KeyBinding& b : table()) {
        const QVariant stored = s.value(settingsKey(b.id));
        if (stored.isValid())
            out.m_keys.insert(b.id, QKeySequence::listFromString(stored.toString(), QKeySequence::PortableText));
    }
    return out;
}

void KeyBindings::save() const
{
    QSettings s;
    for (const KeyBinding& b : table()) {
        const QList<QKeySequence> k = m_keys.value(b.id);
        if (k == b.defaults)
            s.remove(settingsKey(b.id));
        else
            s.setValue(settingsKey(b.id), QKeySequence::listToString(k, QKeySequence::PortableText));
    }
}

void KeyBindings::resetToDefaults()
{
    m_keys.clear();
    for (const KeyBinding& b : table())
        m_keys.insert(b.id, b.defaults);
}

Result<void> KeyBindings::setKeys(const QString& id, const QList<QKeySequence>& keys)
{
    if (!find(id))
        return makeError("no command \"" + id.toStdString() + "\" to bind a key to");
    for (const QKeySequence& k : keys) {
        if (k.isEmpty())
            continue;
        const QString other = commandOf(k);
        if (!other.isEmpty() && other != id)
            return makeError(QStringLiteral("%1 is already bound to \"%2\"; choose another key or change that one first.")
                                 .arg(k.toString(QKeySequence::NativeText), find(other)->text)
                                 .toStdString());
    }
    QList<QKeySequence> kept;
    for (const QKeySequence& k : keys) {
        if (!k.isEmpty() && !kept.contains(k))
            kept << k;
    }
    m_keys.insert(id, kept);
    return {};
}

QString KeyBindings::commandOf(const QKeySequence& key) const
{
    for (auto it = m_keys.constBegin(); it != m_keys.constEnd(); ++it) {
        if (it.value().contains(key))
            return it.key();
    }
    return {};
}

} // namespace folio::ui
