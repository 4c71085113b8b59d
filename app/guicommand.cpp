#include "app/guicommand.h"

#include "storage/library.h"
#include "ui/jobs/searchvalues.h"
#include "ui/mainwindow.h"
#include "ui/jobspanel.h"
#include "ui/librarypanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QThread>

#include <cstdio>
#include <cstring>

namespace folio::app {

namespace {

    constexpr int kScreenshotTimeoutMs = 30000;
    constexpr int kIdleChecks = 3; // consecutive idle checks, 50 ms apart, before the picture is taken

    bool isSharedOption(const char* arg) { return std::strcmp(arg, "--json") == 0 || std::strncmp(arg, "--db=", 5) == 0; }

    int fail(const QString& message, int code)
    {
        std::fprintf(stderr, "folio gui: %s\n", qPrintable(message));
        return code;
    }

    // Lets renders, thumbnails and imports finish, so the picture shows the settled window.
    void waitUntilIdle(QApplication& app, const ui::MainWindow& window)
    {
        QElapsedTimer clock;
        clock.start();
        int idle = 0;
        while (idle < kIdleChecks && clock.elapsed() < kScreenshotTimeoutMs) {
            app.processEvents(QEventLoop::AllEvents, 50);
            QThread::msleep(50);
            idle = window.isBusy() ? 0 : idle + 1;
        }
    }

} // namespace

bool wantsGui(int argc, char** argv)
{
    int i = 1;
    while (i < argc && (isSharedOption(argv[i]) || std::strcmp(argv[i], "--db") == 0))
        i += std::strcmp(argv[i], "--db") == 0 ? 2 : 1;
    return i >= argc || std::strcmp(argv[i], "gui") == 0;
}

int runGuiCommand(int argc, char** argv)
{
    bool screenshot = false;
    for (int i = 1; i < argc; ++i)
        screenshot = screenshot || std::strcmp(argv[i], "--screenshot") == 0;
    // A screenshot needs no screen: without a display, draw offscreen.
    if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("folio"));
    QApplication::setOrganizationName(QStringLiteral("folio"));
    QApplication::setApplicationVersion(QStringLiteral(FOLIO_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Folio review window."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Documents or folders to add to the library."),
                                 QStringLiteral("[gui] [FILE...]"));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("Library database file."), QStringLiteral("PATH"),
                                storage::Library::defaultPath());
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Accepted for symmetry with the CLI; unused."));
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Render the window to a PNG and exit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption open(QStringLiteral("open"), QStringLiteral("Document to show (id, SHA-256 prefix or path)."),
                                  QStringLiteral("DOC"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Page to show, from 1."), QStringLiteral("N"),
                                  QStringLiteral("1"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot."),
                                  QStringLiteral("WxH"), QStringLiteral("1400x900"));
    const QCommandLineOption search(QStringLiteral("search"),
                                    QStringLiteral("Search the library and open the best hit, highlighted."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption checks(QStringLiteral("checks"), QStringLiteral("Show the Checks panel in front of the results."));
    parser.addOptions({db, json, shot, open, page, size, search});
    parser.addOption(checks);
    if (!parser.parse(QApplication::arguments()))
        return fail(parser.errorText(), 2);
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    QStringList files = parser.positionalArguments();
    if (!files.isEmpty() && files.first() == u"gui")
        files.removeFirst();
    bool pageOk = false;
    const int pageNumber = parser.value(page).toInt(&pageOk);
    if (!pageOk || pageNumber < 1)
        return fail(QStringLiteral("--page takes a page number from 1, not '%1'").arg(parser.value(page)), 2);
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    const QSize windowSize = wh.size() == 2 ? QSize(wh[0].toInt(), wh[1].toInt()) : QSize();
    if (windowSize.width() < 200 || windowSize.height() < 200)
        return fail(QStringLiteral("--size takes WIDTHxHEIGHT of at least 200x200, not '%1'").arg(parser.value(size)), 2);

    ui::MainWindow window(parser.value(db));
    if (!window.library())
        return fail(window.jobsPanel()->errors().join(QLatin1Char('\n')), 1);
    window.resize(windowSize);
    window.importPaths(files);
    if (parser.isSet(open)) {
        const auto id = window.library()->resolveDocument(parser.value(open));
        if (!id)
            return fail(QString::fromStdString(id.error()), 1);
        if (!id->has_value())
            return fail(QStringLiteral("no document '%1' in %2").arg(parser.value(open), parser.value(db)), 1);
        if (!window.openDocument(**id, pageNumber - 1))
            return fail(window.jobsPanel()->errors().join(QLatin1Char('\n')), 1);
    }
    if (parser.isSet(search)) {
        const auto hits = window.library()->search(jobs::searchQuery(parser.value(search)), 1);
        if (!hits)
            return fail(QString::fromStdString(hits.error()), 1);
        if (hits->empty())
            return fail(QStringLiteral("nothing in %1 matches '%2'").arg(parser.value(db), parser.value(search)), 1);
        window.libraryPanel()->searchBox()->setText(parser.value(search));
        window.libraryPanel()->runSearch();
        window.openSearchHit(hits->front());
    }
    if (parser.isSet(checks))
        window.showValidationPanel();
    window.show();
    if (!parser.isSet(shot))
        return app.exec();

    waitUntilIdle(app, window);
    const QString out = parser.value(shot);
    if (!window.grab().save(out, "PNG"))
        return fail(QStringLiteral("could not write the screenshot to %1").arg(out), 1);
    std::printf("%s\n", qPrintable(out));
    return 0;
}

} // namespace folio::app
