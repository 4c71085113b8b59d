#include "ui/settingsdialog.h"

#include "ingest/ocrengine.h"
#include "ui/hotfoldersettingspanel.h"
#include "ui/enginesettingspanel.h"
#include "ui/modelinfo.h"
#include "ui/shortcutsettingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace folio::ui {

SettingsDialog::SettingsDialog(const Settings& s, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Folio settings"));
    auto* form = new QFormLayout(this);

    m_modelDir = new QLineEdit(s.modelDir, this);
    m_modelDir->setPlaceholderText(tr("e.g. ~/models/Qwen2.5-VL-7B-Instruct"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(m_modelDir, 1);
    row->addWidget(browse);
    form->addRow(tr("Model folder"), row);
    m_modelStatus = new QLabel(this);
    m_modelStatus->setWordWrap(true);
    form->addRow(QString(), m_modelStatus);

    m_device = new QComboBox(this);
    m_device->addItems({QStringLiteral("cpu"), QStringLiteral("cuda")});
    m_device->setCurrentText(s.device);
    form->addRow(tr("Device"), m_device);
    m_dtype = new QComboBox(this);
    m_dtype->addItems(Settings::dtypes());
    m_dtype->setCurrentText(s.dtype);
    form->addRow(tr("Weights dtype"), m_dtype);
    m_quant = new QComboBox(this);
    m_quant->setObjectName(QStringLiteral("quant"));
    m_quant->addItems(Settings::quants());
    m_quant->setCurrentText(s.quant);
    form->addRow(tr("Quantization"), m_quant);
    m_quantHint = new QLabel(this);
    m_quantHint->setObjectName(QStringLiteral("quantHint"));
    m_quantHint->setWordWrap(true);
    form->addRow(QString(), m_quantHint);
    const auto showQuantHint = [this] {
        m_quantHint->setText(Settings::quantHint(m_quant->currentText()));
        validateModel();
    };
    connect(m_quant, &QComboBox::currentTextChanged, this, showQuantHint);
    showQuantHint();
    m_maxPixels = new QSpinBox(this);
    m_maxPixels->setRange(28 * 28 * 4, 28 * 28 * 16384);
    m_maxPixels->setSingleStep(28 * 28 * 64);
    m_maxPixels->setValue(s.maxPixels);
    m_maxPixels->setToolTip(tr("Largest page image given to the model, in pixels; more reads small print better but is slower."));
    form->addRow(tr("Pixel budget"), m_maxPixels);
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(72, 600);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setValue(s.renderDpi);
    form->addRow(tr("Render DPI"), m_dpi);
    m_ocr = new QCheckBox(tr("OCR scans on import (pages without a text layer)"), this);
    m_ocr->setObjectName(QStringLiteral("ocrOnImport"));
    m_ocr->setChecked(s.ocrOnImport);
    form->addRow(tr("OCR"), m_ocr);
    m_ocrLanguages = new QLineEdit(s.ocrLanguages.isEmpty() ? ingest::OcrEngine::defaultLanguages() : s.ocrLanguages, this);
    m_ocrLanguages->setObjectName(QStringLiteral("ocrLanguages"));
    m_ocrLanguages->setToolTip(tr("Tesseract languages joined by +; installed: %1")
                                   .arg(ingest::OcrEngine::installedLanguages().join(QStringLiteral(", "))));
    form->addRow(tr("OCR languages"), m_ocrLanguages);
    m_draft = new QComboBox(this);
    m_draft->addItems({QStringLiteral("auto"), QStringLiteral("off")});
    m_draft->setCurrentText(s.draft ? QStringLiteral("auto") : QStringLiteral("off"));
    m_draft->setToolTip(tr("auto: the model checks several words copied from the page in one step (same text, "
                           "fewer steps); off: one token per step."));
    form->addRow(tr("Draft from page words"), m_draft);
    auto* hotFolder = new HotFolderSettingsPanel(this);
    form->addRow(hotFolder);
    connect(this, &QDialog::accepted, hotFolder, &HotFolderSettingsPanel::save);

    m_reviewThreshold = new QDoubleSpinBox(this);
    m_reviewThreshold->setObjectName(QStringLiteral("reviewThreshold"));
    m_reviewThreshold->setRange(0, 1);
    m_reviewThreshold->setSingleStep(0.05);
    m_reviewThreshold->setValue(s.reviewThreshold);
    m_reviewThreshold->setToolTip(tr("Values read with a lower confidence are in the review queue (Tab) even "
                                     "when no check flagged them."));
    form->addRow(tr("Needs review below"), m_reviewThreshold);
    m_shortcuts = new ShortcutSettingsPanel(this);
    form->addRow(tr("Keys"), m_shortcuts);
    connect(this, &QDialog::accepted, m_shortcuts, &ShortcutSettingsPanel::save);
    m_engine = new EngineSettingsPanel(s.engine, this);
    form->addRow(m_engine);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), m_modelDir->text());
        if (!dir.isEmpty())
            m_modelDir->setText(dir);
    });
    connect(m_modelDir, &QLineEdit::textChanged, this, &SettingsDialog::validateModel);
    validateModel();
}

void SettingsDialog::validateModel()
{
    const QString dir = m_modelDir->text().trimmed();
    if (dir.isEmpty()) {
        m_modelStatus->setText(tr("No model yet: import, search and review work without one."));
        return;
    }
    const Result<ModelInfo> info = readModelInfo(dir);
    if (!info) {
        m_modelStatus->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                                   .arg(QString::fromStdString(info.error()).toHtmlEscaped()));
        return;
    }
    QString text = QStringLiteral("%1 · %2 layers · %3").arg(info->displayName).arg(info->layers).arg(info->dtype);
    if (const qint64 bytes = info->weightBytes(m_quant->currentText()); bytes > 0)
        text += tr(" · %1: about %2 GB of weights in memory").arg(m_quant->currentText()).arg(double(bytes) / 1e9, 0, 'f', 1);
    if (!info->hasWeights)
        text += tr(" — but no .safetensors weights in the folder yet");
    m_modelStatus->setText(text);
}

Settings SettingsDialog::settings() const
{
    Settings s;
    s.modelDir = m_modelDir->text().trimmed();
    s.device = m_device->currentText();
    s.dtype = m_dtype->currentText();
    s.quant = m_quant->currentText();
    s.maxPixels = m_maxPixels->value();
    s.renderDpi = m_dpi->value();
    s.ocrOnImport = m_ocr->isChecked();
    s.ocrLanguages = m_ocrLanguages->text().trimmed();
    s.draft = m_draft->currentText() == u"auto";
    s.reviewThreshold = m_reviewThreshold->value();
    s.engine = m_engine->settings();
    return s;
}

} // namespace folio::ui
