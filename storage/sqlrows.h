#pragma once
// Helpers shared by the storage classes that read and write rows: collecting query results,
// error context, and the column encodings of result rows (optional boxes, flags, timestamps).
// Internal to storage/; used on the thread that owns the Database.

#include "extract/types/box.h"
#include "extract/types/flags.h"
#include "inference/result.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <string>
#include <vector>

namespace folio::storage {

// Runs a prepared query and collects read(row) for every row.
template <typename T, typename Read> Result<std::vector<T>> collect(Statement& statement, Read read)
{
    std::vector<T> out;
    for (;;) {
        auto stepped = statement.step();
        if (!stepped)
            return makeError(stepped.error());
        if (*stepped == Statement::Step::Done)
            return out;
        out.push_back(read(statement));
    }
}

// "context: error".
Error withContext(const std::string& context, const std::string& error);
// 'text', for messages.
std::string quoted(const QString& text);

// `text`, or "" when it is null (a null QString binds NULL, which NOT NULL columns refuse).
QString notNull(const QString& text);

// A box is stored as four nullable REAL columns; an invalid Box (extract/types/box.h) means
// "no box" and is stored as four NULLs.
void bindOptionalBox(Statement& statement, int firstIndex, const extract::Box& box);
// The box in columns firstColumn..+3 on `page`; a default (invalid) Box when they are NULL.
extract::Box readOptionalBox(const Statement& row, int firstColumn, int page);

// {"page", "x0", "y0", "x1", "y1"}, or a null value for an invalid box; and back.
QJsonValue boxToJson(const extract::Box& box);
extract::Box boxFromJson(const QJsonValue& json);

// Flags are stored as their stable names, comma-separated, in bit order.
QString flagsToText(extract::Flags flags);
// An error naming the unknown flag when the text holds a name this build does not know.
Result<extract::Flags> flagsFromText(const QString& text);

// Timestamps are stored as ISO 8601 UTC text with milliseconds; a null QDateTime as NULL.
QString timeToText(const QDateTime& time);
QDateTime timeFromText(const QString& text);

} // namespace folio::storage
