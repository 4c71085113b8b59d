#include "extract/taskprompt.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace folio::extract {

QStringList taskNames()
{
    return {QStringLiteral("ocr"), QStringLiteral("table"), QStringLiteral("invoice"), QStringLiteral("form"),
            QStringLiteral("custom")};
}

Result<std::vector<CustomField>> parseCustomSchema(const QJsonObject& schema, const QString& sourceName)
{
    const QJsonArray fields = schema.value(QStringLiteral("fields")).toArray();
    if (fields.isEmpty())
        return makeError(QStringLiteral("%1: the schema needs a non-empty \"fields\" array").arg(sourceName).toStdString());
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    static const QStringList types{QStringLiteral("text"), QStringLiteral("date"), QStringLiteral("amount"),
                                   QStringLiteral("percent"), QStringLiteral("number")};
    std::vector<CustomField> out;
    for (int i = 0; i < fields.size(); ++i) {
        const QJsonObject f = fields[i].toObject();
        CustomField field{f.value(QStringLiteral("name")).toString(), f.value(QStringLiteral("description")).toString(),
                          f.value(QStringLiteral("type")).toString(QStringLiteral("text"))};
        if (!validName.match(field.name).hasMatch())
            return makeError(QStringLiteral("%1: field %2 needs a \"name\" of letters, digits and _ (got \"%3\")")
                                 .arg(sourceName).arg(i + 1).arg(field.name).toStdString());
        if (!types.contains(field.type))
            return makeError(QStringLiteral("%1: field \"%2\" has unknown type \"%3\" (use %4)")
                                 .arg(sourceName, field.name, field.type, types.join(QStringLiteral(", ")))
                                 .toStdString());
        out.push_back(field);
    }
    return out;
}

Result<TaskPrompt> taskPrompt(const QString& task, const std::vector<CustomField>& schema)
{
    QFile file(QStringLiteral(":/folio/prompts/prompts.json"));
    if (!file.open(QIODevice::ReadOnly))
        return makeError("the prompt resource is missing from this build (resources/prompts/prompts.json)");
    const QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject p = all.value(task).toObject();
    if (p.isEmpty())
        return makeError(QStringLiteral("unknown task \"%1\" (use one of: %2)").arg(task, taskNames().join(QStringLiteral(", "))).toStdString());

    TaskPrompt prompt{task, p.value(QStringLiteral("version")).toString(), p.value(QStringLiteral("system")).toString(),
                      p.value(QStringLiteral("user")).toString(), p.value(QStringLiteral("max_new_tokens")).toInt(2048)};
    if (task == u"custom") {
        if (schema.empty())
            return makeError("the custom task needs a schema (--schema FILE)");
        QStringList lines;
        for (const CustomField& f : schema)
            lines << QStringLiteral("- \"%1\" (%2)%3").arg(f.name, f.type, f.description.isEmpty() ? QString() : QStringLiteral(": ") + f.description);
        prompt.userPrompt.replace(QStringLiteral("%FIELDS%"), lines.join(QLatin1Char('\n')));
    }
    return prompt;
}

} // namespace folio::extract
