#pragma once
// FirstRunPanel: shown while no model is configured. Explains how to get Qwen2.5-VL onto this
// machine and that import, search and review already work without it. GUI thread only.

#include <QFrame>

namespace folio::ui {

class FirstRunPanel : public QFrame {
    Q_OBJECT
public:
    explicit FirstRunPanel(QWidget* parent = nullptr);

Q_SIGNALS:
    void settingsRequested();
};

} // namespace folio::ui
