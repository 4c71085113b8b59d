#pragma once
// Library: Folio's document library on disk — documents, their pages and text-layer words, and
// the full-text search over them. The CLI (`folio ingest/list/info/search`) and the UI talk to
// storage through this class only.
//
// Threads: a Library owns its Database connection and is used by one thread at a time; open
// one Library per thread (WAL lets them read while another writes). Every call that can fail
// returns a folio::Result whose message names the document or file and what went wrong.

#include "inference/result.h"
#include "storage/records.h"
#include "storage/resultrecords.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace folio::storage {

class Database;
class ResultStore;
class SearchQuery;
class ReviewStore;

class Library {
public:
    // Opens (creating and migrating as needed) the library at dbPath.
    static Result<std::unique_ptr<Library>> open(const QString& dbPath);
    // $XDG_DATA_HOME/folio/library.sqlite (QStandardPaths::GenericDataLocation).
    static QString defaultPath();

    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
    ~Library();

    const QString& path() const;

    // The document with this content hash (hex, any case), if the library has it.
    Result<std::optional<DocumentSummary>> findBySha256(const QByteArray& hex);

    // Stores a document with its pages, words and search entries (one per text line, its box
    // the union of its words). Large documents are written in several transactions of a few
    // pages each, so other writers are not starved, but readers see the document only once it
    // is complete; any failure removes what was written. When the hash is already stored —
    // also when another process or thread stores it right now, which is waited for — the
    // existing id comes back with alreadyPresent set. `afterChunk` (optional) is called after
    // each committed chunk with the number of pages stored so far, holding no lock.
    Result<StoredDocument> storeDocument(
        const NewDocument& document, const std::function<void(int pagesStored)>& afterChunk = {});
    // storeDocument, but a document already in the library is an error saying so.
    Result<qint64> addDocument(const NewDocument& document);

    // All documents, oldest first.
    Result<std::vector<DocumentSummary>> listDocuments();
    // One document with its pages; an error if there is no such document.
    Result<DocumentDetail> document(qint64 id);
    // Finds a document from what a user typed: an id ("12"), a SHA-256 prefix of 6+ hex
    // characters, or the file's path. nullopt when nothing matches; an error when a prefix or
    // path matches several documents.
    Result<std::optional<qint64>> resolveDocument(const QString& idOrShaPrefixOrPath);
    // Removes a document and everything stored for it, search entries included.
    Result<void> removeDocument(qint64 id);

    // Searches all entries for the query (quoted phrases and words, all required,
    // case-insensitive; see storage/searchquery.h): first the entries whose amount or date is one
    // of query.values(), then the text hits, those with the terms side by side first, then the
    // best matches (bm25), then by document and page. Each hit says where and how it matched
    // (SearchHit::kind, match). At most `limit` hits (limit > 0). An empty query gives none.
    Result<std::vector<SearchHit>> search(const SearchQuery& query, int limit = 50);
    // search(SearchQuery(userText)): the text only, no values (jobs::searchQuery adds them).
    Result<std::vector<SearchHit>> search(const QString& userText, int limit = 50);

    // The words of one page (0-based index: text layer and OCR) with the page size; an error naming
    // the document and page when there is no such page.
    Result<PageWords> words(qint64 documentId, int pageIndex);
    // Replaces the OCR words of one page (0-based) with `words` (stored with source 'ocr',
    // after the PDF text layer's words and lines, which stay), their search entries and the
    // amounts and dates among them (`values`, line indexes as in `words`) included,
    // and records the languages; `rotation` (0/90/180/270), when given, becomes the page's
    // display rotation (a sideways scan turned upright by OSD). Results, edits and runs are
    // not touched. One transaction.
    Result<void> replaceOcrWords(qint64 documentId, int pageIndex, const std::vector<WordRecord>& words,
        const std::vector<ValueRecord>& values, const QString& languages, std::optional<int> rotation = std::nullopt);
    // Sets the review status of a document: "ingested", "extracting", "needs_review" or
    // "reviewed".
    Result<void> setDocumentStatus(qint64 documentId, const QString& status);
    // Stores how the reviewer turned a page (0-based) in the viewer: 0, 90, 180 or 270 degrees
    // clockwise on top of its own rotation. Words, results and boxes are not touched.
    Result<void> setPageViewRotation(qint64 documentId, int pageIndex, int degrees);

    // Extraction runs and their results (storage/resultstore.h), and the reviewer's edits of
    // them (storage/reviewstore.h). Both live as long as the Library and share its thread.
    ResultStore& results();
    ReviewStore& review();

private:
    explicit Library(std::unique_ptr<Database> db);

    // The first transaction of storeDocument: claims the hash with an incomplete row, or
    // finds it stored (or being stored: *busyElsewhere).
    Result<StoredDocument> claimDocument(const NewDocument& document, bool* busyElsewhere);
    Result<void> insertPages(qint64 documentId, const std::vector<PageRecord>& pages, std::size_t first, std::size_t end);
    // Deletes incomplete documents whose importing process is gone (a crash, kill -9).
    Result<void> removeAbandonedImports();

    std::unique_ptr<Database> m_db;
    std::unique_ptr<ResultStore> m_results;
    std::unique_ptr<ReviewStore> m_review;
};

} // namespace folio::storage
