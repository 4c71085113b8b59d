#include "extract/taskparser.h"

#include "extract/htmltable.h"
#include "extract/invoicevocabulary.h"
#include "extract/lenientjson.h"

#include <QJsonArray>
#include <QJsonObject>

namespace folio::extract {

namespace {

    // A JSON value the model wrote where text belongs: strings as they are, numbers printed
    // without exponent noise, null/absent as empty.
    QString textOf(const QJsonValue& v)
    {
        if (v.isString())
            return v.toString().trimmed();
        if (v.isDouble()) {
            const double d = v.toDouble();
            return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 15);
        }
        if (v.isBool())
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return {};
    }

    // bbox_2d as [x1, y1, x2, y2] (numbers or numeric strings); anything else has no box.
    Box boxOf(const QJsonValue& v, const ModelFrame& frame, int page, Flags* flags)
    {
        const QJsonArray a = v.toArray();
        if (a.size() != 4)
            return Box{};
        double c[4];
        for (int i = 0; i < 4; ++i) {
            bool ok = true;
            c[i] = a[i].isString() ? a[i].toString().toDouble(&ok) : a[i].toDouble();
            if (!ok || !(a[i].isDouble() || a[i].isString()))
                return Box{};
        }
        const std::optional<Box> mapped = mapModelBox(c[0], c[1], c[2], c[3], frame, page, flags);
        return mapped ? *mapped : Box{};
    }

    QJsonValue bboxOf(const QJsonObject& o)
    {
        for (const char* key : {"bbox_2d", "bbox", "box"})
            if (o.contains(QLatin1String(key)))
                return o.value(QLatin1String(key));
        return {};
    }

    // The first array in the answer: the value itself, or the only array inside an object.
    QJsonArray arrayIn(const QJsonValue& v)
    {
        if (v.isArray())
            return v.toArray();
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (it->isArray())
                return it->toArray();
        return {};
    }

    // One value slot: {"value": ..., "bbox_2d": [...]} or a bare value.
    bool readSlot(const QJsonValue& slot, const ModelFrame& frame, int page, QString* value, Box* box, Flags* flags)
    {
        if (slot.isNull() || slot.isUndefined())
            return false;
        if (slot.isObject()) {
            const QJsonObject o = slot.toObject();
            *value = textOf(o.contains(QLatin1String("value")) ? o.value(QLatin1String("value")) : o.value(QLatin1String("text")));
            *box = boxOf(bboxOf(o), frame, page, flags);
        } else {
            *value = textOf(slot);
            *box = Box{};
        }
        return !value->isEmpty();
    }

    void parseOcr(const QJsonValue& root, const ModelFrame& frame, int page, ParsedOutput& out)
    {
        for (const QJsonValue& item : arrayIn(root)) {
            const QJsonObject o = item.toObject();
            TextLine line;
            for (const char* key : {"text_content", "text", "content", "label"}) {
                if (o.contains(QLatin1String(key))) {
                    line.text = textOf(o.value(QLatin1String(key)));
                    break;
                }
            }
            if (line.text.isEmpty())
                continue;
            line.box = boxOf(bboxOf(o), frame, page, &line.flags);
            out.result.lines.push_back(line);
        }
        if (out.result.lines.empty())
            out.error = QStringLiteral("no text lines with \"text_content\" in the answer");
    }

    void parseFields(const QJsonObject& root, const QStringList& names, const ModelFrame& frame, int page, ParsedOutput& out)
    {
        for (const QString& name : names) {
            Field field;
            field.name = name;
            field.source = QStringLiteral("model");
            if (readSlot(root.value(name), frame, page, &field.value, &field.box, &field.flags))
                out.result.fields.push_back(field);
        }
        for (auto it = root.begin(); it != root.end(); ++it)
            if (!names.contains(it.key()) && it.key() != QLatin1String(kLineItemsTable))
                out.warnings << QStringLiteral("ignored unknown key \"%1\"").arg(it.key());
    }

    void parseLineItems(const QJsonValue& items, const ModelFrame& frame, int page, ParsedOutput& out)
    {
        const QJsonArray rows = items.toArray();
        if (rows.isEmpty())
            return;
        Table table;
        table.name = QString(kLineItemsTable);
        for (int c = 0; c < int(kLineItemColumns.size()); ++c) {
            Cell header;
            header.row = 0, header.col = c, header.header = true;
            header.text = QString(kLineItemColumns[size_t(c)]);
            header.box = Box{};
            table.cells.push_back(header);
        }
        int row = 1;
        for (const QJsonValue& r : rows) {
            const QJsonObject o = r.toObject();
            bool any = false;
            std::vector<Cell> cells;
            for (int c = 0; c < int(kLineItemColumns.size()); ++c) {
                Cell cell;
                cell.row = row, cell.col = c;
                if (readSlot(o.value(QString(kLineItemColumns[size_t(c)])), frame, page, &cell.text, &cell.box, &cell.flags))
                    any = true;
                cells.push_back(cell);
            }
            if (!any)
                continue;
            for (Cell& cell : cells) {
                table.box = table.box.united(cell.box);
                table.cells.push_back(cell);
            }
            ++row;
        }
        if (row > 1)
            out.result.tables.push_back(table);
    }

