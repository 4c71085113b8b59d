#pragma once
// SettingsDialog: model folder (checked as it is typed: config.json is read and the model is
// named, e.g. "Qwen2.5-VL-7B · bfloat16"), device, dtype, quantization (with what it costs),
// pixel budget and render DPI, the review threshold and the key bindings
// (ui/shortcutsettingspanel.h).
// OK saves to QSettings (ui/settings.h). GUI thread only.

#include "ui/settings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace folio::ui {

class ShortcutSettingsPanel;
class EngineSettingsPanel;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const Settings& settings, QWidget* parent = nullptr);
    Settings settings() const;

private:
    void validateModel();

    QLineEdit* m_modelDir;
    QLabel* m_modelStatus;
    QComboBox* m_device;
    QComboBox* m_dtype;
    QComboBox* m_quant;
    QLabel* m_quantHint;
    QSpinBox* m_maxPixels;
    QSpinBox* m_dpi;
    QCheckBox* m_ocr;
    QLineEdit* m_ocrLanguages;
    QComboBox* m_draft;
    QDoubleSpinBox* m_reviewThreshold;
    ShortcutSettingsPanel* m_shortcuts;
    EngineSettingsPanel* m_engine;
};

} // namespace folio::ui
