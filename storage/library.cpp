#include "storage/library.h"

#include "storage/database.h"
#include "storage/resultstore.h"
#include "storage/reviewstore.h"
#include "storage/searchquery.h"
#include "storage/sqlrows.h"
#include "storage/textline.h"
#include "storage/transaction.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <signal.h>

namespace folio::storage {

namespace {

const QString summaryColumns = QStringLiteral(
    "id, path, file_name, sha256, kind, page_count, has_text_layer, added_at, status, title, file_size");

DocumentSummary readSummary(const Statement& row)
{
    DocumentSummary s;
    s.id = row.columnInt64(0);
    s.path = row.columnText(1);
    s.fileName = row.columnText(2);
    s.sha256 = row.columnText(3).toLatin1();
    s.kind = row.columnText(4);
    s.pageCount = row.columnInt(5);
    s.hasTextLayer = row.columnInt(6) != 0;
    s.addedAt = QDateTime::fromString(row.columnText(7), Qt::ISODateWithMs);
    s.status = row.columnText(8);
    s.title = row.columnText(9);
    s.fileSize = row.columnInt64(10);
    return s;
}

QRectF readBox(const Statement& row, int firstColumn)
{
    return QRectF(QPointF(row.columnDouble(firstColumn), row.columnDouble(firstColumn + 1)),
        QPointF(row.columnDouble(firstColumn + 2), row.columnDouble(firstColumn + 3)));
}

void bindBox(Statement& statement, int firstIndex, const QRectF& box)
{
    const QRectF b = box.normalized();
    statement.bind(firstIndex, b.left()).bind(firstIndex + 1, b.top());
    statement.bind(firstIndex + 2, b.right()).bind(firstIndex + 3, b.bottom());
}

bool isHex(const QByteArray& s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// Words of one page and their text lines' search entries (kind 'text_layer', ref_id = the line
// index). Word indexes start at firstWordIndex; line indexes are shifted by lineOffset, so OCR
// lines stored beside a PDF text layer do not collide with its lines.
Result<void> insertWords(Statement& insertWord, Statement& insertEntry, qint64 pageId,
    const std::vector<WordRecord>& words, qint64 firstWordIndex, int lineOffset)
{
    std::map<int, std::vector<const WordRecord*>> lines; // ordered by line index
    for (std::size_t i = 0; i < words.size(); ++i) {
        const WordRecord& word = words[i];
        insertWord.reset();
        // A null QString would bind NULL; a word without text is stored as ''.
        insertWord.bind(1, pageId).bind(2, firstWordIndex + static_cast<qint64>(i)).bind(3, word.lineIndex + lineOffset);
        insertWord.bind(4, word.text.isNull() ? QStringLiteral("") : word.text);
        bindBox(insertWord, 5, word.box);
        insertWord.bind(9, word.ocr ? QStringLiteral("ocr") : QStringLiteral("pdf"));
        if (word.ocr)
            insertWord.bind(10, word.confidence);
        else
            insertWord.bind(10, nullptr);
        if (auto r = insertWord.exec(); !r)
            return r;
        lines[word.lineIndex + lineOffset].push_back(&word);
    }
    for (const auto& [lineIndex, lineWords] : lines) {
        std::vector<QString> texts;
        QRectF box;
        for (const WordRecord* word : lineWords) {
            texts.push_back(word->text);
            box = box.united(word->box.normalized());
        }
        const TextLine line(texts);
        if (line.text().trimmed().isEmpty())
            continue;
        insertEntry.reset();
        insertEntry.bind(1, pageId).bind(2, lineIndex).bind(3, line.text());
        bindBox(insertEntry, 4, box);
        if (auto r = insertEntry.exec(); !r)
            return r;
    }
    return {};
}

// The amounts and dates of one page's words (source 'ocr' or 'text_layer'; ref_id = the line
// index shifted by lineOffset, as insertWords shifts it).
Result<void> insertValues(Statement& insert, qint64 pageId, const std::vector<ValueRecord>& values, int lineOffset)
{
    for (const ValueRecord& v : values) {
        insert.reset();
        insert.bind(1, pageId).bind(2, v.kind).bind(3, v.value);
        insert.bind(4, v.ocr ? QStringLiteral("ocr") : QStringLiteral("text_layer")).bind(5, v.lineIndex + lineOffset);
        insert.bind(6, v.text.isNull() ? QStringLiteral("") : v.text);
        bindBox(insert, 7, v.box);
        if (auto r = insert.exec(); !r)
            return r;
    }
    return {};
}

const QString insertValueSql = QStringLiteral("INSERT INTO search_values (page_id, kind, value, source, ref_id, text, "
                                              "x0, y0, x1, y1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
const QString insertWordSql = QStringLiteral("INSERT INTO words (page_id, word_index, line_index, text, x0, y0, x1, "
                                             "y1, source, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
const QString insertEntrySql = QStringLiteral("INSERT INTO search_entries (page_id, kind, ref_id, text, x0, y0, x1, "
                                              "y1) VALUES (?, 'text_layer', ?, ?, ?, ?, ?, ?)");

struct LineWord {
    QString text;
    QRectF box;
};

// The union of the boxes of the words that a match of the query overlaps; a null rectangle
// when none does.
QRectF matchedWordsBox(const SearchQuery& query, const std::vector<LineWord>& words)
{
    std::vector<QString> texts;
    for (const LineWord& word : words)
        texts.push_back(word.text);
    const TextLine line(texts);
    QRectF box;
    for (const auto& match : query.matches(line.text())) {
        for (std::size_t i = 0; i < words.size(); ++i) {
            const auto& span = line.wordSpans()[i];
            if (span.start < match.start + match.length && match.start < span.start + span.length)
                box = box.united(words[i].box);
        }
    }
    return box;
}

// A document is committed in chunks of this many pages (or words, for pages full of text).
constexpr std::size_t kChunkPages = 8;
constexpr std::size_t kChunkWords = 20000;
// How long storeDocument waits for another connection that is storing the same file.
constexpr std::chrono::milliseconds kImportPatience { 10 * 60 * 1000 };

// The incomplete documents this process is storing right now (any thread), so an incomplete
// row with our own pid that is not in here is known to be left over.
std::mutex g_importsMutex;
std::set<qint64> g_imports;

class ImportMark {
public:
    explicit ImportMark(qint64 id)
        : m_id(id)
    {
        const std::lock_guard lock(g_importsMutex);
        g_imports.insert(id);
    }
    ~ImportMark()
    {
        const std::lock_guard lock(g_importsMutex);
        g_imports.erase(m_id);
    }
    ImportMark(const ImportMark&) = delete;
    ImportMark& operator=(const ImportMark&) = delete;

private:
    qint64 m_id;
};

// Whether the process that began storing document `id` is gone. Libraries live on local disks
// (WAL needs that), so the pid names a process on this machine.
bool importIsAbandoned(qint64 id, qint64 pid)
{
    if (pid == QCoreApplication::applicationPid()) {
        const std::lock_guard lock(g_importsMutex);
        return g_imports.count(id) == 0;
    }
    return pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH);
}

} // namespace

Library::Library(std::unique_ptr<Database> db)
    : m_db(std::move(db))
    , m_results(std::make_unique<ResultStore>(*m_db))
    , m_review(std::make_unique<ReviewStore>(*m_db))
{
}

Library::~Library() = default;

Result<std::unique_ptr<Library>> Library::open(const QString& dbPath)
{
    auto db = Database::open(dbPath);
    if (!db)
        return makeError(db.error());
    std::unique_ptr<Library> library(new Library(std::move(*db)));
    if (auto r = library->removeAbandonedImports(); !r)
        return makeError("Cannot open the library database " + quoted(dbPath) + ": removing an import left unfinished failed: " + r.error());
    return library;
}

QString Library::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/folio/library.sqlite");
}

const QString& Library::path() const
{
    return m_db->path();
}

ResultStore& Library::results()
{
    return *m_results;
}

ReviewStore& Library::review()
{
    return *m_review;
}

Result<std::optional<DocumentSummary>> Library::findBySha256(const QByteArray& hex)
{
    auto query = m_db->prepare(
        QStringLiteral("SELECT ") + summaryColumns + QStringLiteral(" FROM documents WHERE sha256 = ? AND complete = 1"));
    const std::string context = "Cannot look up a document by its hash " + hex.toStdString();
    if (!query)
        return withContext(context, query.error());
    query->bind(1, QString::fromLatin1(hex.toLower()));
    auto rows = collect<DocumentSummary>(*query, readSummary);
    if (!rows)
        return withContext(context, rows.error());
    if (rows->empty())
        return std::optional<DocumentSummary>();
    return std::optional<DocumentSummary>(rows->front());
}

Result<qint64> Library::addDocument(const NewDocument& document)
{
    auto stored = storeDocument(document);
    if (!stored)
        return makeError(stored.error());
    if (stored->alreadyPresent)
        return makeError("Cannot add " + quoted(document.path) + " to the library: it is already in the library as document #"
            + std::to_string(stored->id) + " (same SHA-256)");
    return stored->id;
}

Result<StoredDocument> Library::storeDocument(
    const NewDocument& document, const std::function<void(int pagesStored)>& afterChunk)
{
    const std::string context = "Cannot add " + quoted(document.path) + " to the library";
    if (document.path.isEmpty())
        return withContext(context, "no file path was given");
    if (document.kind != QLatin1String("pdf") && document.kind != QLatin1String("image"))
        return withContext(context, "its kind " + quoted(document.kind) + " is neither 'pdf' nor 'image'");
    const QByteArray sha = document.sha256Hex.toLower();
    if (sha.size() != 64 || !isHex(sha))
        return withContext(context, "its SHA-256 " + quoted(QString::fromLatin1(document.sha256Hex)) + " is not 64 hex digits");

    // Claim the hash; while another connection is storing the same file, wait for it to finish
    // (then it is `present`) or to give up (then we store it).
    QElapsedTimer waited;
    waited.start();
    int round = 0;
    StoredDocument claimed;
    for (;;) {
        bool busyElsewhere = false;
        auto claim = claimDocument(document, &busyElsewhere);
        if (!claim)
            return withContext(context, claim.error());
        if (!busyElsewhere) {
            claimed = *claim;
            break;
        }
        if (std::chrono::milliseconds(waited.elapsed()) > kImportPatience)
            return makeError(context + ": another Folio process has been storing the same file for over "
                + std::to_string(kImportPatience.count() / 60000) + " minutes; try again later");
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10 << std::min(round++, 4), 200)));
    }
    if (claimed.alreadyPresent)
        return claimed;

    const ImportMark mark(claimed.id);
    const auto abandon = [&](const std::string& why) -> Result<StoredDocument> {
        // Best effort: if even this fails (a full disk), the row stays incomplete, invisible to
        // readers, and is removed by the next open of the library.
        if (auto remove = m_db->prepare(QStringLiteral("DELETE FROM documents WHERE id = ? AND complete = 0")); remove) {
            remove->bind(1, claimed.id);
            (void)remove->exec();
        }
        return withContext(context, why);
    };
    // One transaction, ended (committed or rolled back) before the caller looks at the result,
    // so `abandon` never runs inside a transaction that is about to roll it back.
    const auto inTransaction = [&](const auto& work) -> Result<void> {
        auto transaction = Transaction::begin(*m_db);
        if (!transaction)
            return makeError(transaction.error());
        if (auto r = work(); !r)
            return r;
        return transaction->commit();
    };
    // Page-sized chunks: each transaction holds the write lock for a few pages only.
    std::size_t first = 0;
    while (first < document.pages.size()) {
        std::size_t end = first;
        std::size_t words = 0;
        while (end < document.pages.size() && (end == first || (end - first < kChunkPages && words < kChunkWords)))
            words += document.pages[end++].words.size();
        if (auto r = inTransaction([&] { return insertPages(claimed.id, document.pages, first, end); }); !r)
            return abandon(r.error());
        first = end;
        if (afterChunk)
            afterChunk(static_cast<int>(first));
    }
    const auto finish = [&]() -> Result<void> {
        auto update = m_db->prepare(QStringLiteral("UPDATE documents SET complete = 1, import_pid = NULL WHERE id = ?"));
        if (!update)
            return makeError(update.error());
        update->bind(1, claimed.id);
        return update->exec();
    };
    if (auto r = inTransaction(finish); !r)
        return abandon(r.error());
    return claimed;
}

