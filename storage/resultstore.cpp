#include "storage/resultstore.h"

#include "storage/database.h"
#include "storage/resultcarryover.h"
#include "storage/sqlrows.h"
#include "storage/transaction.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <map>
#include <optional>

namespace folio::storage {

namespace {

const QStringList tasks = { QStringLiteral("ocr"), QStringLiteral("table"), QStringLiteral("invoice"),
    QStringLiteral("form"), QStringLiteral("custom") };
const QStringList runStatuses = { QStringLiteral("ok"), QStringLiteral("truncated"), QStringLiteral("failed"),
    QStringLiteral("blank"), QStringLiteral("cancelled"), QStringLiteral("repetition") };
const QStringList sources = { QStringLiteral("model"), QStringLiteral("e-invoice"), QStringLiteral("user") };

const QString runColumns
    = QStringLiteral("id, document_id, page_index, task, model_id, prompt_version, params, raw_output, resized_width, "
                     "resized_height, timings, status, error, attempt, started_at, finished_at, superseded_by, notes");

std::string runName(const RunRecord& run)
{
    return "the " + run.task.toStdString() + " run on page " + std::to_string(run.pageIndex + 1) + " of document #"
        + std::to_string(run.documentId);
}

QString jsonText(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

RunRecord readRun(const Statement& row)
{
    RunRecord r;
    r.id = row.columnInt64(0);
    r.documentId = row.columnInt64(1);
    r.pageIndex = row.columnInt(2);
    r.task = row.columnText(3);
    r.modelId = row.columnText(4);
    r.promptVersion = row.columnText(5);
    r.params = jsonObject(row.columnText(6));
    r.rawOutput = row.columnText(7);
    r.resizedWidth = row.columnInt(8);
    r.resizedHeight = row.columnInt(9);
    r.timings = jsonObject(row.columnText(10));
    r.status = row.columnText(11);
    r.error = row.columnText(12);
    r.attempt = row.columnInt(13);
    r.startedAt = timeFromText(row.columnText(14));
    r.finishedAt = timeFromText(row.columnText(15));
    r.supersededBy = row.columnInt64(16);
    for (const QJsonValue& note : QJsonDocument::fromJson(row.columnText(17).toUtf8()).array())
        r.notes << note.toString();
    return r;
}

// Reads result flags inside a collect() callback, which cannot fail: the first unknown flag
// is kept and reported once the rows are read.
struct FlagReader {
    std::optional<std::string> error;

    extract::Flags operator()(const QString& text, const char* what, qint64 id)
    {
        auto flags = flagsFromText(text);
        if (flags)
            return *flags;
        if (!error)
            error = std::string(what) + " #" + std::to_string(id) + ": " + flags.error();
        return {};
    }
};

} // namespace

ResultStore::ResultStore(Database& db)
    : m_db(db)
{
}

Result<qint64> ResultStore::insertRun(const RunRecord& run)
{
    if (!tasks.contains(run.task))
        return makeError("unknown task " + quoted(run.task) + " (expected one of "
            + tasks.join(QStringLiteral(", ")).toStdString() + ")");
    if (!runStatuses.contains(run.status))
        return makeError("unknown run status " + quoted(run.status) + " (expected one of "
            + runStatuses.join(QStringLiteral(", ")).toStdString() + ")");
    auto page = m_db.prepare(QStringLiteral("SELECT 1 FROM pages WHERE document_id = ? AND page_index = ?"));
    if (!page)
        return makeError(page.error());
    page->bind(1, run.documentId).bind(2, run.pageIndex);
    auto found = page->step();
    if (!found)
        return makeError(found.error());
    if (*found != Statement::Step::Row)
        return makeError("document #" + std::to_string(run.documentId) + " has no page "
            + std::to_string(run.pageIndex + 1) + " in the library");

    auto insert = m_db.prepare(
        QStringLiteral("INSERT INTO runs (document_id, page_index, task, model_id, prompt_version, params, raw_output, "
                       "resized_width, resized_height, timings, status, error, attempt, started_at, finished_at, notes) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return makeError(insert.error());
    insert->bind(1, run.documentId).bind(2, run.pageIndex).bind(3, run.task).bind(4, notNull(run.modelId));
    insert->bind(5, notNull(run.promptVersion)).bind(6, jsonText(run.params)).bind(7, notNull(run.rawOutput));
    insert->bind(8, run.resizedWidth).bind(9, run.resizedHeight).bind(10, jsonText(run.timings));
    insert->bind(11, run.status).bind(12, run.error.isEmpty() ? QString() : run.error).bind(13, run.attempt);
    insert->bind(14, timeToText(run.startedAt)).bind(15, timeToText(run.finishedAt));
    insert->bind(16, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(run.notes)).toJson(QJsonDocument::Compact)));
    if (auto r = insert->exec(); !r)
        return makeError(r.error());
    return m_db.lastInsertId();
}

Result<void> ResultStore::insertResults(const RunRecord& run, const extract::PageResult& result)
{
    const int page = run.pageIndex;
    if (result.page != page)
        return makeError("the result is for page " + std::to_string(result.page + 1) + ", not the run's page "
            + std::to_string(page + 1));
    const auto checkBox = [&](const extract::Box& box, const std::string& what) -> Result<void> {
        if (box.valid() && box.page != page)
            return makeError(what + " has a box on page " + std::to_string(box.page + 1) + ", not on page "
                + std::to_string(page + 1));
        return {};
    };

    auto insertLine = m_db.prepare(QStringLiteral(
        "INSERT INTO lines (run_id, document_id, page_index, position, text, x0, y0, x1, y1, confidence, flags, "
        "source, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'model', ?)"));
    auto insertField = m_db.prepare(QStringLiteral(
        "INSERT INTO fields (run_id, document_id, page_index, position, name, value, normalized, x0, y0, x1, y1, "
        "confidence, flags, source, model_value, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto insertTable = m_db.prepare(
        QStringLiteral("INSERT INTO result_tables (run_id, document_id, page_index, position, name, x0, y0, x1, y1) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    auto insertCell = m_db.prepare(QStringLiteral(
        "INSERT INTO cells (table_id, run_id, document_id, page_index, position, grid_row, grid_col, row_span, "
        "col_span, header, text, normalized, x0, y0, x1, y1, confidence, flags, source, model_value, evidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'model', ?, ?)"));
    for (const auto* s : { &insertLine, &insertField, &insertTable, &insertCell }) {
        if (!*s)
            return makeError(s->error());
    }

    for (std::size_t i = 0; i < result.lines.size(); ++i) {
        const extract::TextLine& line = result.lines[i];
        const std::string what = "line " + std::to_string(i + 1);
        if (auto r = checkBox(line.box, what); !r)
            return r;
        insertLine->reset();
        insertLine->bind(1, run.id).bind(2, run.documentId).bind(3, page).bind(4, static_cast<qint64>(i));
        insertLine->bind(5, notNull(line.text));
        bindOptionalBox(*insertLine, 6, line.box);
        insertLine->bind(10, line.confidence).bind(11, flagsToText(line.flags)).bind(12, notNull(line.evidence.toText()));
        if (auto r = insertLine->exec(); !r)
            return withContext(what, r.error());
    }

    for (std::size_t i = 0; i < result.fields.size(); ++i) {
        const extract::Field& field = result.fields[i];
        const std::string what = "field " + quoted(field.name);
        if (auto r = checkBox(field.box, what); !r)
            return r;
        // A parser that does not say where a value came from read it with the model.
        const QString source = field.source.isEmpty() ? QStringLiteral("model") : field.source;
        if (!sources.contains(source))
            return makeError(what + " has the unknown source " + quoted(source));
        insertField->reset();
        insertField->bind(1, run.id).bind(2, run.documentId).bind(3, page).bind(4, static_cast<qint64>(i));
        insertField->bind(5, notNull(field.name)).bind(6, notNull(field.value)).bind(7, notNull(field.normalized));
        bindOptionalBox(*insertField, 8, field.box);
        insertField->bind(12, field.confidence).bind(13, flagsToText(field.flags)).bind(14, source);
        insertField->bind(15, notNull(field.value)).bind(16, notNull(field.evidence.toText()));
        if (auto r = insertField->exec(); !r)
            return withContext(what, r.error());
    }

    for (std::size_t t = 0; t < result.tables.size(); ++t) {
        const extract::Table& table = result.tables[t];
        const std::string what = "table " + std::to_string(t + 1);
        if (auto r = checkBox(table.box, what); !r)
            return r;
        insertTable->reset();
        insertTable->bind(1, run.id).bind(2, run.documentId).bind(3, page).bind(4, static_cast<qint64>(t));
        insertTable->bind(5, notNull(table.name));
        bindOptionalBox(*insertTable, 6, table.box);
        if (auto r = insertTable->exec(); !r)
            return withContext(what, r.error());
        const qint64 tableId = m_db.lastInsertId();
        for (std::size_t c = 0; c < table.cells.size(); ++c) {
            const extract::Cell& cell = table.cells[c];
            const std::string cellWhat
                = what + ", cell (" + std::to_string(cell.row + 1) + ", " + std::to_string(cell.col + 1) + ")";
            if (auto r = checkBox(cell.box, cellWhat); !r)
                return r;
            insertCell->reset();
            insertCell->bind(1, tableId).bind(2, run.id).bind(3, run.documentId).bind(4, page);
            insertCell->bind(5, static_cast<qint64>(c)).bind(6, cell.row).bind(7, cell.col);
            insertCell->bind(8, cell.rowSpan).bind(9, cell.colSpan).bind(10, cell.header ? 1 : 0);
            insertCell->bind(11, notNull(cell.text)).bind(12, notNull(cell.normalized));
            bindOptionalBox(*insertCell, 13, cell.box);
            insertCell->bind(17, cell.confidence).bind(18, flagsToText(cell.flags)).bind(19, notNull(cell.text));
            insertCell->bind(20, notNull(cell.evidence.toText()));
            if (auto r = insertCell->exec(); !r)
                return withContext(cellWhat, r.error());
        }
    }

    auto status = m_db.prepare(QStringLiteral("UPDATE documents SET status = 'needs_review' WHERE id = ?"));
    if (!status)
        return makeError(status.error());
    status->bind(1, run.documentId);
    return status->exec();
}

Result<qint64> ResultStore::storeRun(const RunRecord& run)
{
    const std::string context = "Cannot store " + runName(run);
    auto transaction = Transaction::begin(m_db);
    if (!transaction)
        return withContext(context, transaction.error());
    auto id = insertRun(run);
    if (!id)
        return withContext(context, id.error());
    if (auto r = transaction->commit(); !r)
        return withContext(context, r.error());
    return *id;
}

Result<qint64> ResultStore::storePageResult(const RunRecord& run, const extract::PageResult& result)
{
    const std::string context = "Cannot store the results of " + runName(run);
    auto transaction = Transaction::begin(m_db);
    if (!transaction)
        return withContext(context, transaction.error());
    auto id = insertRun(run);
    if (!id)
        return withContext(context, id.error());

    auto earlier = m_db.prepare(QStringLiteral("SELECT id FROM runs WHERE document_id = ? AND page_index = ? "
                                               "AND task = ? AND id <> ? AND superseded_by IS NULL"));
    if (!earlier)
        return withContext(context, earlier.error());
    earlier->bind(1, run.documentId).bind(2, run.pageIndex).bind(3, run.task).bind(4, *id);
    auto earlierIds = collect<qint64>(*earlier, [](const Statement& row) { return row.columnInt64(0); });
    if (!earlierIds)
        return withContext(context, earlierIds.error());
    auto old = resultRowsOfRuns(m_db, *earlierIds);
    if (!old)
        return withContext(context, old.error());
    RunRecord stored = run;
    stored.id = *id;
    if (auto r = insertResults(stored, result); !r)
        return withContext(context, r.error());
    if (auto r = carryOverReviewedWork(m_db, *old, *earlierIds, *id); !r)
        return withContext(context, r.error());
    auto supersede = m_db.prepare(QStringLiteral("UPDATE runs SET superseded_by = ? WHERE id = ?"));
    if (!supersede)
        return withContext(context, supersede.error());
    for (qint64 earlierId : *earlierIds) {
        supersede->reset();
        supersede->bind(1, *id).bind(2, earlierId);
        if (auto r = supersede->exec(); !r)
            return withContext(context, r.error());
    }
    if (auto r = transaction->commit(); !r)
        return withContext(context, r.error());
    return *id;
}

Result<void> ResultStore::replaceRunResults(qint64 runId, const extract::PageResult& result)
{
    const std::string context = "Cannot replace the results of run #" + std::to_string(runId);
    auto transaction = Transaction::begin(m_db);
    if (!transaction)
        return withContext(context, transaction.error());
    auto stored = run(runId);
    if (!stored)
        return makeError(stored.error());
    if (stored->supersededBy != 0)
        return makeError(context + ": run #" + std::to_string(stored->supersededBy)
            + " has replaced its results since; re-parse that run instead");
    auto old = resultRowsOfRuns(m_db, { runId });
    if (!old)
        return withContext(context, old.error());
    if (auto r = insertResults(*stored, result); !r)
        return withContext(context, r.error());
    if (auto r = carryOverReviewedWork(m_db, *old, { runId }, runId); !r)
        return withContext(context, r.error());
    if (auto r = transaction->commit(); !r)
        return withContext(context, r.error());
    return {};
}

Result<RunRecord> ResultStore::run(qint64 runId)
{
    const std::string context = "Cannot read run #" + std::to_string(runId);
    auto query = m_db.prepare(QStringLiteral("SELECT ") + runColumns + QStringLiteral(" FROM runs WHERE id = ?"));
    if (!query)
        return withContext(context, query.error());
    query->bind(1, runId);
    auto rows = collect<RunRecord>(*query, readRun);
    if (!rows)
        return withContext(context, rows.error());
    if (rows->empty())
        return makeError("There is no run #" + std::to_string(runId) + " in the library");
    return std::move(rows->front());
}

Result<std::vector<RunRecord>> ResultStore::runs(qint64 documentId)
{
    const std::string context = "Cannot read the runs of document #" + std::to_string(documentId);
    auto query = m_db.prepare(
        QStringLiteral("SELECT ") + runColumns + QStringLiteral(" FROM runs WHERE document_id = ? ORDER BY id"));
    if (!query)
        return withContext(context, query.error());
    query->bind(1, documentId);
    auto rows = collect<RunRecord>(*query, readRun);
    if (!rows)
        return withContext(context, rows.error());
    return std::move(*rows);
}

Result<DocumentResults> ResultStore::results(qint64 documentId)
{
    const std::string context = "Cannot read the results of document #" + std::to_string(documentId);
    DocumentResults out;
    FlagReader flags;

    auto lines = m_db.prepare(QStringLiteral(
        "SELECT id, run_id, page_index, position, text, x0, y0, x1, y1, confidence, flags, review_status, evidence "
        "FROM lines WHERE document_id = ? ORDER BY page_index, run_id, position"));
    if (!lines)
        return withContext(context, lines.error());
    lines->bind(1, documentId);
    auto lineRows = collect<StoredLine>(*lines, [&](const Statement& row) {
        StoredLine s;
        s.id = row.columnInt64(0);
        s.runId = row.columnInt64(1);
        s.page = row.columnInt(2);
        s.order = row.columnInt(3);
        s.line.text = row.columnText(4);
        s.line.box = readOptionalBox(row, 5, row.columnInt(2));
        s.line.confidence = row.columnDouble(9);
        s.line.flags = flags(row.columnText(10), "line", s.id);
        s.reviewStatus = row.columnText(11);
        s.line.evidence = extract::ConfidenceEvidence::fromText(row.columnText(12));
        return s;
    });
    if (!lineRows)
        return withContext(context, lineRows.error());
    out.lines = std::move(*lineRows);

    // User-added fields (no run) come after the model's on their page.
    auto fields = m_db.prepare(QStringLiteral(
        "SELECT id, run_id, page_index, position, name, value, normalized, x0, y0, x1, y1, confidence, flags, "
        "source, review_status, model_value, evidence FROM fields WHERE document_id = ? "
        "ORDER BY page_index, run_id IS NULL, run_id, position, id"));
    if (!fields)
        return withContext(context, fields.error());
    fields->bind(1, documentId);
    auto fieldRows = collect<StoredField>(*fields, [&](const Statement& row) {
        StoredField s;
        s.id = row.columnInt64(0);
        s.runId = row.columnInt64(1);
        s.page = row.columnInt(2);
        s.order = row.columnInt(3);
        s.field.name = row.columnText(4);
        s.field.value = row.columnText(5);
        s.field.normalized = row.columnText(6);
        s.field.box = readOptionalBox(row, 7, row.columnInt(2));
        s.field.confidence = row.columnDouble(11);
        s.field.flags = flags(row.columnText(12), "field", s.id);
        s.field.source = row.columnText(13);
        s.reviewStatus = row.columnText(14);
        s.modelValue = row.columnText(15);
        s.field.evidence = extract::ConfidenceEvidence::fromText(row.columnText(16));
        return s;
    });
    if (!fieldRows)
        return withContext(context, fieldRows.error());
    out.fields = std::move(*fieldRows);

    auto tables = m_db.prepare(
        QStringLiteral("SELECT id, run_id, page_index, position, name, x0, y0, x1, y1 FROM result_tables "
                       "WHERE document_id = ? ORDER BY page_index, run_id, position"));
    if (!tables)
        return withContext(context, tables.error());
    tables->bind(1, documentId);
    auto tableRows = collect<StoredTable>(*tables, [](const Statement& row) {
        StoredTable s;
        s.id = row.columnInt64(0);
        s.runId = row.columnInt64(1);
        s.page = row.columnInt(2);
        s.order = row.columnInt(3);
        s.table.name = row.columnText(4);
        s.table.box = readOptionalBox(row, 5, row.columnInt(2));
        return s;
    });
    if (!tableRows)
        return withContext(context, tableRows.error());
    out.tables = std::move(*tableRows);
    std::map<qint64, StoredTable*> byId;
    for (StoredTable& table : out.tables)
        byId[table.id] = &table;

    auto cells = m_db.prepare(QStringLiteral(
        "SELECT table_id, id, page_index, grid_row, grid_col, row_span, col_span, header, text, normalized, "
        "x0, y0, x1, y1, confidence, flags, review_status, model_value, evidence FROM cells WHERE document_id = ? "
        "ORDER BY table_id, position"));
    if (!cells)
        return withContext(context, cells.error());
    cells->bind(1, documentId);
    std::optional<qint64> orphan; // a cell whose table is another document's (never written so)
    auto cellRows = collect<bool>(*cells, [&](const Statement& row) {
        const auto table = byId.find(row.columnInt64(0));
        if (table == byId.end()) {
            orphan = row.columnInt64(1);
            return false;
        }
        extract::Cell cell;
        const qint64 id = row.columnInt64(1);
        cell.row = row.columnInt(3);
        cell.col = row.columnInt(4);
        cell.rowSpan = row.columnInt(5);
        cell.colSpan = row.columnInt(6);
        cell.header = row.columnInt(7) != 0;
        cell.text = row.columnText(8);
        cell.normalized = row.columnText(9);
        cell.box = readOptionalBox(row, 10, row.columnInt(2));
        cell.confidence = row.columnDouble(14);
        cell.flags = flags(row.columnText(15), "cell", id);
        cell.evidence = extract::ConfidenceEvidence::fromText(row.columnText(18));
        table->second->table.cells.push_back(std::move(cell));
        table->second->cellIds.push_back(id);
        table->second->cellReviewStatus.push_back(row.columnText(16));
        table->second->cellModelValues.push_back(row.columnText(17));
        return true;
    });
    if (!cellRows)
        return withContext(context, cellRows.error());
    if (orphan)
        return withContext(context, "cell #" + std::to_string(*orphan) + " belongs to another document's table");
    if (flags.error)
        return withContext(context, *flags.error);
    return out;
}

Result<void> ResultStore::updateChecks(const std::vector<CheckUpdate>& updates)
{
    const std::string context = "Cannot store the re-run invoice checks";
    auto transaction = Transaction::begin(m_db);
    if (!transaction)
        return withContext(context, transaction.error());
    auto field = m_db.prepare(QStringLiteral("UPDATE fields SET flags = ?, confidence = ?, evidence = ? WHERE id = ?"));
    auto cell = m_db.prepare(QStringLiteral("UPDATE cells SET flags = ?, confidence = ?, evidence = ? WHERE id = ?"));
    if (!field || !cell)
        return withContext(context, !field ? field.error() : cell.error());
    for (const CheckUpdate& u : updates) {
        Statement& s = u.cell ? *cell : *field;
        s.reset();
        s.bind(1, flagsToText(u.flags)).bind(2, u.confidence).bind(3, notNull(u.evidence.toText())).bind(4, u.id);
        if (auto r = s.exec(); !r)
            return withContext(context, r.error());
    }
    if (auto r = transaction->commit(); !r)
        return withContext(context, r.error());
    return {};
}

} // namespace folio::storage
