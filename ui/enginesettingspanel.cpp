#include "ui/enginesettingspanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QtConcurrent>

#include <algorithm>

namespace folio::ui {

namespace {

    // What one connection test found (Result has no default value, which QFuture wants).
    struct ModelListing {
        QStringList models;
        QString error;
    };

    // A test asks once, and not for long: the user is waiting at the dialog.
    constexpr int kTestTimeoutSeconds = 15;

} // namespace

EngineSettingsPanel::EngineSettingsPanel(const EngineSettings& s, QWidget* parent) : QGroupBox(tr("Engine"), parent)
{
    setObjectName(QStringLiteral("engineSettings"));
    auto* form = new QFormLayout(this);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("engineKind"));
    m_kind->addItem(tr("Local model (this computer)"), QString::fromLatin1(EngineSettings::kLocal));
    m_kind->addItem(tr("OpenAI-compatible server"), QString::fromLatin1(EngineSettings::kOpenAi));
    m_kind->setCurrentIndex(s.remote() ? 1 : 0);
    form->addRow(tr("Engine"), m_kind);

    m_url = new QLineEdit(s.url, this);
    m_url->setObjectName(QStringLiteral("serverUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080/v1"));
    m_url->setToolTip(tr("vLLM, SGLang, llama-server, Ollama (…:11434/v1), LM Studio (…:1234/v1) or folio serve. "
                         "Pages are sent only to this address."));
    form->addRow(tr("Server URL"), m_url);
    m_model = new QLineEdit(s.model, this);
    m_model->setObjectName(QStringLiteral("serverModel"));
    m_model->setPlaceholderText(tr("e.g. Qwen/Qwen2.5-VL-7B-Instruct"));
    form->addRow(tr("Server model"), m_model);
    m_keyVariable = new QLineEdit(s.apiKeyVariable, this);
    m_keyVariable->setObjectName(QStringLiteral("apiKeyVariable"));
    m_keyVariable->setPlaceholderText(tr("none"));
    m_keyVariable->setToolTip(tr("The name of an environment variable holding the API key; the key itself is never stored."));
    form->addRow(tr("API key variable"), m_keyVariable);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("serverConcurrency"));
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(s.concurrency);
    m_concurrency->setToolTip(tr("Pages sent at once; a server batches them."));
    form->addRow(tr("Pages in flight"), m_concurrency);
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("serverTimeout"));
    m_timeout->setRange(1, 86400);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(s.timeoutSeconds);
    form->addRow(tr("Timeout per page"), m_timeout);

    m_test = new QPushButton(tr("Test connection"), this);
    m_test->setObjectName(QStringLiteral("testConnection"));
    form->addRow(QString(), m_test);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("connectionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_status);
    m_models = new QListWidget(this);
    m_models->setObjectName(QStringLiteral("serverModels"));
    m_models->setToolTip(tr("Click a model to use it."));
    m_models->setMaximumHeight(90);
    m_models->hide();
    form->addRow(QString(), m_models);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &EngineSettingsPanel::updateEnabled);
    connect(m_test, &QPushButton::clicked, this, &EngineSettingsPanel::testConnection);
    connect(m_models, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { m_model->setText(item->text()); });
    updateEnabled();
}

EngineSettingsPanel::~EngineSettingsPanel()
{
    if (m_cancelTest)
        m_cancelTest->store(true); // the test's thread ends on its own; nobody waits for it
}

EngineSettings EngineSettingsPanel::settings() const
{
    EngineSettings s;
    s.kind = m_kind->currentData().toString();
    s.url = m_url->text().trimmed();
    s.model = m_model->text().trimmed();
    s.apiKeyVariable = m_keyVariable->text().trimmed();
    s.concurrency = m_concurrency->value();
    s.timeoutSeconds = m_timeout->value();
    return s;
}

void EngineSettingsPanel::updateEnabled()
{
    const bool remote = m_kind->currentData().toString() == QLatin1String(EngineSettings::kOpenAi);
    for (QWidget* w : std::initializer_list<QWidget*>{m_url, m_model, m_keyVariable, m_concurrency, m_timeout, m_test, m_models})
        w->setEnabled(remote);
}

void EngineSettingsPanel::testConnection()
{
    auto options = settings().connectionOptions(); // no model name needed: finding one is what the test is for
    m_models->clear();
    m_models->hide();
    if (!options) {
        m_status->setText(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(QString::fromStdString(options.error()).toHtmlEscaped()));
        Q_EMIT connectionTested(false);
        return;
    }
    options->maxAttempts = 1;
    options->timeoutSeconds = std::min(options->timeoutSeconds, kTestTimeoutSeconds);
    if (m_cancelTest)
        m_cancelTest->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancelTest = cancel;
    m_test->setEnabled(false);
    m_status->setText(tr("Asking %1 for its models…").arg(options->baseUrl.toString()));
    auto* watcher = new QFutureWatcher<ModelListing>(this);
    connect(watcher, &QFutureWatcher<ModelListing>::finished, this, [this, watcher, cancel] {
        watcher->deleteLater();
        if (cancel != m_cancelTest)
            return; // a newer test replaced this one
        m_cancelTest.reset();
        updateEnabled();
        const ModelListing listing = watcher->result();
        if (!listing.error.isEmpty()) {
            m_status->setText(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(listing.error.toHtmlEscaped()));
            Q_EMIT connectionTested(false);
            return;
        }
        const int n = int(listing.models.size());
        m_status->setText(n == 0   ? tr("Connected, but the server lists no models.")
                          : n == 1 ? tr("Connected: the server lists 1 model.")
                                   : tr("Connected: the server lists %1 models (click one to use it).").arg(n));
        m_models->addItems(listing.models);
        m_models->setVisible(!listing.models.isEmpty());
        Q_EMIT connectionTested(true);
    });
    watcher->setFuture(QtConcurrent::run([engine = extract::RemoteEngine(*options), cancel] {
        const auto models = engine.listModels(cancel.get());
        return models ? ModelListing{*models, {}} : ModelListing{{}, QString::fromStdString(models.error())};
    }));
}

} // namespace folio::ui