Result<StoredDocument> Library::claimDocument(const NewDocument& document, bool* busyElsewhere)
{
    *busyElsewhere = false;
    auto transaction = Transaction::begin(*m_db);
    if (!transaction)
        return makeError(transaction.error());
    const QString sha = QString::fromLatin1(document.sha256Hex.toLower());
    auto existing = m_db->prepare(QStringLiteral("SELECT id, complete, import_pid FROM documents WHERE sha256 = ?"));
    if (!existing)
        return makeError(existing.error());
    existing->bind(1, sha);
    struct Row {
        qint64 id;
        bool complete;
        qint64 pid;
    };
    auto rows = collect<Row>(*existing, [](const Statement& row) {
        return Row { row.columnInt64(0), row.columnInt(1) != 0, row.columnInt64(2) };
    });
    if (!rows)
        return makeError(rows.error());
    if (!rows->empty()) {
        const Row& row = rows->front();
        if (row.complete)
            return StoredDocument { row.id, true };
        if (!importIsAbandoned(row.id, row.pid)) {
            *busyElsewhere = true;
            return StoredDocument {};
        }
        auto remove = m_db->prepare(QStringLiteral("DELETE FROM documents WHERE id = ?"));
        if (!remove)
            return makeError(remove.error());
        remove->bind(1, row.id);
        if (auto r = remove->exec(); !r)
            return makeError(r.error());
    }

    const QFileInfo file(document.path);
    bool anyTextLayer = false;
    for (const PageRecord& page : document.pages)
        anyTextLayer = anyTextLayer || page.hasTextLayer;
    auto insertDoc = m_db->prepare(QStringLiteral(
        "INSERT INTO documents (sha256, path, file_name, kind, page_count, has_text_layer, title, file_size, complete, import_pid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"));
    if (!insertDoc)
        return makeError(insertDoc.error());
    insertDoc->bind(1, sha).bind(2, file.absoluteFilePath()).bind(3, file.fileName());
    insertDoc->bind(4, document.kind).bind(5, static_cast<qint64>(document.pages.size())).bind(6, anyTextLayer ? 1 : 0);
    insertDoc->bind(7, document.title.isEmpty() ? QString() : document.title).bind(8, document.fileSize);
    insertDoc->bind(9, static_cast<qint64>(QCoreApplication::applicationPid()));
    if (auto r = insertDoc->exec(); !r)
        return makeError(r.error());
    const qint64 id = m_db->lastInsertId();
    if (auto r = transaction->commit(); !r)
        return makeError(r.error());
    return StoredDocument { id, false };
}

