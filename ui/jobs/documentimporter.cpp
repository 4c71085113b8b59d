#include "ui/jobs/documentimporter.h"

#include "ingest/contenthash.h"
#include "ingest/documentreader.h"
#include "ingest/pagegeometry.h"
#include "storage/library.h"
#include "ui/jobs/einvoiceimport.h"
#include "ui/jobs/searchvalues.h"

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
            // A scan OSD found lying sideways is displayed turned upright; its boxes stay on the unrotated page.
            p.rotation = ingest::normalizedRotation(page.info.rotation + page.ocrOrientation);
            p.hasTextLayer = page.hasTextLayer();
            p.ocrLanguages = page.ocrLanguages;
            p.error = page.error;
            p.warning = page.warning;
            p.words.reserve(page.words.size());
            for (const ingest::Word& w : page.words)
                p.words.push_back(storage::WordRecord{w.text, w.box, w.line, w.source == ingest::WordSource::Ocr, w.confidence});
            p.values = pageValues(p.words);
            record.pages.push_back(std::move(p));
        }
        return record;
    }

} // namespace

OcrSession::OcrSession(QString languages)
    : m_languages(std::move(languages))
{
}

Result<ingest::OcrEngine*> OcrSession::engine()
{
    if (!m_engine && m_error.empty()) {
        auto opened = ingest::OcrEngine::open(m_languages);
        if (opened)
            m_engine = std::move(opened).value();
        else
            m_error = opened.error();
    }
    if (!m_engine)
        return makeError(m_error);
    return m_engine.get();
}

ImportOutcome importDocument(storage::Library& library, const QString& path, const QByteArray& password,
                             const std::atomic<bool>* cancel)
{
    ImportOptions options;
    options.password = password;
    return importDocument(library, path, options, cancel);
}

ImportOutcome importDocument(storage::Library& library, const QString& path, const ImportOptions& options,
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

    ingest::ReadOcr ocr;
    if (options.ocr != ingest::OcrMode::Never && options.ocrSession) {
        const Result<ingest::OcrEngine*> engine = options.ocrSession->engine();
        if (engine) {
            ocr.mode = options.ocr;
            ocr.engine = *engine;
            ocr.progress = options.ocrProgress;
        } else {
            // The file is still worth having without OCR; the user is told why it has none.
            outcome.problems << QStringLiteral("%1: not OCR'd: %2").arg(path, QString::fromStdString(engine.error()));
        }
    }
    const Result<ingest::IngestedDocument> read = ingest::readDocument(path, options.password, cancel, ocr);
    if (!read)
        return fail(read.error());
    const Result<storage::StoredDocument> stored = library.storeDocument(toRecord(*read));
    if (!stored)
        return fail(QStringLiteral("%1: could not be stored: %2").arg(path, QString::fromStdString(stored.error())).toStdString());

    // Another process or thread may have stored the same file while we read it.
    outcome.status = stored->alreadyPresent ? ImportOutcome::Status::AlreadyInLibrary : ImportOutcome::Status::Added;
    outcome.documentId = stored->id;
    outcome.pages = int(read->pages.size());
    outcome.textLayer = read->hasTextLayer();
    outcome.kind = ingest::kindName(read->kind);
    if (!stored->alreadyPresent) {
        for (const ingest::IngestedPage& page : read->pages) {
            if (!page.error.isEmpty())
                outcome.pageErrors << page.error;
            if (!page.warning.isEmpty())
                outcome.pageWarnings << QStringLiteral("%1, page %2: %3").arg(path).arg(page.index + 1).arg(page.warning);
            if (page.ocrLanguages.isEmpty())
                continue;
            ++outcome.ocrPages;
            outcome.ocrWords += page.ocrWordCount();
            outcome.ocrLanguages = page.ocrLanguages;
        }
    }

    if (!stored->alreadyPresent && options.readEInvoice && read->kind == ingest::DocumentKind::Pdf) {
        for (const PageOutcome& o : importEmbeddedEInvoice(library, stored->id, read->path, outcome.pages)) {
            if (o.status == u"failed") {
                outcome.problems << o.error;
                continue;
            }
            outcome.eInvoiceFields += o.fields;
            if (o.page == 0 && !o.notes.isEmpty())
                outcome.eInvoiceNote = o.notes.front();
        }
    }
    return outcome;
}

} // namespace folio::jobs
