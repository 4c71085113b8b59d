#pragma once
// The hot folder's settings (a folder to watch; which task to extract new files with when a
// model is configured) and the panel that edits them inside the Settings dialog. Kept with
// QSettings under "hotFolder/", apart from ui/settings.h so the dialog embeds it in a line.
// GUI thread only.

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace folio::ui {

struct HotFolderSettings {
    QString folder;                          // empty: not watching
    QString task = QStringLiteral("invoice"); // extract new files with this task...
    bool extract = true;                     // ...when a model is configured

    static HotFolderSettings load();
    void save() const;
};

class HotFolderSettingsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit HotFolderSettingsPanel(QWidget* parent = nullptr);

    HotFolderSettings settings() const;
    // Stores what the panel shows (the dialog calls this when accepted).
    void save() const { settings().save(); }

private:
    QLineEdit* m_folder;
    QCheckBox* m_extract;
    QComboBox* m_task;
};

} // namespace folio::ui
