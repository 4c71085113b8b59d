#include "storage/sqlrows.h"

#include <QJsonValue>
#include <QStringList>

namespace folio::storage {

Error withContext(const std::string& context, const std::string& error)
{
    return makeError(context + ": " + error);
}

std::string quoted(const QString& text)
{
    return "'" + text.toStdString() + "'";
}

QString notNull(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

void bindOptionalBox(Statement& statement, int firstIndex, const extract::Box& box)
{
    if (!box.valid()) {
        for (int i = 0; i < 4; ++i)
            statement.bind(firstIndex + i, nullptr);
        return;
    }
    statement.bind(firstIndex, box.x0).bind(firstIndex + 1, box.y0);
    statement.bind(firstIndex + 2, box.x1).bind(firstIndex + 3, box.y1);
}

extract::Box readOptionalBox(const Statement& row, int firstColumn, int page)
{
    if (row.isNull(firstColumn))
        return {};
    return extract::Box { page, row.columnDouble(firstColumn), row.columnDouble(firstColumn + 1),
        row.columnDouble(firstColumn + 2), row.columnDouble(firstColumn + 3) };
}

QJsonValue boxToJson(const extract::Box& box)
{
    if (!box.valid())
        return QJsonValue::Null;
    return QJsonObject { { QStringLiteral("page"), box.page }, { QStringLiteral("x0"), box.x0 },
        { QStringLiteral("y0"), box.y0 }, { QStringLiteral("x1"), box.x1 }, { QStringLiteral("y1"), box.y1 } };
}

extract::Box boxFromJson(const QJsonValue& json)
{
    if (!json.isObject())
        return {};
    const QJsonObject o = json.toObject();
    return extract::Box { o.value(QStringLiteral("page")).toInt(), o.value(QStringLiteral("x0")).toDouble(),
        o.value(QStringLiteral("y0")).toDouble(), o.value(QStringLiteral("x1")).toDouble(),
        o.value(QStringLiteral("y1")).toDouble() };
}

QString flagsToText(extract::Flags flags)
{
    return notNull(extract::flagsToStrings(flags).join(QLatin1Char(',')));
}

Result<extract::Flags> flagsFromText(const QString& text)
{
    QStringList unknown;
    const extract::Flags flags = extract::flagsFromStrings(text.split(QLatin1Char(','), Qt::SkipEmptyParts), &unknown);
    if (!unknown.isEmpty())
        return makeError("unknown result flag " + quoted(unknown.front()) + " (written by a newer Folio?)");
    return flags;
}

QString timeToText(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime timeFromText(const QString& text)
{
    if (text.isEmpty())
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

} // namespace folio::storage
