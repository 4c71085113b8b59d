#include "storage/fieldrow.h"

#include "storage/database.h"
#include "storage/sqlrows.h"

namespace folio::storage {

namespace {

const QString fieldRowColumns = QStringLiteral("id, run_id, document_id, page_index, position, name, value, "
                                               "normalized, x0, y0, x1, y1, confidence, flags, source, review_status, model_value, evidence");

} // namespace

// The whole field row as JSON (the 'deleted' edit's old value); nullopt when there is none.
Result<std::optional<QJsonObject>> fieldRow(Database& db, qint64 id)
{
    auto query = db.prepare(QStringLiteral("SELECT ") + fieldRowColumns + QStringLiteral(" FROM fields WHERE id = ?"));
    if (!query)
        return makeError(query.error());
    query->bind(1, id);
    auto rows = collect<QJsonObject>(*query, [](const Statement& row) {
        return QJsonObject {
            { QStringLiteral("id"), row.columnInt64(0) },
            { QStringLiteral("run_id"), row.isNull(1) ? QJsonValue() : QJsonValue(row.columnInt64(1)) },
            { QStringLiteral("document_id"), row.columnInt64(2) },
            { QStringLiteral("page_index"), row.columnInt(3) },
            { QStringLiteral("position"), row.columnInt(4) },
            { QStringLiteral("name"), row.columnText(5) },
            { QStringLiteral("value"), row.columnText(6) },
            { QStringLiteral("normalized"), row.columnText(7) },
            { QStringLiteral("box"), boxToJson(readOptionalBox(row, 8, row.columnInt(3))) },
            { QStringLiteral("confidence"), row.columnDouble(12) },
            { QStringLiteral("flags"), row.columnText(13) },
            { QStringLiteral("source"), row.columnText(14) },
            { QStringLiteral("review_status"), row.columnText(15) },
            { QStringLiteral("model_value"), row.isNull(16) ? QJsonValue() : QJsonValue(row.columnText(16)) },
            { QStringLiteral("evidence"), row.columnText(17) },
        };
    });
    if (!rows)
        return makeError(rows.error());
    if (rows->empty())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(rows->front());
}

Result<void> insertFieldRow(Database& db, const QJsonObject& row)
{
    auto insert = db.prepare(QStringLiteral("INSERT INTO fields (") + fieldRowColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return makeError(insert.error());
    const auto integer = [&](const char* key) { return static_cast<qint64>(row.value(QLatin1String(key)).toDouble()); };
    const auto text = [&](const char* key) { return notNull(row.value(QLatin1String(key)).toString()); };
    insert->bind(1, integer("id"));
    if (row.value(QStringLiteral("run_id")).isNull())
        insert->bind(2, nullptr);
    else
        insert->bind(2, integer("run_id"));
    insert->bind(3, integer("document_id")).bind(4, integer("page_index")).bind(5, integer("position"));
    insert->bind(6, text("name")).bind(7, text("value")).bind(8, text("normalized"));
    bindOptionalBox(*insert, 9, boxFromJson(row.value(QStringLiteral("box"))));
    insert->bind(13, row.value(QStringLiteral("confidence")).toDouble()).bind(14, text("flags"));
    insert->bind(15, text("source")).bind(16, text("review_status"));
    if (row.value(QStringLiteral("model_value")).isString())
        insert->bind(17, row.value(QStringLiteral("model_value")).toString());
    else
        insert->bind(17, nullptr);
    insert->bind(18, text("evidence"));
    return insert->exec();
}

} // namespace folio::storage