    void parseForm(const QJsonValue& root, const ModelFrame& frame, int page, ParsedOutput& out)
    {
        const QJsonArray pairs = arrayIn(root);
        if (!pairs.isEmpty()) {
            for (const QJsonValue& item : pairs) {
                const QJsonObject o = item.toObject();
                Field field;
                field.name = textOf(o.value(QLatin1String("key")));
                field.value = textOf(o.value(QLatin1String("value")));
                if (field.name.isEmpty())
                    continue;
                field.box = boxOf(bboxOf(o), frame, page, &field.flags);
                field.source = QStringLiteral("model");
                    out.result.fields.push_back(field);
            }
        } else if (root.isObject()) {
            // Some answers are a flat {"label": "value"} object instead of the requested array.
            const QJsonObject o = root.toObject();
            parseFields(o, o.keys(), frame, page, out);
            out.warnings.clear();
        }
        if (out.result.fields.empty())
            out.error = QStringLiteral("no key/value pairs in the answer");
    }

    void parseTables(const QString& raw, const ModelFrame& frame, int page, ParsedOutput& out)
    {
        const ModelHtml html = parseModelHtml(raw);
        out.warnings << html.warnings;
        int index = 0;
        for (const HtmlTable& t : html.tables) {
            Table table;
            table.name = html.tables.size() == 1 ? QStringLiteral("table") : QStringLiteral("table_%1").arg(++index);
            Flags ignored;
            if (t.box)
                table.box = boxOf(QJsonArray{t.box->x1, t.box->y1, t.box->x2, t.box->y2}, frame, page, &ignored);
            for (const HtmlCell& c : t.cells) {
                Cell cell;
                cell.row = c.row, cell.col = c.col, cell.rowSpan = c.rowSpan, cell.colSpan = c.colSpan;
                cell.text = c.text, cell.header = c.header;
                if (c.box)
                    cell.box = boxOf(QJsonArray{c.box->x1, c.box->y1, c.box->x2, c.box->y2}, frame, page, &cell.flags);
                if (!t.box)
                    table.box = table.box.united(cell.box);
                table.cells.push_back(cell);
            }
            if (!table.cells.empty())
                out.result.tables.push_back(table);
        }
        if (out.result.tables.empty())
            out.error = QStringLiteral("no <table> in the answer");
    }

} // namespace

ParsedOutput parseTaskOutput(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                             const std::vector<CustomField>& schema)
{
    ParsedOutput out;
    out.result.page = page;
    if (task == u"table") {
        parseTables(rawText, frame, page, out);
        out.ok = out.error.isEmpty();
        return out;
    }

    const LenientJsonResult json = parseLenientJson(rawText);
    if (!json.ok()) {
        out.error = json.error;
        return out;
    }
    out.result.truncated = json.truncated;
    if (json.truncated)
        out.warnings << QStringLiteral("the answer was cut off; the complete parts were kept");

    if (task == u"ocr") {
        parseOcr(json.value, frame, page, out);
    } else if (task == u"form") {
        parseForm(json.value, frame, page, out);
    } else if (task == u"invoice" || task == u"custom") {
        // A single-element array around the object happens; unwrap it.
        const QJsonObject root = json.value.isArray() ? json.value.toArray().first().toObject() : json.value.toObject();
        QStringList names;
        if (task == u"invoice") {
            for (const QLatin1StringView f : kInvoiceFields)
                names << QString(f);
        } else {
            for (const CustomField& f : schema)
                names << f.name;
        }
        parseFields(root, names, frame, page, out);
        if (task == u"invoice")
            parseLineItems(root.value(QLatin1String(kLineItemsTable)), frame, page, out);
        if (out.result.fields.empty() && out.result.tables.empty())
            out.error = QStringLiteral("none of the requested fields is in the answer");
    } else {
        out.error = QStringLiteral("unknown task \"%1\"").arg(task);
    }
    out.ok = out.error.isEmpty();
    return out;
}

} // namespace folio::extract
