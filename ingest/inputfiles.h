#pragma once

#include <QString>
#include <QStringList>

namespace folio::ingest {

struct InputFiles {
    QStringList files;   // documents to ingest, folders expanded (recursively, sorted)
    QStringList errors;  // one message per argument that is neither a file nor a folder
    QStringList skipped; // symbolic links inside a folder that lead out of it (not followed)
};

// Expands command-line or dropped paths: files are taken as given (their content decides
// later whether they are readable), folders contribute the PDF/PNG/JPEG/TIFF files below them.
// Inside a folder, a symbolic link (to a file or a folder) whose target lies outside that
// folder is reported in `skipped` and not followed, unless `followLinks`; links that stay
// inside are followed, each real folder is walked once (no loops).
InputFiles collectInputFiles(const QStringList& paths, bool followLinks = false);

} // namespace folio::ingest
