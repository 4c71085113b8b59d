#pragma once

#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <vector>

namespace folio::ingest {

struct IngestedPage {
    int index = 0; // 0-based
    PageInfo info;
    std::vector<Word> words;
    bool hasTextLayer() const { return !words.empty(); }
};

// Everything the library stores about a file when it is added (no rendering, no model).
struct IngestedDocument {
    QString path;       // absolute
    QByteArray sha256;  // 64 lowercase hex characters
    DocumentKind kind = DocumentKind::Pdf;
    qint64 fileSize = 0;
    QString title;
    std::vector<IngestedPage> pages;
    bool hasTextLayer() const;
};

// Opens `path`, hashes it, and reads every page's geometry and text layer. Any page that
// cannot be read fails the whole file (a partial document would silently lose pages).
// `cancel` is checked between pages.
Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password = {},
                                      const std::atomic<bool>* cancel = nullptr);

} // namespace folio::ingest
