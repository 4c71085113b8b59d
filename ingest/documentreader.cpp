#include "ingest/documentreader.h"

#include "ingest/contenthash.h"
#include "ingest/documentopener.h"

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

bool IngestedDocument::hasTextLayer() const
{
    return std::any_of(pages.begin(), pages.end(), [](const IngestedPage& p) { return p.hasTextLayer(); });
}

Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password, const std::atomic<bool>* cancel,
                                      const ReadOcr& ocr)
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
    out.pages.reserve(size_t(doc.pageCount()));
    for (int i = 0; i < doc.pageCount(); ++i) {
        if (cancel && cancel->load())
            return makeError(QStringLiteral("%1: cancelled").arg(path).toStdString());
        Result<PageInfo> info = doc.pageInfo(i);
        if (!info)
            return makeError(info.error());
        Result<std::vector<Word>> words = doc.words(i);
        if (!words)
            return makeError(words.error());
        IngestedPage page{i, *info, std::move(words).value(), {}, 0};
        if (wantsOcr(ocr.mode, page.hasTextLayer())) {
            const auto report = [&](int percent) {
                if (ocr.progress)
                    ocr.progress(i, doc.pageCount(), percent);
            };
            Result<PageOcr> recognised = ocrPage(doc, i, *ocr.engine, report, cancel);
            if (!recognised)
                return makeError(recognised.error());
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
        out.pages.push_back(std::move(page));
    }
    return out;
}

} // namespace folio::ingest
