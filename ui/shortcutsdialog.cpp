#include "ui/shortcutsdialog.h"

#include "ui/keybindings.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace folio::ui {

ShortcutsDialog::ShortcutsDialog(const KeyBindings& bindings, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    auto* layout = new QVBoxLayout(this);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("shortcutsTable"));
    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (const KeyBinding& b : KeyBindings::table()) {
        const QList<QKeySequence> keys = bindings.keys(b.id);
        if (keys.isEmpty())
            continue;
        QStringList names;
        for (const QKeySequence& k : keys)
            names << k.toString(QKeySequence::NativeText);
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(names.join(QStringLiteral("  or  "))));
        m_table->setItem(row, 1, new QTableWidgetItem(b.text));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table);
    auto* note = new QLabel(tr("Letters, Enter and Delete type into the search box and into an open cell editor; "
                               "Esc leaves either. Remap keys in Settings."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(480, 560);
}

} // namespace folio::ui
