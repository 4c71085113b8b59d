#pragma once
// FirstRunPanel: shown while no model is configured. Explains how to get Qwen2.5-VL onto this
// machine and that import, search and review already work without it. It can be dismissed;
// that is remembered (QSettings), and it comes back only when an extraction needs the model.
// GUI thread only.

#include <QFrame>

namespace folio::ui {

class FirstRunPanel : public QFrame {
    Q_OBJECT
public:
    explicit FirstRunPanel(QWidget* parent = nullptr);

    // Shown while no model is configured, unless the user dismissed it.
    void setModelConfigured(bool modelConfigured);
    static bool dismissed();

Q_SIGNALS:
    void settingsRequested();
};

} // namespace folio::ui
