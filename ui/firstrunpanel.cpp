#include "ui/firstrunpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace folio::ui {

namespace {

    constexpr const char* kDismissedKey = "ui/firstRunDismissed";

} // namespace

FirstRunPanel::FirstRunPanel(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("firstRunPanel"));
    setFrameShape(StyledPanel);
    setStyleSheet(QStringLiteral("#firstRunPanel { background: #e3f2fd; border: 1px solid #90caf9; }"));
    auto* layout = new QHBoxLayout(this);
    auto* text = new QLabel(this);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setText(tr(
        "<b>No model configured yet.</b> Import, search and review work already; reading pages needs "
        "Qwen2.5-VL on this machine. On a computer with internet, download "
        "<b>Qwen2.5-VL-7B-Instruct</b> (Apache-2.0) or the smaller <b>3B</b> (Qwen research licence):<br>"
        "<code>huggingface-cli download Qwen/Qwen2.5-VL-7B-Instruct --local-dir "
        "~/models/Qwen2.5-VL-7B-Instruct</code><br>then choose that folder in Settings, or name a server that already runs it "
        "(vLLM, llama-server, Ollama, LM Studio, folio serve) under Settings → Engine."));
    layout->addWidget(text, 1);
    auto* buttons = new QVBoxLayout;
    auto* button = new QPushButton(tr("Settings…"), this);
    buttons->addWidget(button);
    auto* dismiss = new QPushButton(tr("Dismiss"), this);
    dismiss->setObjectName(QStringLiteral("dismissFirstRun"));
    dismiss->setToolTip(tr("Hide this until an extraction needs a model"));
    buttons->addWidget(dismiss);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(button, &QPushButton::clicked, this, &FirstRunPanel::settingsRequested);
    connect(dismiss, &QPushButton::clicked, this, [this] {
        QSettings().setValue(QLatin1String(kDismissedKey), true);
        hide();
    });
}

bool FirstRunPanel::dismissed()
{
    return QSettings().value(QLatin1String(kDismissedKey), false).toBool();
}

void FirstRunPanel::setModelConfigured(bool modelConfigured)
{
    setVisible(!modelConfigured && !dismissed());
}

} // namespace folio::ui
