#pragma once

#include <QCommandLineParser>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>
#include <optional>

namespace folio::storage {
class Library;
}

namespace folio::app {

// Exit codes shared by every command.
enum ExitCode { ExitOk = 0, ExitSomeFailed = 1, ExitUsage = 2 };

// One subcommand's parsed command line plus the standard streams, with the options every
// library command shares (--db, --json, --help).
class CommandLine {
public:
    CommandLine(QString command, QString summary, QString positionalSyntax);

    QCommandLineParser& parser() { return m_parser; }

    // Parses `args` (the words after the command name). Returns false when the command should
    // stop: after printing --help (exitCode() == 0) or a usage error (exitCode() == 2).
    bool parse(const QStringList& args);
    int exitCode() const { return m_exitCode; }

    bool json() const { return m_parser.isSet(QStringLiteral("json")); }
    QStringList positional() const { return m_parser.positionalArguments(); }

    // The library at --db (or the default location); on failure prints the reason and returns null.
    std::unique_ptr<storage::Library> openLibrary();

    // The document a user named (id, sha256 prefix or path); on failure prints why and returns nullopt.
    std::optional<qint64> resolveDocument(storage::Library& library, const QString& which);
    // For commands about one document: the library and the one document named on the command
    // line. On failure prints why, sets exitCode() (usage error, or ExitSomeFailed) and returns
    // nullopt.
    struct NamedDocument {
        std::unique_ptr<storage::Library> library;
        qint64 id = 0;
    };
    std::optional<NamedDocument> openNamedDocument();
    int usageError(const QString& message);
    void printJson(const QJsonValue& value);

    QTextStream& out() { return m_out; }
    QTextStream& err() { return m_err; }

private:
    QString m_command;
    QString m_summary;
    QCommandLineParser m_parser;
    QTextStream m_out;
    QTextStream m_err;
    int m_exitCode = ExitOk;
};

} // namespace folio::app