Result<void> Library::insertPages(qint64 documentId, const std::vector<PageRecord>& pages, std::size_t first, std::size_t end)
{
    auto insertPage = m_db->prepare(QStringLiteral(
        "INSERT INTO pages (document_id, page_index, width_pt, height_pt, rotation, has_text_layer, ocr_languages, error, warning) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto insertWord = m_db->prepare(insertWordSql);
    auto insertEntry = m_db->prepare(insertEntrySql);
    auto insertValue = m_db->prepare(insertValueSql);
    for (const auto* s : { &insertPage, &insertWord, &insertEntry, &insertValue }) {
        if (!*s)
            return makeError(s->error());
    }

    for (std::size_t p = first; p < end; ++p) {
        const PageRecord& page = pages[p];
        const auto pageError
            = [&](const std::string& why) { return makeError("page " + std::to_string(page.index + 1) + ": " + why); };
        insertPage->reset();
        insertPage->bind(1, documentId).bind(2, page.index).bind(3, page.widthPt).bind(4, page.heightPt);
        insertPage->bind(5, page.rotation).bind(6, page.hasTextLayer ? 1 : 0);
        if (page.ocrLanguages.isEmpty())
            insertPage->bind(7, nullptr);
        else
            insertPage->bind(7, page.ocrLanguages);
        // A null QString binds NULL: a good page has no error and no warning.
        insertPage->bind(8, page.error.isEmpty() ? QString() : page.error);
        insertPage->bind(9, page.warning.isEmpty() ? QString() : page.warning);
        if (auto r = insertPage->exec(); !r)
            return pageError(r.error());
        const qint64 pageId = m_db->lastInsertId();
        if (auto r = insertWords(*insertWord, *insertEntry, pageId, page.words, 0, 0); !r)
            return pageError(r.error());
        if (auto r = insertValues(*insertValue, pageId, page.values, 0); !r)
            return pageError(r.error());
    }
    return {};
}

Result<void> Library::removeAbandonedImports()
{
    auto incomplete = m_db->prepare(QStringLiteral("SELECT id, import_pid FROM documents WHERE complete = 0"));
    if (!incomplete)
        return makeError(incomplete.error());
    auto rows = collect<std::pair<qint64, qint64>>(*incomplete, [](const Statement& row) {
        return std::pair { row.columnInt64(0), row.columnInt64(1) };
    });
    if (!rows)
        return makeError(rows.error());
    for (const auto& [id, pid] : *rows) {
        if (!importIsAbandoned(id, pid))
            continue;
        auto remove = m_db->prepare(QStringLiteral("DELETE FROM documents WHERE id = ? AND complete = 0"));
        if (!remove)
            return makeError(remove.error());
        remove->bind(1, id);
        if (auto r = remove->exec(); !r)
            return makeError(r.error());
    }
    return {};
}

Result<std::vector<DocumentSummary>> Library::listDocuments()
{
    auto query
        = m_db->prepare(QStringLiteral("SELECT ") + summaryColumns + QStringLiteral(" FROM documents WHERE complete = 1 ORDER BY id"));
    if (!query)
        return withContext("Cannot list the library", query.error());
    auto rows = collect<DocumentSummary>(*query, readSummary);
    if (!rows)
        return withContext("Cannot list the library", rows.error());
    return std::move(*rows);
}

Result<DocumentDetail> Library::document(qint64 id)
{
    const std::string context = "Cannot read document #" + std::to_string(id);
    auto docQuery
        = m_db->prepare(QStringLiteral("SELECT ") + summaryColumns + QStringLiteral(" FROM documents WHERE id = ? AND complete = 1"));
    if (!docQuery)
        return withContext(context, docQuery.error());
    docQuery->bind(1, id);
    auto docs = collect<DocumentSummary>(*docQuery, readSummary);
    if (!docs)
        return withContext(context, docs.error());
    if (docs->empty())
        return makeError("There is no document #" + std::to_string(id) + " in the library");

    auto pageQuery = m_db->prepare(
        QStringLiteral("SELECT p.id, p.page_index, p.width_pt, p.height_pt, p.rotation, p.has_text_layer, "
                       "(SELECT count(*) FROM words w WHERE w.page_id = p.id), "
                       "(SELECT count(*) FROM words w WHERE w.page_id = p.id AND w.source = 'ocr'), "
                       "coalesce(p.ocr_languages, ''), "
                       "coalesce(p.error, ''), coalesce(p.warning, ''), p.view_rotation "
                       "FROM pages p WHERE p.document_id = ? ORDER BY p.page_index"));
    if (!pageQuery)
        return withContext(context, pageQuery.error());
    pageQuery->bind(1, id);
    auto pages = collect<PageSummary>(*pageQuery, [](const Statement& row) {
        return PageSummary { row.columnInt64(0), row.columnInt(1), row.columnDouble(2), row.columnDouble(3),
            row.columnInt(4), row.columnInt(5) != 0, row.columnInt(6), row.columnInt(7), row.columnText(8), row.columnText(9), row.columnText(10),
            row.columnInt(11) };
    });
    if (!pages)
        return withContext(context, pages.error());
    return DocumentDetail { std::move(docs->front()), std::move(*pages) };
}

Result<std::optional<qint64>> Library::resolveDocument(const QString& idOrShaPrefixOrPath)
{
    const QString key = idOrShaPrefixOrPath.trimmed();
    const std::string context = "Cannot look up the document " + quoted(key);
    if (key.isEmpty())
        return std::optional<qint64>();
    // Runs an id query whose parameters are all bound by the caller's binder.
    const auto ids = [&](const QString& sql, const auto& bindAll) -> Result<std::vector<qint64>> {
        auto query = m_db->prepare(sql);
        if (!query)
            return makeError(query.error());
        bindAll(*query);
        return collect<qint64>(*query, [](const Statement& row) { return row.columnInt64(0); });
    };
    const auto ambiguous = [&](const char* what, const std::vector<qint64>& found) {
        std::string list;
        for (qint64 id : found)
            list += (list.empty() ? "#" : ", #") + std::to_string(id);
        return makeError(quoted(key) + " " + what + " several documents (" + list + "); give its id instead");
    };

    bool isNumber = false;
    const qint64 asId = key.toLongLong(&isNumber);
    if (isNumber) {
        auto found
            = ids(QStringLiteral("SELECT id FROM documents WHERE id = ? AND complete = 1"), [&](Statement& q) { q.bind(1, asId); });
        if (!found)
            return withContext(context, found.error());
        if (!found->empty())
            return std::optional<qint64>(found->front());
    }
    const QByteArray latin = key.toLatin1().toLower();
    if (key.size() >= 6 && key.size() <= 64 && isHex(latin)) {
        // A key that matches no hash may still be a file named like one: fall through to paths.
        auto found
            = ids(QStringLiteral("SELECT id FROM documents WHERE substr(sha256, 1, length(?1)) = ?1 AND complete = 1 ORDER BY id"),
                [&](Statement& q) { q.bind(1, QString::fromLatin1(latin)); });
        if (!found)
            return withContext(context, found.error());
        if (found->size() > 1)
            return ambiguous("is a hash prefix of", *found);
        if (found->size() == 1)
            return std::optional<qint64>(found->front());
    }
    auto found = ids(QStringLiteral("SELECT id FROM documents WHERE (path = ? OR path = ?) AND complete = 1 ORDER BY id"),
        [&](Statement& q) { q.bind(1, QFileInfo(key).absoluteFilePath()).bind(2, key); });
    if (!found)
        return withContext(context, found.error());
    if (found->size() > 1)
        return ambiguous("is the path of", *found);
    if (found->size() == 1)
        return std::optional<qint64>(found->front());
    return std::optional<qint64>();
}

Result<void> Library::removeDocument(qint64 id)
{
    auto remove = m_db->prepare(QStringLiteral("DELETE FROM documents WHERE id = ?"));
    if (!remove)
        return withContext("Cannot remove document #" + std::to_string(id), remove.error());
    remove->bind(1, id);
    if (auto r = remove->exec(); !r)
        return withContext("Cannot remove document #" + std::to_string(id), r.error());
    if (m_db->changes() == 0)
        return makeError("There is no document #" + std::to_string(id) + " in the library");
    return {};
}

Result<std::vector<SearchHit>> Library::search(const QString& userText, int limit)
{
    return search(SearchQuery(userText), limit);
}

Result<std::vector<SearchHit>> Library::search(const SearchQuery& query, int limit)
{
    const std::string context = "Cannot search the library for " + quoted(query.terms().join(QLatin1Char(' ')));
    if (limit <= 0)
        return makeError(context + ": the number of results must be positive");
    if (query.isEmpty() && query.values().empty())
        return std::vector<SearchHit>();

    struct Row {
        SearchHit hit;
        std::optional<qint64> lineIndex;
        qint64 refId = 0;
        qint64 pageId = 0;
    };
    const auto readRow = [&](const Statement& row) {
        Row r;
        r.hit.kind = row.columnText(0);
        r.refId = row.isNull(1) ? -1 : row.columnInt64(1);
        if (r.hit.kind == QLatin1String("text_layer") && !row.isNull(1))
            r.lineIndex = row.columnInt64(1);
        r.hit.snippet = query.snippet(row.columnText(2));
        r.hit.box = readBox(row, 3);
        r.pageId = row.columnInt64(7);
        r.hit.pageIndex = row.columnInt(8);
        r.hit.documentId = row.columnInt64(9);
        r.hit.path = row.columnText(10);
        r.hit.match = row.columnText(11);
        if (r.hit.match.isEmpty())
            r.hit.match = query.isPhraseHit(row.columnText(2)) ? QStringLiteral("phrase") : QStringLiteral("words");
        else // a value hit: the whole printed value is what matched
            r.hit.snippet = QStringLiteral("«") + row.columnText(2) + QStringLiteral("»");
        return r;
    };

    // The same amount or date, however it is printed: exact, so these come first.
    std::vector<Row> rows;
    for (const SearchValue& v : query.values()) {
        auto select = m_db->prepare(QStringLiteral(
            "SELECT v.source, v.ref_id, v.text, v.x0, v.y0, v.x1, v.y1, v.page_id, p.page_index, d.id, d.path, v.kind "
            "FROM search_values v JOIN pages p ON p.id = v.page_id JOIN documents d ON d.id = p.document_id "
            "WHERE v.kind = ? AND v.value = ? AND d.complete = 1 ORDER BY d.id, p.page_index, v.id LIMIT ?"));
        if (!select)
            return withContext(context, select.error());
        select->bind(1, v.kind).bind(2, v.value).bind(3, limit);
        auto found = collect<Row>(*select, readRow);
        if (!found)
            return withContext(context, found.error());
        rows.insert(rows.end(), found->begin(), found->end());
    }

    if (!query.isEmpty()) {
        // Only fixed fragments are pasted into the SQL; every user value is bound.
        const QString match = query.ftsExpression();
        const QStringList shortTerms = query.foldedShortTerms();
        QString sql = QStringLiteral(
            "SELECT e.kind, e.ref_id, e.text, e.x0, e.y0, e.x1, e.y1, e.page_id, p.page_index, d.id, d.path, '' ");
        QStringList where;
        // The terms side by side as typed rank first, then the best matches (bm25).
        QString order = QStringLiteral("instr(folio_casefold(e.text), ?) = 0, ");
        if (!match.isEmpty()) {
            sql += QStringLiteral("FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid ");
            where << QStringLiteral("search_fts MATCH ?");
            order += QStringLiteral("bm25(search_fts), ");
        } else {
            // Every term is too short for the trigram index: scan the entries.
            sql += QStringLiteral("FROM search_entries e ");
        }
        sql += QStringLiteral("JOIN pages p ON p.id = e.page_id JOIN documents d ON d.id = p.document_id ");
        for (qsizetype i = 0; i < shortTerms.size(); ++i)
            where << QStringLiteral("instr(folio_casefold(e.text), ?) > 0");
        where << QStringLiteral("d.complete = 1");
        sql += QStringLiteral("WHERE ") + where.join(QLatin1String(" AND "));
        sql += QStringLiteral(" ORDER BY ") + order + QStringLiteral("d.id, p.page_index, e.id LIMIT ?");

        auto select = m_db->prepare(sql);
        if (!select)
            return withContext(context, select.error());
        int index = 1;
        if (!match.isEmpty())
            select->bind(index++, match);
        for (const QString& term : shortTerms)
            select->bind(index++, term);
        select->bind(index++, query.foldedAdjacent());
        select->bind(index, limit);
        auto found = collect<Row>(*select, readRow);
        if (!found)
            return withContext(context, found.error());

        // A text-layer hit points at the words that matched, not the whole line.
        auto lineWords = m_db->prepare(QStringLiteral(
            "SELECT text, x0, y0, x1, y1, source FROM words WHERE page_id = ? AND line_index = ? ORDER BY word_index"));
        if (!lineWords)
            return withContext(context, lineWords.error());
        for (Row& row : *found) {
            if (row.lineIndex) {
                lineWords->reset();
                lineWords->bind(1, row.pageId).bind(2, *row.lineIndex);
                bool ocr = false;
                auto words = collect<LineWord>(*lineWords, [&](const Statement& w) {
                    ocr = ocr || w.columnText(5) == QLatin1String("ocr");
                    return LineWord { w.columnText(0), readBox(w, 1) };
                });
                if (!words)
                    return withContext(context, words.error());
                if (ocr)
                    row.hit.kind = QStringLiteral("ocr");
                const QRectF box = matchedWordsBox(query, *words);
                if (!box.isNull())
                    row.hit.box = box;
            }
            // The line or value a value hit already found is not listed twice.
            const bool known = std::any_of(rows.begin(), rows.end(), [&](const Row& r) {
                return r.pageId == row.pageId && r.refId == row.refId && r.hit.kind == row.hit.kind;
            });
            if (!known)
                rows.push_back(std::move(row));
        }
    }

    std::vector<SearchHit> hits;
    for (Row& row : rows)
        if (int(hits.size()) < limit)
            hits.push_back(std::move(row.hit));
    return hits;
}

Result<PageWords> Library::words(qint64 documentId, int pageIndex)
{
    const std::string context = "Cannot read the words of page " + std::to_string(pageIndex + 1) + " of document #"
        + std::to_string(documentId);
    auto page = m_db->prepare(
        QStringLiteral("SELECT id, width_pt, height_pt, rotation FROM pages WHERE document_id = ? AND page_index = ?"));
    if (!page)
        return withContext(context, page.error());
    page->bind(1, documentId).bind(2, pageIndex);
    struct PageRow {
        qint64 pageId;
        PageWords words;
    };
    auto pages = collect<PageRow>(*page, [&](const Statement& row) {
        return PageRow { row.columnInt64(0),
            PageWords { documentId, pageIndex, row.columnDouble(1), row.columnDouble(2), row.columnInt(3), {} } };
    });
    if (!pages)
        return withContext(context, pages.error());
    if (pages->empty())
        return makeError(context + ": there is no such page in the library");
    const qint64 pageId = pages->front().pageId;
    PageWords out = std::move(pages->front().words);
    auto words = m_db->prepare(
        QStringLiteral("SELECT text, x0, y0, x1, y1, line_index, source, coalesce(confidence, 1) FROM words "
                       "WHERE page_id = ? ORDER BY word_index"));
    if (!words)
        return withContext(context, words.error());
    words->bind(1, pageId);
    auto rows = collect<WordRecord>(*words, [](const Statement& row) {
        return WordRecord { row.columnText(0), readBox(row, 1), row.columnInt(5),
            row.columnText(6) == QLatin1String("ocr"), row.columnDouble(7) };
    });
    if (!rows)
        return withContext(context, rows.error());
    out.words = std::move(*rows);
    return out;
}

Result<void> Library::replaceOcrWords(qint64 documentId, int pageIndex, const std::vector<WordRecord>& words,
    const std::vector<ValueRecord>& values, const QString& languages, std::optional<int> rotation)
{
    const std::string context = "Cannot store the OCR words of page " + std::to_string(pageIndex + 1)
        + " of document #" + std::to_string(documentId);
    auto transaction = Transaction::begin(*m_db);
    if (!transaction)
        return withContext(context, transaction.error());
    auto page = m_db->prepare(QStringLiteral("SELECT id FROM pages WHERE document_id = ? AND page_index = ?"));
    if (!page)
        return withContext(context, page.error());
    page->bind(1, documentId).bind(2, pageIndex);
    auto ids = collect<qint64>(*page, [](const Statement& row) { return row.columnInt64(0); });
    if (!ids)
        return withContext(context, ids.error());
    if (ids->empty())
        return makeError(context + ": there is no such page in the library");
    const qint64 pageId = ids->front();

    // The old OCR lines' search entries go first, while their words still say which lines they are.
    const QString statements[] = {
        QStringLiteral("DELETE FROM search_entries WHERE page_id = ?1 AND kind = 'text_layer' AND ref_id IN "
                       "(SELECT DISTINCT line_index FROM words WHERE page_id = ?1 AND source = 'ocr')"),
        QStringLiteral("DELETE FROM words WHERE page_id = ?1 AND source = 'ocr'"),
        QStringLiteral("DELETE FROM search_values WHERE page_id = ?1 AND source = 'ocr'"),
    };
    for (const QString& sql : statements) {
        auto remove = m_db->prepare(sql);
        if (!remove)
            return withContext(context, remove.error());
        remove->bind(1, pageId);
        if (auto r = remove->exec(); !r)
            return withContext(context, r.error());
    }
    // New OCR words go after the text layer's words and lines.
    auto next = m_db->prepare(QStringLiteral(
        "SELECT coalesce(max(word_index), -1) + 1, coalesce(max(line_index), -1) + 1 FROM words WHERE page_id = ?"));
    if (!next)
        return withContext(context, next.error());
    next->bind(1, pageId);
    auto after = collect<std::pair<qint64, int>>(
        *next, [](const Statement& row) { return std::pair { row.columnInt64(0), row.columnInt(1) }; });
    if (!after)
        return withContext(context, after.error());
    std::vector<WordRecord> ocrWords = words;
    for (WordRecord& w : ocrWords)
        w.ocr = true;
    auto insertWord = m_db->prepare(insertWordSql);
    auto insertEntry = m_db->prepare(insertEntrySql);
    auto insertValue = m_db->prepare(insertValueSql);
    for (const auto* st : { &insertWord, &insertEntry, &insertValue }) {
        if (!*st)
            return withContext(context, st->error());
    }
    if (auto r = insertWords(*insertWord, *insertEntry, pageId, ocrWords, after->front().first, after->front().second);
        !r)
        return withContext(context, r.error());
    std::vector<ValueRecord> ocrValues = values;
    for (ValueRecord& v : ocrValues)
        v.ocr = true;
    if (auto r = insertValues(*insertValue, pageId, ocrValues, after->front().second); !r)
        return withContext(context, r.error());

    auto update = m_db->prepare(QStringLiteral(
        "UPDATE pages SET ocr_languages = ?, rotation = coalesce(?, rotation) WHERE id = ?"));
    if (!update)
        return withContext(context, update.error());
    update->bind(1, languages);
    if (rotation)
        update->bind(2, *rotation);
    else
        update->bind(2, nullptr);
    update->bind(3, pageId);
    if (auto r = update->exec(); !r)
        return withContext(context, r.error());
    if (auto r = transaction->commit(); !r)
        return withContext(context, r.error());
    return {};
}

Result<void> Library::setDocumentStatus(qint64 documentId, const QString& status)
{
    const std::string context = "Cannot set the status of document #" + std::to_string(documentId);
    static const QStringList statuses = { QStringLiteral("ingested"), QStringLiteral("extracting"),
        QStringLiteral("needs_review"), QStringLiteral("reviewed") };
    if (!statuses.contains(status))
        return makeError(context + ": unknown status " + quoted(status)
            + " (expected ingested, extracting, needs_review or reviewed)");
    auto update = m_db->prepare(QStringLiteral("UPDATE documents SET status = ? WHERE id = ?"));
    if (!update)
        return withContext(context, update.error());
    update->bind(1, status).bind(2, documentId);
    if (auto r = update->exec(); !r)
        return withContext(context, r.error());
    if (m_db->changes() == 0)
        return makeError("There is no document #" + std::to_string(documentId) + " in the library");
    return {};
}

Result<void> Library::setPageViewRotation(qint64 documentId, int pageIndex, int degrees)
{
    const std::string context = "Cannot turn page " + std::to_string(pageIndex + 1) + " of document #" + std::to_string(documentId);
    if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
        return makeError(context + ": " + std::to_string(degrees) + " degrees is not a quarter turn (expected 0, 90, 180 or 270)");
    auto update = m_db->prepare(QStringLiteral("UPDATE pages SET view_rotation = ? WHERE document_id = ? AND page_index = ?"));
    if (!update)
        return withContext(context, update.error());
    update->bind(1, degrees).bind(2, documentId).bind(3, pageIndex);
    if (auto r = update->exec(); !r)
        return withContext(context, r.error());
    if (m_db->changes() == 0)
        return makeError(context + ": there is no such page in the library");
    return {};
}

} // namespace folio::storage
