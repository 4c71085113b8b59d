#include "ingest/documentreader.h"

#include "ingest/contenthash.h"
#include "ingest/documentopener.h"
#include "ingest/pageworker.h"

#include <QFileInfo>

#include <algorithm>

namespace folio::ingest {

bool IngestedPage::hasTextLayer() const
{
    return std::any_of(words.begin(), words.end(), [](const Word& w) { return w.source == WordSource::TextLayer; });
}

int IngestedPage::ocrWordCount() const
{
    return int(std::count_if(words.begin(), words.end(), [](const Word& w) { return w.source == WordSource::Ocr; }));
}

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
                                      const ReadOcr& ocr, const PageBudget& budget)
{
    if (ocr.mode != OcrMode::Never && !ocr.engine)
        return makeError("internal error: OCR was asked for without an OCR engine");
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
    for (IngestedPage& page : out.pages) {
        const int i = page.index;
        if (cancel && cancel->load())
            return makeError(QStringLiteral("%1: cancelled").arg(path).toStdString());
        if (!page.geometryKnown)
            continue;
        if (wantsOcr(ocr.mode, page.hasTextLayer())) {
            const auto report = [&](int percent) {
                if (ocr.progress)
                    ocr.progress(i, doc.pageCount(), percent);
            };
            Result<PageOcr> recognised = ocrPage(doc, i, *ocr.engine, report, cancel);
            if (!recognised) {
                if (cancel && cancel->load())
                    return makeError(recognised.error());
                // One page that OCR cannot read does not cost the document its other pages.
                page.warning = QString::fromStdString(recognised.error());
                continue;
            }
            // OCR lines are numbered after the text layer's, so the two never share a line.
            int firstLine = 0;
            for (const Word& w : page.words)
                firstLine = std::max(firstLine, w.line + 1);
            for (Word& w : recognised->words) {
                w.line += firstLine;
                page.words.push_back(std::move(w));
            }
            page.ocrLanguages = ocr.engine->languages();
            page.ocrOrientation = recognised->orientation;
        }
    }
    return out;
}

} // namespace folio::ingest
