#include "ui/hotfoldersettingspanel.h"

#include "extract/taskprompt.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace folio::ui {

HotFolderSettings HotFolderSettings::load()
{
    const QSettings s;
    HotFolderSettings out;
    out.folder = s.value(QStringLiteral("hotFolder/folder"), out.folder).toString();
    out.task = s.value(QStringLiteral("hotFolder/task"), out.task).toString();
    out.extract = s.value(QStringLiteral("hotFolder/extract"), out.extract).toBool();
    return out;
}

void HotFolderSettings::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("hotFolder/folder"), folder);
    s.setValue(QStringLiteral("hotFolder/task"), task);
    s.setValue(QStringLiteral("hotFolder/extract"), extract);
}

HotFolderSettingsPanel::HotFolderSettingsPanel(QWidget* parent) : QGroupBox(tr("Hot folder"), parent)
{
    setObjectName(QStringLiteral("hotFolderSettings"));
    const HotFolderSettings s = HotFolderSettings::load();
    auto* form = new QFormLayout(this);
    m_folder = new QLineEdit(s.folder, this);
    m_folder->setObjectName(QStringLiteral("hotFolder"));
    m_folder->setPlaceholderText(tr("empty: no folder is watched"));
    m_folder->setToolTip(tr("Files copied into this folder are added to the library once they stop changing."));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(m_folder, 1);
    row->addWidget(browse);
    form->addRow(tr("Watch folder"), row);
    m_extract = new QCheckBox(tr("Extract new files when a model is configured, with"), this);
    m_extract->setObjectName(QStringLiteral("hotFolderExtract"));
    m_extract->setChecked(s.extract);
    m_task = new QComboBox(this);
    m_task->setObjectName(QStringLiteral("hotFolderTask"));
    // The custom task needs a schema, which the hot folder has none of.
    for (const QString& task : extract::taskNames())
        if (task != u"custom")
            m_task->addItem(task);
    m_task->setCurrentText(s.task);
    auto* extractRow = new QHBoxLayout;
    extractRow->addWidget(m_extract);
    extractRow->addWidget(m_task, 1);
    form->addRow(QString(), extractRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Hot folder"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
}

HotFolderSettings HotFolderSettingsPanel::settings() const
{
    HotFolderSettings s;
    s.folder = m_folder->text().trimmed();
    s.task = m_task->currentText();
    s.extract = m_extract->isChecked();
    return s;
}

} // namespace folio::ui
