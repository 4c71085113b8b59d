#include "storage/jsonexport.h"

#include "storage/exportfile.h"
#include "storage/sqlrows.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace folio::storage {

namespace {

QJsonArray flagsJson(extract::Flags flags)
{
    return QJsonArray::fromStringList(extract::flagsToStrings(flags));
}

// Provenance and geometry shared by fields, lines and tables.
class Writer {
public:
    explicit Writer(const ExportDocument& doc)
        : m_doc(doc)
    {
    }

    // Adds page, box, box_pt to `o`.
    void place(QJsonObject& o, int page, const extract::Box& box) const
    {
        o.insert(QStringLiteral("page"), page + 1);
        if (!box.valid()) {
            o.insert(QStringLiteral("box"), QJsonValue::Null);
            o.insert(QStringLiteral("box_pt"), QJsonValue::Null);
            return;
        }
        o.insert(QStringLiteral("box"),
            QJsonObject { { QStringLiteral("x0"), box.x0 }, { QStringLiteral("y0"), box.y0 },
                { QStringLiteral("x1"), box.x1 }, { QStringLiteral("y1"), box.y1 } });
        const PageSummary* size = m_doc.page(page);
        if (!size) {
            o.insert(QStringLiteral("box_pt"), QJsonValue::Null);
            return;
        }
        o.insert(QStringLiteral("box_pt"),
            QJsonObject { { QStringLiteral("x0"), box.x0 * size->widthPt },
                { QStringLiteral("y0"), box.y0 * size->heightPt }, { QStringLiteral("x1"), box.x1 * size->widthPt },
                { QStringLiteral("y1"), box.y1 * size->heightPt } });
    }

    // Adds run_id, model_id, prompt_version (nulls for results of no run).
    void provenance(QJsonObject& o, qint64 runId) const
    {
        const RunRecord* run = m_doc.run(runId);
        o.insert(QStringLiteral("run_id"), run ? QJsonValue(runId) : QJsonValue());
        o.insert(QStringLiteral("model_id"), run ? QJsonValue(run->modelId) : QJsonValue());
        o.insert(QStringLiteral("prompt_version"), run ? QJsonValue(run->promptVersion) : QJsonValue());
    }

private:
    const ExportDocument& m_doc;
};

QJsonValue timeJson(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(timeToText(time)) : QJsonValue();
}

// Who changed the row last, and when; nothing for a row nobody edited.
void lastEdited(QJsonObject& o, const EditRecord* edit)
{
    o.insert(QStringLiteral("last_edited_by"), edit ? QJsonValue(edit->author) : QJsonValue());
    o.insert(QStringLiteral("last_edited_at"), edit ? timeJson(edit->at) : QJsonValue());
}

} // namespace

