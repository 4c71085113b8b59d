#pragma once
// A whole field row as JSON and back: the copy a 'deleted' edit keeps so the field can be
// restored with its id, run, review state and the model's reading (storage/reviewstore.h,
// storage/resultcarryover.h). Internal to storage/; on the Database's thread.

#include "inference/result.h"

#include <QJsonObject>

#include <optional>

namespace folio::storage {

class Database;

// nullopt when there is no field with this id.
Result<std::optional<QJsonObject>> fieldRow(Database& db, qint64 id);
Result<void> insertFieldRow(Database& db, const QJsonObject& row);

} // namespace folio::storage
