#include "ui/shortcutsettingspanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    constexpr int kIdRole = Qt::UserRole;

} // namespace

ShortcutSettingsPanel::ShortcutSettingsPanel(QWidget* parent) : QWidget(parent), m_bindings(KeyBindings::load())
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("bindingsTable"));
    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Command"), tr("Keys")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setMinimumHeight(180);
    layout->addWidget(m_table, 1);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("New key:"), this));
    m_recorder = new QKeySequenceEdit(this);
    m_recorder->setObjectName(QStringLiteral("keyRecorder"));
    m_recorder->setToolTip(tr("Choose a command above, then press the key for it here."));
    row->addWidget(m_recorder, 1);
    auto* clear = new QPushButton(tr("No key"), this);
    auto* defaults = new QPushButton(tr("All defaults"), this);
    row->addWidget(clear);
    row->addWidget(defaults);
    layout->addLayout(row);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("bindingMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    connect(m_recorder, &QKeySequenceEdit::editingFinished, this, [this] {
        const QString id = currentId();
        if (!id.isEmpty() && !m_recorder->keySequence().isEmpty())
            setKeys(id, {m_recorder->keySequence()});
        m_recorder->clear();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        if (const QString id = currentId(); !id.isEmpty())
            setKeys(id, {});
    });
    connect(defaults, &QPushButton::clicked, this, [this] {
        m_bindings.resetToDefaults();
        m_message->clear();
        fill();
    });
    fill();
}

void ShortcutSettingsPanel::fill()
{
    const QString selected = currentId();
    m_table->setRowCount(0);
    for (const KeyBinding& b : KeyBindings::table()) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* name = new QTableWidgetItem(b.text);
        name->setData(kIdRole, b.id);
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1,
                         new QTableWidgetItem(QKeySequence::listToString(m_bindings.keys(b.id), QKeySequence::NativeText)));
        if (b.id == selected)
            m_table->selectRow(row);
    }
    m_table->resizeColumnToContents(0);
}

QString ShortcutSettingsPanel::currentId() const
{
    const QTableWidgetItem* item = m_table->currentRow() >= 0 ? m_table->item(m_table->currentRow(), 0) : nullptr;
    return item ? item->data(kIdRole).toString() : QString();
}

bool ShortcutSettingsPanel::setKeys(const QString& id, const QList<QKeySequence>& keys)
{
    const Result<void> set = m_bindings.setKeys(id, keys);
    if (!set) {
        m_message->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                               .arg(QString::fromStdString(set.error()).toHtmlEscaped()));
        return false;
    }
    const KeyBinding* b = KeyBindings::find(id);
    m_message->setText(keys.isEmpty() ? tr("%1 has no key now.").arg(b->text)
                                      : tr("%1: %2").arg(b->text, QKeySequence::listToString(keys, QKeySequence::NativeText)));
    fill();
    return true;
}

QString ShortcutSettingsPanel::message() const
{
    return m_message->text();
}

} // namespace folio::ui
