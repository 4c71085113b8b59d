#include "storage/resultcarryover.h"

#include "storage/database.h"
#include "storage/fieldrow.h"
#include "storage/resultrecords.h"
#include "storage/sqlrows.h"

#include <QJsonDocument>

#include <algorithm>
#include <set>

namespace folio::storage {

namespace {

    // "(1,2,3)" for an IN clause; our own integers, never user text.
    QString idList(const std::vector<qint64>& ids)
    {
        QStringList parts;
        for (qint64 id : ids)
            parts << QString::number(id);
        return QStringLiteral("(%1)").arg(parts.join(u','));
    }

    struct Row {
        qint64 id = 0;
        qint64 tableId = 0; // cells
        QString name;       // fields: name; cells: the table's name
        int position = 0;   // fields, lines: position; cells: the table's position
        int row = 0, col = 0;
        QString value, normalized;
        extract::Box box;
        extract::Flags flags;
        QString status;
    };

    bool isReviewed(const Row& r) { return r.status != kReviewPending || r.flags.testFlag(extract::Flag::Edited); }
    bool hasReviewedValue(const Row& r) { return r.status == kReviewAccepted || r.flags.testFlag(extract::Flag::Edited); }

    // The same reading: equal normalised forms where both have one, else equal text.
    bool sameReading(const Row& a, const Row& b)
    {
        if (!a.normalized.isEmpty() && !b.normalized.isEmpty())
            return a.normalized == b.normalized;
        return a.value.simplified() == b.value.simplified();
    }

    class Carrier {
    public:
        Carrier(Database& db, qint64 runId) : m_db(db), m_runId(runId) {}

        Result<std::vector<Row>> read(const QString& sql)
        {
            auto query = m_db.prepare(sql);
            if (!query)
                return makeError(query.error());
            std::optional<std::string> badFlags;
            auto rows = collect<Row>(*query, [&](const Statement& s) {
                Row r;
                r.id = s.columnInt64(0);
                r.tableId = s.columnInt64(1);
                r.name = s.columnText(2);
                r.position = s.columnInt(3);
                r.row = s.columnInt(4);
                r.col = s.columnInt(5);
                r.value = s.columnText(6);
                r.normalized = s.columnText(7);
                r.box = readOptionalBox(s, 8, s.columnInt(12));
                auto flags = flagsFromText(s.columnText(13));
                if (!flags && !badFlags)
                    badFlags = flags.error();
                r.flags = flags ? *flags : extract::Flags{};
                r.status = s.columnText(14);
                return r;
            });
            if (!rows)
                return makeError(rows.error());
            if (badFlags)
                return makeError(*badFlags);
            return rows;
        }

        Result<void> exec(const QString& sql)
        {
            auto statement = m_db.prepare(sql);
            if (!statement)
                return makeError(statement.error());
            return statement->exec();
        }

        // Moves a reviewed row to the new run, keeping its value and recording the new reading.
        Result<void> move(const char* table, const Row& old, const Row* now, const QString& extraSet = {})
        {
            const bool conflict = hasReviewedValue(old) && (!now || !sameReading(old, *now));
            extract::Flags flags = old.flags;
            flags.setFlag(extract::Flag::Conflict, conflict);
            auto update = m_db.prepare(QStringLiteral("UPDATE %1 SET run_id = ?, flags = ?%2%3 WHERE id = ?")
                                           .arg(QLatin1String(table), now ? QStringLiteral(", position = %1").arg(now->position) : QString(),
                                                extraSet));
            if (!update)
                return makeError(update.error());
            update->bind(1, m_runId).bind(2, flagsToText(flags)).bind(3, old.id);
            if (auto r = update->exec(); !r)
                return r;
            if (QLatin1String(table) != QLatin1String("lines")) {
                auto model = m_db.prepare(QStringLiteral("UPDATE %1 SET model_value = ? WHERE id = ?").arg(QLatin1String(table)));
                if (!model)
                    return makeError(model.error());
                model->bind(1, now ? notNull(now->value) : QString(QLatin1String(""))).bind(2, old.id);
                if (auto r = model->exec(); !r)
                    return r;
            }
            if (now)
                return exec(QStringLiteral("DELETE FROM %1 WHERE id = %2").arg(QLatin1String(table)).arg(now->id));
            return {};
        }

        Database& m_db;
        qint64 m_runId;
    };

    const QString fieldSelect = QStringLiteral(
        "SELECT id, 0, name, position, 0, 0, value, normalized, x0, y0, x1, y1, page_index, flags, review_status FROM fields ");
    const QString cellSelect = QStringLiteral(
        "SELECT c.id, c.table_id, t.name, t.position, c.grid_row, c.grid_col, c.text, c.normalized, c.x0, c.y0, c.x1, c.y1, "
        "c.page_index, c.flags, c.review_status FROM cells c JOIN result_tables t ON t.id = c.table_id ");
    const QString lineSelect = QStringLiteral(
        "SELECT id, 0, '', position, 0, 0, text, '', x0, y0, x1, y1, page_index, flags, review_status FROM lines ");

