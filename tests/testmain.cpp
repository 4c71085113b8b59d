// Runs every registered test class of this layer's executable, or only those named first on
// the command line (e.g. `tst_inference TstTokenizer -v2`); other arguments go to QTest.
#include "testregistry.h"

#include <QApplication>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

namespace folio::test {

std::vector<std::pair<QString, Factory>>& registry()
{
    static std::vector<std::pair<QString, Factory>> r;
    return r;
}

QString sharedDir() { return QStringLiteral(FOLIO_SHARED_DIR); }
QString sourceDir() { return QStringLiteral(FOLIO_SOURCE_DIR); }
QString binaryDir() { return QStringLiteral(FOLIO_BINARY_DIR); }

} // namespace folio::test

int main(int argc, char** argv)
{
    // Caches written by the code under test (packed model weights, inference/packcache.h) go to
    // a directory of this run, inherited by the processes it starts, never the user's ~/.cache.
    const QTemporaryDir cache;
    qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
    QApplication app(argc, argv);
    QStringList args = app.arguments();
    const QString program = args.takeFirst();

    QStringList selected;
    auto& registry = folio::test::registry();
    while (!args.isEmpty()) {
        const QString& a = args.first();
        const bool isClass = std::any_of(registry.begin(), registry.end(), [&](const auto& e) { return e.first == a; });
        if (!isClass)
            break;
        selected << args.takeFirst();
    }

    int failedClasses = 0;
    int ran = 0;
    for (const auto& [name, factory] : registry) {
        if (!selected.isEmpty() && !selected.contains(name))
            continue;
        auto object = factory();
        QStringList qtestArgs{program};
        qtestArgs << args;
        if (QTest::qExec(object.get(), qtestArgs) != 0)
            ++failedClasses;
        ++ran;
    }
    if (ran == 0) {
        // An executable that tests nothing (a registry lost at link time, a misspelt class) fails.
        std::fprintf(stderr, "no test class ran (%d registered)\n", int(registry.size()));
        return 1;
    }
    std::printf("%d passed, %d failed\n", ran - failedClasses, failedClasses);
    return failedClasses == 0 ? 0 : 1;
}
