#include "ui/jobs/documentimporter.h"

#include "ingest/contenthash.h"
#include "ingest/documentreader.h"
#include "storage/library.h"

namespace folio::jobs {

namespace {

    storage::NewDocument toRecord(const ingest::IngestedDocument& doc)
    {
        storage::NewDocument record;
        record.path = doc.path;
        record.sha256Hex = doc.sha256;
        record.kind = ingest::kindName(doc.kind);
        record.fileSize = doc.fileSize;
        record.title = doc.title;
        record.pages.reserve(doc.pages.size());
        for (const ingest::IngestedPage& page : doc.pages) {
            storage::PageRecord p;
            p.index = page.index;
            p.widthPt = page.info.sizePt.width();
            p.heightPt = page.info.sizePt.height();
            p.rotation = page.info.rotation;
            p.hasTextLayer = page.hasTextLayer();
            p.words.reserve(page.words.size());
            for (const ingest::Word& w : page.words)
                p.words.push_back(storage::WordRecord{w.text, w.box, w.line});
            record.pages.push_back(std::move(p));
        }
        return record;
    }

} // namespace

ImportOutcome importDocument(storage::Library& library, const QString& path, const QByteArray& password,
                             const std::atomic<bool>* cancel)
{
    ImportOutcome outcome;
    outcome.path = path;
    const auto fail = [&](const std::string& message) {
        outcome.status = ImportOutcome::Status::Failed;
        outcome.error = QString::fromStdString(message);
        return outcome;
    };

    // Hash first: a file that is already stored needs no parsing at all.
    const Result<QByteArray> sha = ingest::sha256OfFile(path);
    if (!sha)
        return fail(sha.error());
    const auto existing = library.findBySha256(*sha);
    if (!existing)
        return fail(existing.error());
    if (existing->has_value()) {
        const storage::DocumentSummary& doc = **existing;
        outcome.status = ImportOutcome::Status::AlreadyInLibrary;
        outcome.documentId = doc.id;
        outcome.pages = doc.pageCount;
        outcome.textLayer = doc.hasTextLayer;
        outcome.kind = doc.kind;
        return outcome;
    }

    const Result<ingest::IngestedDocument> read = ingest::readDocument(path, password, cancel);
    if (!read)
        return fail(read.error());
    const Result<qint64> id = library.addDocument(toRecord(*read));
    if (!id)
        return fail(QStringLiteral("%1: could not be stored: %2").arg(path, QString::fromStdString(id.error())).toStdString());

    outcome.status = ImportOutcome::Status::Added;
    outcome.documentId = *id;
    outcome.pages = int(read->pages.size());
    outcome.textLayer = read->hasTextLayer();
    outcome.kind = ingest::kindName(read->kind);
    return outcome;
}

} // namespace folio::jobs
