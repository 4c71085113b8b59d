#include "ui/firstrunpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace folio::ui {

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
    auto* button = new QPushButton(tr("Settings…"), this);
    layout->addWidget(button, 0, Qt::AlignTop);
    connect(button, &QPushButton::clicked, this, &FirstRunPanel::settingsRequested);
}

} // namespace folio::ui
