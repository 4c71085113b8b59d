#pragma once

#include <QString>
#include <QStringList>

namespace folio::ingest {

struct InputFiles {
    QStringList files;   // documents to ingest, folders expanded (recursively, sorted)
    QStringList errors;  // one message per argument that is neither a file nor a folder
};

// Expands command-line or dropped paths: files are taken as given (their content decides
// later whether they are readable), folders contribute the PDF/PNG/JPEG/TIFF files below them.
InputFiles collectInputFiles(const QStringList& paths);

} // namespace folio::ingest