    // Among unused candidates accepted by `fits`, the one whose box overlaps `box` most.
    template <typename Fits> const Row* bestMatch(const std::vector<Row>& candidates, std::set<qint64>& used, const extract::Box& box, Fits fits)
    {
        const Row* best = nullptr;
        double bestOverlap = -1;
        for (const Row& c : candidates) {
            if (used.count(c.id) || !fits(c))
                continue;
            const double overlap = box.iou(c.box);
            if (overlap > bestOverlap) {
                best = &c;
                bestOverlap = overlap;
            }
        }
        if (best)
            used.insert(best->id);
        return best;
    }

    Result<void> carryFields(Carrier& c, const ResultRows& old, const std::vector<qint64>& oldRunIds, std::set<qint64>& moved)
    {
        auto oldRows = c.read(fieldSelect + QStringLiteral("WHERE id IN %1 ORDER BY id").arg(idList(old.fields)));
        auto newRows = c.read(fieldSelect + QStringLiteral("WHERE run_id = %1 AND id NOT IN %2").arg(c.m_runId).arg(idList(old.fields)));
        if (!oldRows || !newRows)
            return makeError(!oldRows ? oldRows.error() : newRows.error());
        std::set<qint64> used;
        for (const Row& o : *oldRows) {
            if (!isReviewed(o))
                continue;
            const Row* n = bestMatch(*newRows, used, o.box, [&](const Row& r) { return r.name == o.name; });
            if (auto r = c.move("fields", o, n); !r)
                return r;
            moved.insert(o.id);
        }

        // Fields the reviewer deleted from the replaced runs stay deleted.
        auto deletions = c.m_db.prepare(QStringLiteral(
            "SELECT e.document_id, e.old_value, e.author FROM edits e JOIN runs r ON r.id = ? "
            "WHERE e.document_id = r.document_id AND e.target = 'field' AND e.what = 'deleted' "
            "AND NOT EXISTS (SELECT 1 FROM fields f WHERE f.id = e.target_id) ORDER BY e.id"));
        if (!deletions)
            return makeError(deletions.error());
        deletions->bind(1, c.m_runId);
        struct Deletion {
            qint64 documentId;
            QJsonObject row;
            QString author;
        };
        auto rows = collect<Deletion>(*deletions, [](const Statement& s) {
            return Deletion{s.columnInt64(0), QJsonDocument::fromJson(s.columnText(1).toUtf8()).object(), s.columnText(2)};
        });
        if (!rows)
            return makeError(rows.error());
        for (const Deletion& d : *rows) {
            const qint64 runId = qint64(d.row.value(QStringLiteral("run_id")).toDouble());
            if (std::find(oldRunIds.begin(), oldRunIds.end(), runId) == oldRunIds.end())
                continue;
            const QString name = d.row.value(QStringLiteral("name")).toString();
            const Row* n = bestMatch(*newRows, used, boxFromJson(d.row.value(QStringLiteral("box"))), [&](const Row& r) { return r.name == name; });
            if (!n)
                continue;
            auto copy = fieldRow(c.m_db, n->id);
            if (!copy)
                return makeError(copy.error());
            if (auto r = c.exec(QStringLiteral("DELETE FROM fields WHERE id = %1").arg(n->id)); !r)
                return r;
            auto edit = c.m_db.prepare(QStringLiteral("INSERT INTO edits (document_id, target, target_id, what, old_value, new_value, author) "
                                                      "VALUES (?, 'field', ?, 'deleted', ?, '', ?)"));
            if (!edit)
                return makeError(edit.error());
            edit->bind(1, d.documentId).bind(2, n->id);
            edit->bind(3, QString::fromUtf8(QJsonDocument(**copy).toJson(QJsonDocument::Compact))).bind(4, notNull(d.author));
            if (auto r = edit->exec(); !r)
                return r;
        }
        return {};
    }

