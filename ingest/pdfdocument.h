#pragma once

#include "ingest/pagebudget.h"
#include "ingest/sourcedocument.h"

#include <memory>

namespace Poppler {
class Document;
}

namespace folio::ingest {

// A PDF opened with Poppler. Errors from Poppler's parser are captured (not printed) and
// folded into our messages.
class PdfDocument final : public SourceDocument {
public:
    // Opens `path`; an encrypted PDF needs `password` (user or owner), else the error says
    // it is encrypted. Damaged, truncated and page-less files are errors naming the file.
    static Result<std::unique_ptr<PdfDocument>> open(const QString& path, const QByteArray& password = {});
    ~PdfDocument() override;

    DocumentKind kind() const override { return DocumentKind::Pdf; }
    QString path() const override { return m_path; }
    int pageCount() const override;
    QString title() const override;
    Result<PageInfo> pageInfo(int page) const override;
    Result<QImage> render(int page, double dpi, const std::atomic<bool>* abort = nullptr) const override;
    Result<std::vector<Word>> words(int page) const override;

    // How long one render() may take before it stops with an error (kDefaultRenderTimeout).
    void setRenderTimeout(std::chrono::milliseconds timeout) { m_renderTimeout = timeout; }

    // The underlying Poppler document, for readers of PDF features beyond pages (embedded files).
    Poppler::Document& poppler() const { return *m_doc; }

private:
    PdfDocument(QString path, std::unique_ptr<Poppler::Document> doc);
    QString pageError(int page, const QString& what) const;

    QString m_path;
    std::unique_ptr<Poppler::Document> m_doc;
    std::chrono::milliseconds m_renderTimeout = kDefaultRenderTimeout;
};

} // namespace folio::ingest
