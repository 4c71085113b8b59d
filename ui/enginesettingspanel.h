#pragma once
// EngineSettingsPanel: the "Engine" group of the settings dialog. Local model or an
// OpenAI-compatible server (URL, model name, API-key variable, pages in flight, timeout), and
// "Test connection", which asks the server for its model list off the GUI thread and shows the
// models (click one to use it) or the error. GUI thread only.

#include "ui/enginesettings.h"

#include <QGroupBox>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace folio::ui {

class EngineSettingsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit EngineSettingsPanel(const EngineSettings& settings, QWidget* parent = nullptr);
    ~EngineSettingsPanel() override;
    EngineSettings settings() const;

Q_SIGNALS:
    // A connection test ended: the models listed, or the error shown.
    void connectionTested(bool ok);

private:
    void testConnection();
    void updateEnabled();

    QComboBox* m_kind;
    QLineEdit* m_url;
    QLineEdit* m_model;
    QLineEdit* m_keyVariable;
    QSpinBox* m_concurrency;
    QSpinBox* m_timeout;
    QPushButton* m_test;
    QLabel* m_status;
    QListWidget* m_models;
    std::shared_ptr<std::atomic<bool>> m_cancelTest; // the running test, if any
};

} // namespace folio::ui
