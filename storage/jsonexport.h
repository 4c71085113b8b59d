#pragma once
// JSON export of one document with full provenance: the document (id, path, sha256, pages
// with sizes), its fields, tables with cells, and lines — each with its page (1-based), box
// normalised to [0,1] of the unrotated page ("box") and the same box in PDF points from the
// page's top-left corner, y downwards ("box_pt"; null when there is no box), confidence, flags
// (stable names), source, review status, and the run, model and prompt version it came
// from — and the runs themselves (raw model output only with includeRaw).
//
// Pure functions and a file write; thread-safe. File errors name the path.

#include "inference/result.h"
#include "storage/exportdocument.h"

#include <QJsonObject>
#include <QString>

namespace folio::storage {

struct JsonOptions {
    bool includeRaw = false; // add each run's raw model output
};

// Identifies the layout, so readers can check what they are given.
inline constexpr const char* kJsonExportFormat = "folio-document";
inline constexpr int kJsonExportVersion = 1;

QJsonObject documentJson(const ExportDocument& document, const JsonOptions& options);

// Writes documentJson, indented, as UTF-8.
Result<void> exportDocumentJson(const ExportDocument& document, const QString& path, const JsonOptions& options);

} // namespace folio::storage
