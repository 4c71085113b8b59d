// The remote engine end to end over real HTTP on 127.0.0.1: `folio serve` running the fixture
// model, started by the test, and `folio extract --engine openai` against it with several
// pages in flight (runs stored with status, raw output and request parameters); a server
// killed mid-batch (finished pages stay, the rest fail with the reason, a re-run resumes); the
// API key required and refused. A tiny fault-injecting server (QTcpServer, real sockets) gives
// 503, 429 with Retry-After, a dropped connection, a stalled stream to cancel, and a grounded
// answer whose box must map exactly through the size Folio sent.
#include "app/folioprocess.h"
#include "testregistry.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

namespace {

const QString kModelName = QStringLiteral("qwen25vl-tiny");

QString fixtureModel()
{
    return folio::test::sharedDir() + QStringLiteral("/fixtures/qwen25vl-tiny");
}

// A PDF of `pages` pages, each with a line of real text (a text layer, so no page is blank).
QString makePdf(const QString& path, int pages)
{
    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QSizeF(300, 200), QPageSize::Point));
    QPainter painter(&writer);
    QFont font = painter.font();
    font.setPointSize(18);
    painter.setFont(font);
    for (int p = 0; p < pages; ++p) {
        if (p > 0)
            writer.newPage();
        painter.drawText(QPointF(30, 60), QStringLiteral("Page %1 of the remote test").arg(p + 1));
    }
    painter.end();
    return path;
}

// `folio serve` on a free port; the port comes from its "listening on" line.
class ServeProcess {
public:
    bool start(const QStringList& extra = {}, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        m_process.start(QStringLiteral(FOLIO_EXE), QStringList{QStringLiteral("serve"), QStringLiteral("--model"), fixtureModel(),
                                                               QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--dtype"),
                                                               QStringLiteral("f32"), QStringLiteral("--threads"), QStringLiteral("1")}
                            + extra);
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/v1"));
        QByteArray out;
        while (m_process.waitForReadyRead(120000)) {
            out += m_process.readAllStandardOutput();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                m_port = m.captured(1).toInt();
                return true;
            }
        }
        return false;
    }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(30000))
                m_process.kill();
            m_process.waitForFinished();
        }
    }
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port); }

private:
    QProcess m_process;
    int m_port = 0;
};

// What the fault server does with one request.
enum class Fault { Unavailable503, TooMany429, Drop, Answer, AnswerLength, Stall };

// A minimal HTTP/1.1 server on 127.0.0.1 that plays a script, one step per request, and keeps
// every request body it received.
class FaultServer : public QTcpServer {
public:
    explicit FaultServer(QList<Fault> script) : m_script(std::move(script)) { listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(serverPort()); }
    QList<QByteArray> bodies;
    int stalledClosed = 0; // stalled streams the client closed
    QString answer = QStringLiteral("[{\"bbox_2d\": [28, 28, 140, 56], \"text_content\": \"Hello remote\"}]");

protected:
    void incomingConnection(qintptr handle) override
    {
        auto* socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            *buffer += socket->readAll();
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            static const QRegularExpression length(QStringLiteral("content-length:\\s*(\\d+)"), QRegularExpression::CaseInsensitiveOption);
            const auto m = length.match(QString::fromLatin1(buffer->left(end)));
            const qsizetype need = m.hasMatch() ? m.captured(1).toLongLong() : 0;
            if (buffer->size() < end + 4 + need)
                return;
            bodies << buffer->mid(end + 4, need);
            buffer->clear();
            respond(socket, m_script.isEmpty() ? Fault::Answer : m_script.takeFirst());
        });
    }

