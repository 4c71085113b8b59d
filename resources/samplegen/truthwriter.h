#pragma once
// TruthWriter: writes a TruthDocument as <sample>.truth.json, with boxes normalised to [0,1]
// of their page and rounded to 5 decimals (so the files are byte-identical between runs).
// Free function; thread-safe for distinct paths.

#include "truthdocument.h"

#include "inference/result.h"

#include <QByteArray>
#include <QString>

namespace folio::samplegen {

// The JSON text (UTF-8, indented) of `truth`.
QByteArray truthJson(const TruthDocument& truth);

// Writes truthJson(truth) to `path`; the error names the path and the reason.
Result<void> writeTruth(const TruthDocument& truth, const QString& path);

} // namespace folio::samplegen
