#include "ingest/documentreader.h"

#include "ingest/contenthash.h"
#include "ingest/documentopener.h"
#include "ingest/pageworker.h"

#include <QFileInfo>

#include <algorithm>

namespace folio::ingest {

namespace {

    // Images are decoded in-process: their size is checked before decoding (kMaxRenderPixels)
    // and Qt's and libtiff's decoders do not loop.
    Result<std::vector<IngestedPage>> readImagePages(const SourceDocument& doc, const std::atomic<bool>* cancel)
    {
        std::vector<IngestedPage> pages;
        for (int i = 0; i < doc.pageCount(); ++i) {
            if (cancel && cancel->load())
                return makeError(QStringLiteral("%1: cancelled").arg(doc.path()).toStdString());
            IngestedPage page;
            page.index = i;
            Result<PageInfo> info = doc.pageInfo(i);
            if (info) {
                page.info = *info;
                page.warning = doc.warning(i);
            } else {
                page.info.sizePt = kPlaceholderPageSizePt;
                page.geometryKnown = false;
                page.error = QString::fromStdString(info.error());
            }
            pages.push_back(std::move(page));
        }
        return pages;
    }

} // namespace

bool IngestedDocument::hasTextLayer() const
{
    return std::any_of(pages.begin(), pages.end(), [](const IngestedPage& p) { return p.hasTextLayer(); });
}

int IngestedDocument::failedPages() const
{
    return int(std::count_if(pages.begin(), pages.end(), [](const IngestedPage& p) { return !p.error.isEmpty(); }));
}

Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password, const std::atomic<bool>* cancel,
                                      const PageBudget& budget)
{
    Result<std::unique_ptr<SourceDocument>> opened = openDocument(path, password);
    if (!opened)
        return makeError(opened.error());
    const SourceDocument& doc = **opened;

    Result<QByteArray> sha = sha256OfFile(path);
    if (!sha)
        return makeError(sha.error());

    IngestedDocument out;
    out.path = QFileInfo(path).absoluteFilePath();
    out.sha256 = *sha;
    out.kind = doc.kind();
    out.fileSize = QFileInfo(path).size();
    out.title = doc.title();
    Result<std::vector<IngestedPage>> pages = doc.kind() == DocumentKind::Pdf
        ? readPdfPagesIsolated(path, password, doc.pageCount(), budget, cancel)
        : readImagePages(doc, cancel);
    if (!pages)
        return makeError(pages.error());
    out.pages = std::move(pages).value();
    if (std::none_of(out.pages.begin(), out.pages.end(), [](const IngestedPage& p) { return p.geometryKnown; })) {
        const QString first = out.pages.empty() ? QString() : out.pages.front().error;
        return makeError(QStringLiteral("%1: not one of its %2 pages can be read (%3)")
                             .arg(path)
                             .arg(out.pages.size())
                             .arg(first)
                             .toStdString());
    }
    return out;
}

} // namespace folio::ingest