private:
    static QByteArray event(const QJsonObject& chunk) { return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n"; }
    static QJsonObject chunk(const QJsonObject& choice)
    {
        return QJsonObject{{QStringLiteral("object"), QStringLiteral("chat.completion.chunk")}, {QStringLiteral("choices"), QJsonArray{choice}}};
    }

    void respond(QTcpSocket* socket, Fault fault)
    {
        const auto error = [&](int status, const QByteArray& reason, const QByteArray& extra) {
            const QByteArray body = R"({"error":{"message":"injected )" + QByteArray::number(status) + R"("}})";
            socket->write("HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\nContent-Type: application/json\r\n" + extra
                          + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        };
        switch (fault) {
        case Fault::Unavailable503:
            return error(503, "Service Unavailable", "Retry-After: 0\r\n");
        case Fault::TooMany429:
            return error(429, "Too Many Requests", "Retry-After: 1\r\n");
        case Fault::Drop:
            socket->abort();
            return;
        case Fault::Stall:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
            socket->write(event(chunk(QJsonObject{{QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), QStringLiteral("[{\"bbox_2d\"")}}}})));
            QObject::connect(socket, &QTcpSocket::disconnected, this, [this] { ++stalledClosed; });
            return; // never finishes: only a cancel ends it
        case Fault::Answer:
        case Fault::AnswerLength: {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
            const QString text = answer;
            for (qsizetype at = 0; at < text.size(); at += 9) {
                QJsonObject choice{{QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text.mid(at, 9)}}},
                                   {QStringLiteral("logprobs"), QJsonObject{{QStringLiteral("content"), QJsonArray{QJsonObject{{QStringLiteral("logprob"), -0.25}}}}}}};
                socket->write(event(chunk(choice)));
            }
            socket->write(event(chunk(QJsonObject{{QStringLiteral("delta"), QJsonObject{}},
                                                  {QStringLiteral("finish_reason"), fault == Fault::Answer ? QStringLiteral("stop") : QStringLiteral("length")}})));
            socket->write("data: [DONE]\n\n");
            socket->disconnectFromHost();
            return;
        }
        }
    }

    QList<Fault> m_script;
};

using Run = folio::test::FolioRun;

// Runs folio while this thread's event loop keeps serving (the fault server lives here).
Run runFolioServing(const QStringList& args, const std::function<void(QProcess&, const QByteArray& errSoFar)>& whileRunning = {},
             const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FOLIO_EXE), args);
    if (!p.waitForStarted())
        return {};
    QByteArray err;
    for (int i = 0; i < 12000 && p.state() != QProcess::NotRunning; ++i) { // a hang guard, not a speed limit
        QTest::qWait(50);
        err += p.readAllStandardError();
        if (whileRunning)
            whileRunning(p, err);
    }
    p.waitForFinished(1000);
    err += p.readAllStandardError();
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), QString::fromUtf8(err)};
}

} // namespace