    Result<void> carryCells(Carrier& c, const ResultRows& old, std::set<qint64>& movedCells, std::set<qint64>& keptTables)
    {
        auto oldRows = c.read(cellSelect + QStringLiteral("WHERE c.id IN %1 ORDER BY c.id").arg(idList(old.cells)));
        auto newRows = c.read(cellSelect + QStringLiteral("WHERE c.run_id = %1 AND c.id NOT IN %2").arg(c.m_runId).arg(idList(old.cells)));
        if (!oldRows || !newRows)
            return makeError(!oldRows ? oldRows.error() : newRows.error());
        // New tables by (name, position); a table the new run lacks keeps its old rows.
        const auto newTable = [&](const Row& o) -> qint64 {
            qint64 byName = 0;
            for (const Row& n : *newRows) {
                if (n.name != o.name)
                    continue;
                if (n.position == o.position)
                    return n.tableId;
                byName = byName ? byName : n.tableId;
            }
            return byName;
        };
        std::set<qint64> used;
        for (const Row& o : *oldRows) {
            if (!isReviewed(o) || keptTables.count(o.tableId))
                continue;
            const qint64 table = newTable(o);
            if (!table) {
                // Keep the whole old table (its cells belong together) in the new run.
                keptTables.insert(o.tableId);
                if (auto r = c.exec(QStringLiteral("UPDATE result_tables SET run_id = %1 WHERE id = %2").arg(c.m_runId).arg(o.tableId)); !r)
                    return r;
                if (auto r = c.exec(QStringLiteral("UPDATE cells SET run_id = %1 WHERE table_id = %2").arg(c.m_runId).arg(o.tableId)); !r)
                    return r;
                for (const Row& sibling : *oldRows)
                    if (sibling.tableId == o.tableId) {
                        movedCells.insert(sibling.id);
                        if (isReviewed(sibling))
                            if (auto r = c.move("cells", sibling, nullptr); !r)
                                return r;
                    }
                continue;
            }
            const Row* n = bestMatch(*newRows, used, o.box, [&](const Row& r) { return r.tableId == table && r.row == o.row && r.col == o.col; });
            if (auto r = c.move("cells", o, n, QStringLiteral(", table_id = %1").arg(table)); !r)
                return r;
            movedCells.insert(o.id);
        }
        return {};
    }

    Result<void> carryLines(Carrier& c, const ResultRows& old, std::set<qint64>& moved)
    {
        auto oldRows = c.read(lineSelect + QStringLiteral("WHERE id IN %1 AND review_status <> 'pending' ORDER BY id").arg(idList(old.lines)));
        auto newRows = c.read(lineSelect + QStringLiteral("WHERE run_id = %1 AND id NOT IN %2").arg(c.m_runId).arg(idList(old.lines)));
        if (!oldRows || !newRows)
            return makeError(!oldRows ? oldRows.error() : newRows.error());
        std::set<qint64> used;
        for (const Row& o : *oldRows) {
            const Row* n = bestMatch(*newRows, used, o.box, [&](const Row& r) { return o.box.iou(r.box) > 0.5; });
            if (auto r = c.move("lines", o, n); !r)
                return r;
            moved.insert(o.id);
        }
        return {};
    }

    std::vector<qint64> without(const std::vector<qint64>& ids, const std::set<qint64>& keep)
    {
        std::vector<qint64> out;
        for (qint64 id : ids)
            if (!keep.count(id))
                out.push_back(id);
        return out;
    }

} // namespace

Result<ResultRows> resultRowsOfRuns(Database& db, const std::vector<qint64>& runIds)
{
    ResultRows rows;
    const auto ids = [&](const char* table, std::vector<qint64>& out) -> Result<void> {
        auto query = db.prepare(QStringLiteral("SELECT id FROM %1 WHERE run_id IN %2").arg(QLatin1String(table), idList(runIds)));
        if (!query)
            return makeError(query.error());
        auto got = collect<qint64>(*query, [](const Statement& s) { return s.columnInt64(0); });
        if (!got)
            return makeError(got.error());
        out = std::move(*got);
        return {};
    };
    for (auto [table, out] : {std::pair{"lines", &rows.lines}, {"fields", &rows.fields}, {"result_tables", &rows.tables}, {"cells", &rows.cells}})
        if (auto r = ids(table, *out); !r)
            return makeError(r.error());
    return rows;
}

Result<void> carryOverReviewedWork(Database& db, const ResultRows& old, const std::vector<qint64>& oldRunIds, qint64 newRunId)
{
    Carrier carrier(db, newRunId);
    std::set<qint64> movedFields, movedCells, keptTables, movedLines;
    if (auto r = carryFields(carrier, old, oldRunIds, movedFields); !r)
        return makeError("carrying reviewed fields over: " + r.error());
    if (auto r = carryCells(carrier, old, movedCells, keptTables); !r)
        return makeError("carrying reviewed cells over: " + r.error());
    if (auto r = carryLines(carrier, old, movedLines); !r)
        return makeError("carrying reviewed lines over: " + r.error());
    // Cells first: they also hang off their table.
    for (auto [table, ids] : {std::pair{"cells", without(old.cells, movedCells)}, {"result_tables", without(old.tables, keptTables)},
                              {"fields", without(old.fields, movedFields)}, {"lines", without(old.lines, movedLines)}})
        if (!ids.empty())
            if (auto r = carrier.exec(QStringLiteral("DELETE FROM %1 WHERE id IN %2").arg(QLatin1String(table), idList(ids))); !r)
                return r;
    return {};
}

} // namespace folio::storage
