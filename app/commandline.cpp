#include "app/commandline.h"

#include "storage/library.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace folio::app {

CommandLine::CommandLine(QString command, QString summary, QString positionalSyntax)
    : m_command(std::move(command))
    , m_summary(std::move(summary))
    , m_out(stdout)
    , m_err(stderr)
{
    m_parser.setApplicationDescription(m_summary);
    // "-minus" is an unknown option named "minus", not five single-letter options.
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
    m_parser.addOption({QStringLiteral("db"),
                        QStringLiteral("Library database file (default: %1).").arg(storage::Library::defaultPath()),
                        QStringLiteral("path")});
    m_parser.addOption({QStringLiteral("json"), QStringLiteral("Machine-readable JSON output.")});
    if (!positionalSyntax.isEmpty())
        m_parser.addPositionalArgument(positionalSyntax.section(QLatin1Char(' '), 0, 0), m_summary, positionalSyntax);
}

bool CommandLine::parse(const QStringList& args)
{
    QStringList argv{QStringLiteral("folio %1").arg(m_command)};
    argv << args;
    if (!m_parser.parse(argv)) {
        usageError(m_parser.errorText() + QStringLiteral(" (put -- before arguments that start with '-')"));
        return false;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        m_out << m_parser.helpText();
        m_out.flush();
        m_exitCode = ExitOk;
        return false;
    }
    return true;
}

std::unique_ptr<storage::Library> CommandLine::openLibrary()
{
    const QString path = m_parser.isSet(QStringLiteral("db")) ? m_parser.value(QStringLiteral("db"))
                                                              : storage::Library::defaultPath();
    Result<std::unique_ptr<storage::Library>> library = storage::Library::open(path);
    if (!library) {
        m_err << "error: " << QString::fromStdString(library.error()) << Qt::endl;
        return nullptr;
    }
    return std::move(library).value();
}

std::optional<qint64> CommandLine::resolveDocument(storage::Library& library, const QString& which)
{
    const auto id = library.resolveDocument(which);
    if (!id) {
        m_err << "error: " << QString::fromStdString(id.error()) << Qt::endl;
        return std::nullopt;
    }
    if (!id->has_value()) {
        m_err << "error: no document '" << which << "' in the library" << Qt::endl;
        return std::nullopt;
    }
    return **id;
}

std::optional<CommandLine::NamedDocument> CommandLine::openNamedDocument()
{
    if (positional().size() != 1) {
        usageError(QStringLiteral("give exactly one document"));
        return std::nullopt;
    }
    m_exitCode = ExitSomeFailed;
    NamedDocument named{openLibrary(), 0};
    if (!named.library)
        return std::nullopt;
    const std::optional<qint64> id = resolveDocument(*named.library, positional().first());
    if (!id)
        return std::nullopt;
    m_exitCode = ExitOk;
    named.id = *id;
    return named;
}

int CommandLine::usageError(const QString& message)
{
    m_err << "folio " << m_command << ": " << message << "\n"
          << "Try 'folio " << m_command << " --help'." << Qt::endl;
    m_exitCode = ExitUsage;
    return ExitUsage;
}

void CommandLine::printJson(const QJsonValue& value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    m_out << doc.toJson(QJsonDocument::Indented);
    m_out.flush();
}

} // namespace folio::app