class TstRemote : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_db = 0;
    QString m_currentDb;

    QStringList freshDb()
    {
        m_currentDb = m_dir.filePath(QStringLiteral("library-%1.sqlite").arg(++m_db));
        return {QStringLiteral("--db"), m_currentDb};
    }
    QStringList db() const { return {QStringLiteral("--db"), m_currentDb}; }

    QStringList remote(const QString& url, int concurrency) const
    {
        return {QStringLiteral("--engine"), QStringLiteral("openai"), QStringLiteral("--url"), url, QStringLiteral("--remote-model"), kModelName,
                QStringLiteral("--concurrency"), QString::number(concurrency), QStringLiteral("--retries"), QStringLiteral("0"),
                QStringLiteral("--dpi"), QStringLiteral("72")};
    }

    QJsonObject show(const QString& doc)
    {
        QProcess p;
        p.start(QStringLiteral(FOLIO_EXE), db() + QStringList{QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--raw"), doc});
        p.waitForFinished(60000);
        return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    }

    static QJsonArray reportOf(const Run& r) { return QJsonDocument::fromJson(r.out).array(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void serveAndExtractWithPagesInFlight()
    {
        ServeProcess serve;
        QVERIFY(serve.start());
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("batch.pdf")), 4);
        const Run r = runFolioServing(freshDb() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr"),
                                                       QStringLiteral("--max-new-tokens"), QStringLiteral("24")}
                               + remote(serve.url(), 3) + QStringList{pdf});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("3 pages in flight")), qPrintable(r.err));
        const QJsonArray pages = reportOf(r);
        QCOMPARE(pages.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const QJsonObject page = pages[i].toObject();
            QCOMPARE(page.value(QStringLiteral("page")).toInt(), i + 1); // in page order
            // The random model writes no readable OCR, so "failed" (unreadable) is expected, but
            // never for a transport reason.
            QVERIFY2(!page.value(QStringLiteral("error")).toString().contains(QStringLiteral("127.0.0.1")), qPrintable(page.value(QStringLiteral("error")).toString()));
        }
        const QJsonArray runs = show(pdf).value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 4);
        for (const QJsonValue& v : runs) {
            const QJsonObject run = v.toObject();
            QVERIFY(run.value(QStringLiteral("model_id")).toString().startsWith(QStringLiteral("openai:qwen25vl-tiny @ http://127.0.0.1:")));
            QVERIFY(!run.value(QStringLiteral("status")).toString().isEmpty());
            QVERIFY(!run.value(QStringLiteral("raw_output")).toString().isEmpty());
            const QJsonObject engine = run.value(QStringLiteral("params")).toObject().value(QStringLiteral("engine")).toObject();
            QCOMPARE(engine.value(QStringLiteral("url")).toString(), serve.url());
            QCOMPARE(engine.value(QStringLiteral("model")).toString(), kModelName);
            const int w = engine.value(QStringLiteral("sent_width")).toInt(), h = engine.value(QStringLiteral("sent_height")).toInt();
            QVERIFY(w > 0 && w % 28 == 0 && h > 0 && h % 28 == 0);
            QCOMPARE(run.value(QStringLiteral("resized_width")).toInt(), w); // folio serve kept the size (no server_width)
            QVERIFY(!engine.contains(QStringLiteral("server_width")));
            QCOMPARE(engine.value(QStringLiteral("max_tokens")).toInt(), 24);
            const QString finish = engine.value(QStringLiteral("finish_reason")).toString();
            QVERIFY2(finish == u"stop" || finish == u"length", qPrintable(finish));
            QVERIFY(!run.value(QStringLiteral("params")).toObject().value(QStringLiteral("token_logprobs")).toArray().isEmpty());
        }
    }

    void apiKeyRequiredAndRefused()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FOLIO_TEST_SERVER_KEY"), QStringLiteral("s3cret-key"));
        ServeProcess serve;
        QVERIFY(serve.start({QStringLiteral("--api-key-env"), QStringLiteral("FOLIO_TEST_SERVER_KEY")}, env));
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("key.pdf")), 1);
        const QStringList base = QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr"),
                                             QStringLiteral("--max-new-tokens"), QStringLiteral("4")}
            + remote(serve.url(), 1);

        const Run none = runFolioServing(freshDb() + base + QStringList{pdf});
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(reportOf(none)[0].toObject().value(QStringLiteral("error")).toString().contains(QStringLiteral("refused the API key (401)")), none.out.constData());

        env.insert(QStringLiteral("FOLIO_TEST_CLIENT_KEY"), QStringLiteral("wrong-key"));
        const Run wrong = runFolioServing(freshDb() + base + QStringList{QStringLiteral("--api-key-env"), QStringLiteral("FOLIO_TEST_CLIENT_KEY"), pdf}, {}, env);
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(reportOf(wrong)[0].toObject().value(QStringLiteral("error")).toString().contains(QStringLiteral("the API key is not valid")), wrong.out.constData());

        env.insert(QStringLiteral("FOLIO_TEST_CLIENT_KEY"), QStringLiteral("s3cret-key"));
        const Run right = runFolioServing(freshDb() + base + QStringList{QStringLiteral("--api-key-env"), QStringLiteral("FOLIO_TEST_CLIENT_KEY"), pdf}, {}, env);
        QVERIFY2(!reportOf(right)[0].toObject().value(QStringLiteral("error")).toString().contains(QStringLiteral("API key")), right.out.constData());
        QCOMPARE(show(pdf).value(QStringLiteral("runs")).toArray().size(), 1);
    }

    void serverKilledMidBatchThenResumed()
    {
        auto serve = std::make_unique<ServeProcess>();
        QVERIFY(serve->start());
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("killed.pdf")), 6);
        const QStringList args = QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr"),
                                             QStringLiteral("--max-new-tokens"), QStringLiteral("8")};
        bool killed = false;
        // Page 3 starts once pages 1 and 2 are stored: then the server dies.
        const Run r = runFolioServing(freshDb() + args + remote(serve->url(), 2) + QStringList{pdf}, [&](QProcess&, const QByteArray& seen) {
            if (!killed && seen.contains("page 3 (3/6)")) {
                serve->kill();
                killed = true;
            }
        });
        QVERIFY2(killed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        const QJsonArray pages = reportOf(r);
        QCOMPARE(pages.size(), 6);
        QList<int> unanswered, done;
        for (const QJsonValue& v : pages) {
            const QJsonObject page = v.toObject();
            if (page.value(QStringLiteral("error")).toString().contains(QStringLiteral("gave up after")))
                unanswered << page.value(QStringLiteral("page")).toInt();
            if (page.value(QStringLiteral("status")).toString() != u"failed")
                done << page.value(QStringLiteral("page")).toInt();
        }
        QVERIFY2(!unanswered.isEmpty() && !unanswered.contains(1) && !unanswered.contains(2), r.out.constData());
        QVERIFY(unanswered.contains(6));
        // The finished pages are stored with their raw output.
        int withOutput = 0;
        for (const QJsonValue& v : show(pdf).value(QStringLiteral("runs")).toArray())
            withOutput += v.toObject().value(QStringLiteral("raw_output")).toString().isEmpty() ? 0 : 1;
        QVERIFY(withOutput >= 2);

        // The same command against a new server resumes: every page without an answer runs
        // again (and, as after any interrupted run, pages whose answer was unreadable), pages
        // stored as done do not. The random fixture model's answers are mostly unreadable, so
        // `done` may be empty here; tst_jobs' cancelStoresThePartialRunAndResumes proves the
        // skipping with a scripted engine.
        serve = std::make_unique<ServeProcess>();
        QVERIFY(serve->start());
        const Run again = runFolioServing(db() + args + remote(serve->url(), 2) + QStringList{pdf});
        QList<int> rerun;
        for (const QJsonValue& v : reportOf(again))
            rerun << v.toObject().value(QStringLiteral("page")).toInt();
        for (int p : unanswered)
            QVERIFY(rerun.contains(p));
        for (int p : done)
            QVERIFY(!rerun.contains(p));
        for (const QJsonValue& v : reportOf(again))
            QVERIFY(!v.toObject().value(QStringLiteral("error")).toString().contains(QStringLiteral("gave up after")));
    }

    void retriesThen503And429AndDropThenAnswer()
    {
        FaultServer server({Fault::Unavailable503, Fault::Drop, Fault::TooMany429, Fault::Answer});
        QVERIFY(server.isListening());
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("faults.pdf")), 1);
        const Run r = runFolioServing(freshDb() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr")}
                               + remote(server.url(), 1) + QStringList{pdf});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + QString::fromUtf8(r.out)));
        QCOMPARE(server.bodies.size(), 4);
        QCOMPARE(reportOf(r)[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));

        // The page went as a PNG data URL at exactly the size stored with the run.
        const QJsonObject sent = QJsonDocument::fromJson(server.bodies.last()).object();
        const QString url = sent[QStringLiteral("messages")].toArray().last().toObject()[QStringLiteral("content")].toArray()[0].toObject()
                                [QStringLiteral("image_url")].toObject()[QStringLiteral("url")].toString();
        QVERIFY(url.startsWith(QStringLiteral("data:image/png;base64,")));
        const QImage image = QImage::fromData(QByteArray::fromBase64(url.mid(22).toLatin1()), "PNG");
        QVERIFY(!image.isNull() && image.width() % 28 == 0 && image.height() % 28 == 0);
        QVERIFY(sent[QStringLiteral("stream")].toBool());
        QVERIFY(sent[QStringLiteral("logprobs")].toBool());

        const QJsonObject doc = show(pdf);
        const QJsonObject run = doc.value(QStringLiteral("runs")).toArray()[0].toObject();
        const QJsonObject engine = run.value(QStringLiteral("params")).toObject().value(QStringLiteral("engine")).toObject();
        // Four requests reached the server (above) in three attempts of ours: Qt's HTTP client
        // itself resends a request once when the connection drops before any response byte.
        QCOMPARE(engine.value(QStringLiteral("attempts")).toInt(), 3);
        QCOMPARE(engine.value(QStringLiteral("sent_width")).toInt(), image.width());
        QCOMPARE(engine.value(QStringLiteral("sent_height")).toInt(), image.height());
        QCOMPARE(run.value(QStringLiteral("params")).toObject().value(QStringLiteral("token_logprobs")).toArray().first().toDouble(), -0.25);
        // The box maps through the frame that was sent: pixel 28 of the sent width, exactly.
        const QJsonArray lines = doc.value(QStringLiteral("lines")).toArray();
        QCOMPARE(lines.size(), 1);
        const QJsonObject line = lines[0].toObject();
        QCOMPARE(line.value(QStringLiteral("text")).toString(), QStringLiteral("Hello remote"));
        const QJsonObject box = line.value(QStringLiteral("box")).toObject();
        QCOMPARE(box.value(QStringLiteral("x0")).toDouble(), 28.0 / image.width());
        QCOMPARE(box.value(QStringLiteral("x1")).toDouble(), 140.0 / image.width());
        QCOMPARE(box.value(QStringLiteral("y1")).toDouble(), 56.0 / image.height());
    }

    void finishReasonLengthMarksTruncated()
    {
        FaultServer server({Fault::AnswerLength});
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("length.pdf")), 1);
        const Run r = runFolioServing(freshDb() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr")}
                               + remote(server.url(), 1) + QStringList{pdf});
        QCOMPARE(reportOf(r)[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("truncated"));
    }

    void givingUpNamesTheServer()
    {
        FaultServer server({Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503});
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("gaveup.pdf")), 1);
        const Run r = runFolioServing(freshDb() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr")}
                               + remote(server.url(), 1) + QStringList{pdf});
        QCOMPARE(r.exitCode, 1);
        const QString error = reportOf(r)[0].toObject().value(QStringLiteral("error")).toString();
        QVERIFY2(error.contains(server.url()) && error.contains(QStringLiteral("HTTP 503")) && error.contains(QStringLiteral("gave up after 5 attempts")), qPrintable(error));
        QCOMPARE(server.bodies.size(), 5);
    }

    void benchExtractTimesPagesThroughTheServer()
    {
        // `folio bench extract` against `folio serve` on the fixture model: every page request
        // answered and counted, the percentiles ordered, the tokens the server reported summed.
        ServeProcess serve;
        QVERIFY(serve.start());
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("bench.pdf")), 2);
        const Run r = runFolioServing({QStringLiteral("bench"), QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--engine"), QStringLiteral("openai"),
                                       QStringLiteral("--url"), serve.url(), QStringLiteral("--remote-model"), kModelName, QStringLiteral("--pages"), QStringLiteral("3"),
                                       QStringLiteral("--concurrency"), QStringLiteral("2"), QStringLiteral("--max-new-tokens"), QStringLiteral("4"),
                                       QStringLiteral("--dpi"), QStringLiteral("72"), QStringLiteral("--warmup"), QStringLiteral("0"), pdf});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report.value(QStringLiteral("pages")).toInt(), 3);
        QCOMPARE(report.value(QStringLiteral("failed")).toInt(), 0);
        QCOMPARE(report.value(QStringLiteral("concurrency")).toInt(), 2);
        const int tokens = report.value(QStringLiteral("tokens")).toInt(); // at most 4 per page, as usage says
        QVERIFY2(tokens > 0 && tokens <= 12, qPrintable(QString::number(tokens)));
        QVERIFY(report.value(QStringLiteral("pages_per_second")).toDouble() > 0);
        const QJsonObject latency = report.value(QStringLiteral("latency_ms")).toObject();
        const double p50 = latency.value(QStringLiteral("p50")).toDouble(), p90 = latency.value(QStringLiteral("p90")).toDouble(),
                     p99 = latency.value(QStringLiteral("p99")).toDouble();
        QVERIFY(p50 > 0 && p50 <= p90 && p90 <= p99);
        QVERIFY(p99 <= report.value(QStringLiteral("seconds")).toDouble() * 1000);
    }

    void benchExtractReportsAFailingServer()
    {
        FaultServer server({Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503, Fault::Unavailable503});
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("bench-fail.pdf")), 1);
        const Run r = runFolioServing({QStringLiteral("bench"), QStringLiteral("extract"), QStringLiteral("--engine"), QStringLiteral("openai"), QStringLiteral("--url"), server.url(),
                                       QStringLiteral("--remote-model"), kModelName, QStringLiteral("--pages"), QStringLiteral("1"), QStringLiteral("--warmup"),
                                       QStringLiteral("0"), QStringLiteral("--dpi"), QStringLiteral("72"), pdf});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("1 of 1 pages failed")) && r.err.contains(QStringLiteral("HTTP 503")), qPrintable(r.err));
        QVERIFY(QString::fromUtf8(r.out).contains(QStringLiteral("1 failed")));
    }

    void cancelClosesTheStream()
    {
        FaultServer server({Fault::Stall});
        const QString pdf = makePdf(m_dir.filePath(QStringLiteral("cancel.pdf")), 1);
        bool signalled = false;
        const Run r = runFolioServing(freshDb() + QStringList{QStringLiteral("extract"), QStringLiteral("--json"), QStringLiteral("--task"), QStringLiteral("ocr")}
                                   + remote(server.url(), 1) + QStringList{pdf},
                               [&](QProcess& p, const QByteArray&) {
                                   if (!signalled && !server.bodies.isEmpty()) {
                                       QTest::qWait(200); // let the first chunk arrive
                                       ::kill(pid_t(p.processId()), SIGINT);
                                       signalled = true;
                                   }
                               });
        QVERIFY(signalled);
        QCOMPARE(server.stalledClosed, 1); // the client closed the stream
        QCOMPARE(reportOf(r)[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        const QJsonObject run = show(pdf).value(QStringLiteral("runs")).toArray()[0].toObject();
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(run.value(QStringLiteral("raw_output")).toString(), QStringLiteral("[{\"bbox_2d\"")); // the partial answer is kept
    }
};

FOLIO_TEST_CLASS(TstRemote)
#include "tst_remote.moc"
