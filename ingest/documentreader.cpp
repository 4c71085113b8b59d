#include "ingest/documentreader.h"

#include "ingest/contenthash.h"
#include "ingest/documentopener.h"

#include <QFileInfo>

#include <algorithm>

namespace folio::ingest {

bool IngestedDocument::hasTextLayer() const
{
    return std::any_of(pages.begin(), pages.end(), [](const IngestedPage& p) { return p.hasTextLayer(); });
}

Result<IngestedDocument> readDocument(const QString& path, const QByteArray& password, const std::atomic<bool>* cancel)
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
        out.pages.push_back(IngestedPage{i, *info, std::move(words).value()});
    }
    return out;
}

} // namespace folio::ingest
