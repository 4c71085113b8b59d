// Settings → Engine driven with real key and mouse events: the server fields, "Test connection"
// against a tiny HTTP server in the test (QTcpServer on 127.0.0.1 answering /v1/models) and
// its failures; and an extraction from the review window through the configured server.
#include "testregistry.h"

#include "storage/library.h"
#include "storage/resultstore.h"
#include "ui/enginesettingspanel.h"
#include "ui/jobs/documentimporter.h"
#include "ui/jobspanel.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"
#include "ui/settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

namespace {

// Answers every HTTP request with what `answer` returns for its request line, then closes.
// Runs on the test's thread: it answers while the test waits in the event loop.
class TinyHttpServer : public QObject {
public:
    struct Reply {
        int status = 200;
        QByteArray body;
    };
    using Answer = std::function<Reply(const QByteArray& requestLine, const QByteArray& headers)>;

    explicit TinyHttpServer(Answer answer) : m_answer(std::move(answer))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()); }
    QByteArrayList requestLines;
    QByteArrayList requestHeaders;

private:
    void serve(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        qsizetype length = 0;
        for (const QByteArray& line : head.split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (buffer.size() < end + 4 + length)
            return; // the body is still coming
        const QByteArray requestLine = head.left(head.indexOf("\r\n"));
        requestLines << requestLine;
        requestHeaders << head;
        const Reply reply = m_answer(requestLine, head);
        socket->write("HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(reply.body.size()) + "\r\nConnection: close\r\n\r\n" + reply.body);
        socket->disconnectFromHost();
        m_buffers.remove(socket);
    }

    QTcpServer m_server;
    Answer m_answer;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

template <typename T>
T* child(QWidget* parent, const char* name)
{
    return parent->findChild<T*>(QString::fromLatin1(name));
}

QByteArray modelList() { return R"({"object":"list","data":[{"id":"qwen25vl-test","object":"model"},{"id":"other-model","object":"model"}]})"; }

} // namespace

class TstEngineSettings : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // The dialog with the server chosen and the URL typed, as a person would.
    struct Filled {
        std::unique_ptr<ui::SettingsDialog> dialog;
        QPushButton* test = nullptr;
        QLabel* status = nullptr;
        QListWidget* models = nullptr;
    };
    Filled fillDialog(const QString& url, const QString& keyVariable)
    {
        Filled f;
        f.dialog = std::make_unique<ui::SettingsDialog>(ui::Settings{});
        f.dialog->show();
        [&] { QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get())); }();
        auto* kind = child<QComboBox>(f.dialog.get(), "engineKind");
        auto* urlEdit = child<QLineEdit>(f.dialog.get(), "serverUrl");
        f.test = child<QPushButton>(f.dialog.get(), "testConnection");
        f.status = child<QLabel>(f.dialog.get(), "connectionStatus");
        f.models = child<QListWidget>(f.dialog.get(), "serverModels");
        [&] { QVERIFY(kind && urlEdit && f.test && f.status && f.models); }();
        [&] { QVERIFY(!urlEdit->isEnabled() && !f.test->isEnabled()); }(); // local engine: the server fields rest
        kind->setFocus();
        QTest::keyClick(kind, Qt::Key_Down);
        [&] { QCOMPARE(kind->currentData().toString(), QStringLiteral("openai")); }();
        [&] { QVERIFY(urlEdit->isEnabled() && f.test->isEnabled()); }();
        QTest::mouseClick(urlEdit, Qt::LeftButton);
        QTest::keyClicks(urlEdit, url);
        if (!keyVariable.isEmpty()) {
            auto* key = child<QLineEdit>(f.dialog.get(), "apiKeyVariable");
            QTest::mouseClick(key, Qt::LeftButton);
            QTest::keyClicks(key, keyVariable);
        }
        return f;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        // Settings go to the test's folder, not the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
    }

    void testConnectionListsTheModels()
    {
        qputenv("FOLIO_TEST_ENGINE_KEY", "s3cret");
        TinyHttpServer server([](const QByteArray& line, const QByteArray&) {
            return line.startsWith("GET /v1/models ") ? TinyHttpServer::Reply{200, modelList()} : TinyHttpServer::Reply{404, "{}"};
        });
        QVERIFY(server.listen());
        Filled f = fillDialog(server.url(), QStringLiteral("FOLIO_TEST_ENGINE_KEY"));
        QVERIFY(!f.models->isVisible());
        QSignalSpy tested(f.dialog->findChild<ui::EngineSettingsPanel*>(), &ui::EngineSettingsPanel::connectionTested);
        QTest::mouseClick(f.test, Qt::LeftButton);
        QVERIFY(tested.wait(30000)); // a hang guard, not a speed limit
        QCOMPARE(tested.first().first().toBool(), true);
        QCOMPARE(server.requestLines.size(), 1);
        QVERIFY(server.requestHeaders.first().contains("Authorization: Bearer s3cret")); // the key from the variable
        QVERIFY2(f.status->text().contains(QStringLiteral("2 model")), qPrintable(f.status->text()));
        QVERIFY(f.models->isVisible());
        QCOMPARE(f.models->count(), 2);
        QCOMPARE(f.models->item(0)->text(), QStringLiteral("qwen25vl-test"));
        // Clicking a listed model names it; OK would store these choices, without the key.
        const QRect itemRect = f.models->visualItemRect(f.models->item(0));
        QTest::mouseClick(f.models->viewport(), Qt::LeftButton, {}, itemRect.center());
        const ui::Settings chosen = f.dialog->settings();
        QCOMPARE(chosen.engine.kind, QStringLiteral("openai"));
        QCOMPARE(chosen.engine.url, server.url());
        QCOMPARE(chosen.engine.model, QStringLiteral("qwen25vl-test"));
        QCOMPARE(chosen.engine.apiKeyVariable, QStringLiteral("FOLIO_TEST_ENGINE_KEY"));
        chosen.save();
        QCOMPARE(ui::Settings::load().engine.model, QStringLiteral("qwen25vl-test"));
        QFile stored(QSettings().fileName());
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QVERIFY(!stored.readAll().contains("s3cret"));
        qunsetenv("FOLIO_TEST_ENGINE_KEY");
    }

    void testConnectionShowsTheError_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("keyVariable");
        QTest::addColumn<QString>("expected");
        QTest::newRow("server error") << 503 << QByteArray(R"({"error":{"message":"model is still loading"}})") << QString()
                                      << "model is still loading";
        QTest::newRow("key refused") << 401 << QByteArray(R"({"error":{"message":"bad key"}})") << QString() << "refused the API key";
        QTest::newRow("not a model list") << 200 << QByteArray("<html>hello</html>") << QString() << "not JSON";
        QTest::newRow("key variable unset") << 200 << modelList() << QStringLiteral("FOLIO_TEST_UNSET_KEY_VARIABLE")
                                            << "FOLIO_TEST_UNSET_KEY_VARIABLE is not set";
    }
    void testConnectionShowsTheError()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, keyVariable);
        QFETCH(QString, expected);
        qunsetenv("FOLIO_TEST_UNSET_KEY_VARIABLE");
        TinyHttpServer server([&](const QByteArray&, const QByteArray&) { return TinyHttpServer::Reply{status, body}; });
        QVERIFY(server.listen());
        Filled f = fillDialog(server.url(), keyVariable);
        QSignalSpy tested(f.dialog->findChild<ui::EngineSettingsPanel*>(), &ui::EngineSettingsPanel::connectionTested);
        QTest::mouseClick(f.test, Qt::LeftButton);
        QVERIFY(!tested.isEmpty() || tested.wait(30000));
        QCOMPARE(tested.first().first().toBool(), false);
        QVERIFY2(f.status->text().contains(expected), qPrintable(f.status->text()));
        QVERIFY(!f.models->isVisible());
        QCOMPARE(f.models->count(), 0);
    }

    void testConnectionToNoServerShowsTheError()
    {
        quint16 port = 0;
        {
            QTcpServer closed; // a port nobody listens on once it is closed
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            port = closed.serverPort();
        }
        Filled f = fillDialog(QStringLiteral("http://127.0.0.1:%1/v1").arg(port), {});
        QSignalSpy tested(f.dialog->findChild<ui::EngineSettingsPanel*>(), &ui::EngineSettingsPanel::connectionTested);
        QTest::mouseClick(f.test, Qt::LeftButton);
        QVERIFY(tested.wait(30000));
        QCOMPARE(tested.first().first().toBool(), false);
        QVERIFY2(f.status->text().contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(f.status->text()));
    }

    void extractionRunsThroughTheConfiguredServer()
    {
        // The server answers every chat completion with the recorded answer for this sample
        // (a replay over real HTTP; no model runs): the window's extraction must go through
        // the remote engine and the shared job and store its results.
        QFile recording(test::sourceDir() + QStringLiteral("/tests/data/model-outputs/invoice-de-nordlicht/invoice/1.txt"));
        QVERIFY(recording.open(QIODevice::ReadOnly));
        const QString answer = QString::fromUtf8(recording.readAll());
        TinyHttpServer server([&](const QByteArray& line, const QByteArray&) {
            if (!line.startsWith("POST /v1/chat/completions "))
                return TinyHttpServer::Reply{404, "{}"};
            const QJsonObject completion{
                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                                   {QStringLiteral("finish_reason"), QStringLiteral("stop")},
                                                                   {QStringLiteral("message"), QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                                                                          {QStringLiteral("content"), answer}}}}}}};
            return TinyHttpServer::Reply{200, QJsonDocument(completion).toJson(QJsonDocument::Compact)};
        });
        QVERIFY(server.listen());
        ui::Settings settings;
        settings.modelDir.clear(); // no local model at all
        settings.engine.kind = QStringLiteral("openai");
        settings.engine.url = server.url();
        settings.engine.model = QStringLiteral("qwen25vl-test");
        settings.save();

        const QString db = m_dir.filePath(QStringLiteral("library.sqlite"));
        qint64 id = 0;
        {
            auto library = storage::Library::open(db);
            QVERIFY(library);
            const jobs::ImportOutcome imported = jobs::importDocument(**library, test::sourceDir() + QStringLiteral("/resources/samples/invoice-de-nordlicht.pdf"));
            QVERIFY2(imported.status == jobs::ImportOutcome::Status::Added, qPrintable(imported.error));
            id = imported.documentId;
        }
        ui::MainWindow window(db);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openDocument(id));
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(window.jobsPanel()->runningJobs(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(window.jobsPanel()->runningJobs(), 0, 60000);
        QVERIFY2(window.jobsPanel()->errors().isEmpty(), qPrintable(window.jobsPanel()->errors().join(u'\n')));
        QVERIFY(server.requestLines.contains("POST /v1/chat/completions HTTP/1.1"));
        const auto runs = window.library()->results().runs(id);
        QVERIFY(runs);
        bool remoteRun = false;
        for (const storage::RunRecord& r : *runs)
            remoteRun = remoteRun || (r.modelId == QStringLiteral("openai:qwen25vl-test @ %1").arg(server.url()) && r.status == u"ok");
        QVERIFY(remoteRun);
        const auto results = window.library()->results().results(id);
        QVERIFY(results);
        bool modelField = false;
        for (const storage::StoredField& f : results->fields)
            modelField = modelField || (f.field.name == u"invoice_number" && f.field.value == u"RE-2026-00417");
        QVERIFY(modelField);
    }
};

FOLIO_TEST_CLASS(TstEngineSettings)
#include "tst_enginesettings.moc"