QJsonObject documentJson(const ExportDocument& document, const JsonOptions& options)
{
    const Writer writer(document);
    const DocumentSummary& d = document.detail.doc;

    QJsonArray pages;
    for (const PageSummary& p : document.detail.pages) {
        pages.append(QJsonObject { { QStringLiteral("page"), p.index + 1 }, { QStringLiteral("width_pt"), p.widthPt },
            { QStringLiteral("height_pt"), p.heightPt }, { QStringLiteral("rotation"), p.rotation },
            { QStringLiteral("has_text_layer"), p.hasTextLayer } });
    }
    const QJsonObject doc { { QStringLiteral("id"), d.id }, { QStringLiteral("path"), d.path },
        { QStringLiteral("file_name"), d.fileName }, { QStringLiteral("sha256"), QString::fromLatin1(d.sha256) },
        { QStringLiteral("kind"), d.kind }, { QStringLiteral("title"), d.title },
        { QStringLiteral("status"), d.status }, { QStringLiteral("added_at"), timeJson(d.addedAt) },
        { QStringLiteral("pages"), pages } };

    QJsonArray fields;
    for (const StoredField& s : document.results.fields) {
        QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("name"), s.field.name },
            { QStringLiteral("value"), s.field.value }, { QStringLiteral("normalized"), s.field.normalized },
            { QStringLiteral("confidence"), s.field.confidence }, { QStringLiteral("flags"), flagsJson(s.field.flags) },
            { QStringLiteral("source"), s.field.source }, { QStringLiteral("review_status"), s.reviewStatus },
            { QStringLiteral("review"), reviewState(s.reviewStatus, s.field.flags) },
            { QStringLiteral("model_value"), s.runId ? QJsonValue(s.modelValue) : QJsonValue() } };
        lastEdited(o, document.lastEdit(QStringLiteral("field"), s.id));
        writer.place(o, s.page, s.field.box);
        writer.provenance(o, s.runId);
        fields.append(o);
    }

    QJsonArray tables;
    for (const StoredTable& s : document.results.tables) {
        QJsonArray cells;
        for (std::size_t i = 0; i < s.table.cells.size(); ++i) {
            const extract::Cell& c = s.table.cells[i];
            QJsonObject o { { QStringLiteral("id"), s.cellIds[i] }, { QStringLiteral("row"), c.row },
                { QStringLiteral("col"), c.col }, { QStringLiteral("rowspan"), c.rowSpan },
                { QStringLiteral("colspan"), c.colSpan }, { QStringLiteral("header"), c.header },
                { QStringLiteral("text"), c.text }, { QStringLiteral("normalized"), c.normalized },
                { QStringLiteral("confidence"), c.confidence }, { QStringLiteral("flags"), flagsJson(c.flags) },
                { QStringLiteral("review_status"), s.cellReviewStatus[i] },
                { QStringLiteral("review"), reviewState(s.cellReviewStatus[i], c.flags) },
                { QStringLiteral("model_value"), s.cellModelValues[i] } };
            lastEdited(o, document.lastEdit(QStringLiteral("cell"), s.cellIds[i]));
            writer.place(o, s.page, c.box);
            cells.append(o);
        }
        QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("name"), s.table.name },
            { QStringLiteral("rows"), s.table.rows() }, { QStringLiteral("cols"), s.table.cols() },
            { QStringLiteral("cells"), cells } };
        writer.place(o, s.page, s.table.box);
        writer.provenance(o, s.runId);
        tables.append(o);
    }

    QJsonArray lines;
    for (const StoredLine& s : document.results.lines) {
        QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("text"), s.line.text },
            { QStringLiteral("confidence"), s.line.confidence }, { QStringLiteral("flags"), flagsJson(s.line.flags) },
            { QStringLiteral("review_status"), s.reviewStatus } };
        writer.place(o, s.page, s.line.box);
        writer.provenance(o, s.runId);
        lines.append(o);
    }

    QJsonArray runs;
    for (const RunRecord& r : document.runs) {
        QJsonObject o { { QStringLiteral("id"), r.id }, { QStringLiteral("page"), r.pageIndex + 1 },
            { QStringLiteral("task"), r.task }, { QStringLiteral("model_id"), r.modelId },
            { QStringLiteral("prompt_version"), r.promptVersion }, { QStringLiteral("params"), r.params },
            { QStringLiteral("resized_width"), r.resizedWidth }, { QStringLiteral("resized_height"), r.resizedHeight },
            { QStringLiteral("timings"), r.timings }, { QStringLiteral("status"), r.status },
            { QStringLiteral("error"), r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error) },
            { QStringLiteral("attempt"), r.attempt }, { QStringLiteral("started_at"), timeJson(r.startedAt) },
            { QStringLiteral("finished_at"), timeJson(r.finishedAt) },
            { QStringLiteral("superseded_by"), r.supersededBy ? QJsonValue(r.supersededBy) : QJsonValue() },
            { QStringLiteral("notes"), QJsonArray::fromStringList(r.notes) } };
        if (options.includeRaw)
            o.insert(QStringLiteral("raw_output"), r.rawOutput);
        runs.append(o);
    }

    return QJsonObject { { QStringLiteral("format"), QString::fromLatin1(kJsonExportFormat) },
        { QStringLiteral("version"), kJsonExportVersion }, { QStringLiteral("document"), doc },
        { QStringLiteral("fields"), fields }, { QStringLiteral("tables"), tables }, { QStringLiteral("lines"), lines },
        { QStringLiteral("runs"), runs } };
}

Result<void> exportDocumentJson(const ExportDocument& document, const QString& path, const JsonOptions& options)
{
    return writeExportFile(path, QJsonDocument(documentJson(document, options)).toJson(QJsonDocument::Indented));
}

} // namespace folio::storage
