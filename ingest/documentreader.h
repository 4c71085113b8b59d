#pragma once

#include "ingest/ingestedpage.h"
#include "ingest/pagebudget.h"
#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <vector>

namespace folio::ingest {

// Everything the library stores about a file when it is added (no rendering, no model).
struct IngestedDocument {
    QString path;       // absolute
    QByteArray sha256;  // 64 lowercase hex characters
    DocumentKind kind = DocumentKind::Pdf;
    qint64 fileSize = 0;
    QString title;
    std::vector<IngestedPage> pages; // every page, bad ones included (IngestedPage::error)
    bool hasTextLayer() const;
    int failedPages() const;
};

// Opens `path`, hashes it, and reads every page's geometry and text layer. A PDF's pages are
// read in a child process under `budget` (ingest/pageworker.h). A bad page is kept with its
// error; the file fails as a whole only when it cannot be opened, when not one of its pages
// can be read, or when `cancel` is set (checked between pages).
Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password = {},
                                      const std::atomic<bool>* cancel = nullptr, const PageBudget& budget = {});

} // namespace folio::ingest
