#pragma once

#include "inference/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace folio::extract {

// The extraction tasks: ocr (text lines), table (HTML tables), invoice (canonical fields and
// line items), form (key/value pairs), custom (fields from a user schema).
QStringList taskNames();

// A user schema for the custom task: {"fields": [{"name": "policy_number",
// "description": "the policy number", "type": "text|date|amount|percent|number"}, ...]}.
struct CustomField {
    QString name;
    QString description;
    QString type = QStringLiteral("text");
};
Result<std::vector<CustomField>> parseCustomSchema(const QJsonObject& schema, const QString& sourceName);

struct TaskPrompt {
    QString task;
    QString version;      // stored with every run: "invoice-v1"
    QString systemPrompt; // empty: the model's default
    QString userPrompt;
    int maxNewTokens = 2048; // per-task cap: a page never needs more, a loop would use them all
};

// The prompt for a task, from the versioned resource resources/prompts/prompts.json. For the
// custom task the fields of `schema` are listed in the prompt.
Result<TaskPrompt> taskPrompt(const QString& task, const std::vector<CustomField>& schema = {});

} // namespace folio::extract
