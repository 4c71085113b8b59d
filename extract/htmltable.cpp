#include "extract/htmltable.h"

#include "extract/codefence.h"

#include <gumbo.h>

#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <memory>

namespace folio::extract {

namespace {

// Deeper markup than this is not walked: model output never nests like that, and a bound keeps
// hostile input from exhausting the stack.
constexpr int kMaxDepth = 256;
constexpr int kMaxColSpan = 1000; // the HTML table model's limit

struct OutputDeleter {
    void operator()(GumboOutput* output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};

bool isElement(const GumboNode* node, GumboTag tag)
{
    return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

QString attribute(const GumboNode* node, const char* name)
{
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? QString::fromUtf8(a->value) : QString();
}

bool hasAttribute(const GumboNode* node, const char* name)
{
    return gumbo_get_attribute(&node->v.element.attributes, name) != nullptr;
}

QString tagName(const GumboNode* node)
{
    if (node->v.element.tag != GUMBO_TAG_UNKNOWN)
        return QString::fromLatin1(gumbo_normalized_tagname(node->v.element.tag));
    GumboStringPiece piece = node->v.element.original_tag;
    gumbo_tag_from_original_text(&piece);
    return QString::fromUtf8(piece.data, int(piece.length)).toLower();
}

bool isBlockTag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
        return true;
    default:
        return false;
    }
}

// Text elements that become a block of their own in a document even without a data-bbox.
bool isTextBlockTag(GumboTag tag)
{
    return isBlockTag(tag) && tag != GUMBO_TAG_DIV && tag != GUMBO_TAG_UL && tag != GUMBO_TAG_OL
        && tag != GUMBO_TAG_TR;
}

void collectText(const GumboNode* node, QString& out, int depth)
{
    if (depth > kMaxDepth)
        return;
    switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA:
        out += QString::fromUtf8(node->v.text.text);
        return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: {
        const GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
            out += u'\n';
            return;
        }
        // A nested table is a table of its own, not text of the cell around it.
        if (tag == GUMBO_TAG_TABLE && depth > 0)
            return;
        if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE)
            return;
        const bool block = isBlockTag(tag);
        if (block)
            out += u'\n';
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            collectText(static_cast<const GumboNode*>(children.data[i]), out, depth + 1);
        if (block)
            out += u'\n';
        return;
    }
    default:
        return;
    }
}

// Text content with HTML's whitespace rules: runs of white space collapse to one space, line
// breaks come only from <br> and block elements, empty lines are dropped.
QString textOf(const GumboNode* node)
{
    QString raw;
    collectText(node, raw, 0);
    QStringList lines;
    for (const QString& line : raw.split(u'\n')) {
        const QString simple = line.simplified();
        if (!simple.isEmpty())
            lines << simple;
    }
    return lines.join(u'\n');
}

int spanAttribute(const GumboNode* node, const char* name, int fallback, int lo, int hi)
{
    if (!hasAttribute(node, name))
        return fallback;
    bool ok = false;
    const int v = attribute(node, name).trimmed().toInt(&ok);
    return ok ? std::clamp(v, lo, hi) : fallback;
}

class TableReader {
public:
    TableReader(HtmlTable& table, QStringList& warnings, int index) : m_table(table), m_warnings(warnings), m_index(index)
    {
    }

    void read(const GumboNode* tableNode)
    {
        m_table.box = boxOf(tableNode, QStringLiteral("table %1").arg(m_index + 1));
        // Row groups in display order: <thead> and <tbody> (and bare rows) as they come,
        // every <tfoot> at the end.
        std::vector<const GumboNode*> feet;
        const GumboVector& children = tableNode->v.element.children;
        std::vector<const GumboNode*> looseRows;
        const auto flushLoose = [&] {
            if (!looseRows.empty())
                readGroup(looseRows, false);
            looseRows.clear();
        };
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type != GUMBO_NODE_ELEMENT)
                continue;
            switch (child->v.element.tag) {
            case GUMBO_TAG_CAPTION:
                m_table.caption = textOf(child);
                break;
            case GUMBO_TAG_THEAD:
                flushLoose();
                readGroup(rowsOf(child), true);
                break;
            case GUMBO_TAG_TBODY:
                flushLoose();
                readGroup(rowsOf(child), false);
                break;
            case GUMBO_TAG_TFOOT:
                flushLoose();
                feet.push_back(child);
                break;
            case GUMBO_TAG_TR:
                looseRows.push_back(child);
                break;
            default:
                break;
            }
        }
        flushLoose();
        for (const GumboNode* foot : feet)
            readGroup(rowsOf(foot), false);
        m_table.rows = m_rowBase;
        int cols = 0;
        for (const HtmlCell& c : m_table.cells)
            cols = std::max(cols, c.col + c.colSpan);
        m_table.cols = cols;
    }

private:
    static std::vector<const GumboNode*> rowsOf(const GumboNode* group)
    {
        std::vector<const GumboNode*> rows;
        const GumboVector& children = group->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            const auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (isElement(child, GUMBO_TAG_TR))
                rows.push_back(child);
        }
        return rows;
    }

    std::optional<PixelBox> boxOf(const GumboNode* node, const QString& what)
    {
        if (!hasAttribute(node, "data-bbox"))
            return std::nullopt;
        const QString value = attribute(node, "data-bbox");
        std::optional<PixelBox> box = parseDataBbox(value);
        if (!box)
            m_warnings << QStringLiteral("The data-bbox \"%1\" of %2 is not four numbers; the box is left out.")
                              .arg(value, what);
        return box;
    }

    // One row group: slots taken by rowspans from earlier rows are skipped, as in a browser.
    void readGroup(const std::vector<const GumboNode*>& rows, bool headGroup)
    {
        const int groupRows = int(rows.size());
        std::vector<std::vector<char>> taken(static_cast<size_t>(groupRows));
        const auto isTaken = [&](int r, int c) { return c < int(taken[size_t(r)].size()) && taken[size_t(r)][size_t(c)]; };
        for (int r = 0; r < groupRows; ++r) {
            int c = 0;
            const GumboVector& children = rows[size_t(r)]->v.element.children;
            for (unsigned i = 0; i < children.length; ++i) {
                const auto* cellNode = static_cast<const GumboNode*>(children.data[i]);
                const bool th = isElement(cellNode, GUMBO_TAG_TH);
                if (!th && !isElement(cellNode, GUMBO_TAG_TD))
                    continue;
                while (isTaken(r, c))
                    ++c;
                HtmlCell cell;
                cell.row = m_rowBase + r;
                cell.col = c;
                cell.colSpan = spanAttribute(cellNode, "colspan", 1, 1, kMaxColSpan);
                // Browsers let such a cell overlap one spanning down from above; a grid needs one
                // cell per slot, so the colspan stops there.
                for (int k = 1; k < cell.colSpan; ++k) {
                    if (isTaken(r, c + k)) {
                        cell.colSpan = k;
                        break;
                    }
                }
                // rowspan="0" spans to the end of the row group; longer spans are clipped there.
                const int span = spanAttribute(cellNode, "rowspan", 1, 0, 65534);
                cell.rowSpan = span == 0 ? groupRows - r : std::min(span, groupRows - r);
                cell.text = textOf(cellNode);
                cell.header = th || headGroup;
                cell.box = boxOf(cellNode,
                    QStringLiteral("cell (row %1, column %2) of table %3").arg(cell.row + 1).arg(c + 1).arg(m_index + 1));
                for (int rr = r; rr < r + cell.rowSpan; ++rr) {
                    auto& line = taken[size_t(rr)];
                    if (int(line.size()) < c + cell.colSpan)
                        line.resize(size_t(c + cell.colSpan), 0);
                    std::fill(line.begin() + c, line.begin() + c + cell.colSpan, 1);
                }
                c += cell.colSpan;
                m_table.cells.push_back(std::move(cell));
            }
        }
        m_rowBase += groupRows;
    }

    HtmlTable& m_table;
    QStringList& m_warnings;
    int m_index;
    int m_rowBase = 0;
};

class DocumentReader {
public:
    explicit DocumentReader(ModelHtml& out) : m_out(out) {}

    void read(const GumboNode* root)
    {
        findTables(root, 0);
        walk(root, 0);
    }

private:
    void findTables(const GumboNode* node, int depth)
    {
        if (node->type != GUMBO_NODE_ELEMENT || depth > kMaxDepth)
            return;
        if (node->v.element.tag == GUMBO_TAG_TABLE) {
            const int index = int(m_out.tables.size());
            m_tableIndex[node] = index;
            m_out.tables.emplace_back();
            TableReader(m_out.tables.back(), m_out.warnings, index).read(node);
        }
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            findTables(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }

    void walk(const GumboNode* node, int depth)
    {
        if (node->type != GUMBO_NODE_ELEMENT)
            return;
        if (depth > kMaxDepth) {
            if (!m_warnedDepth)
                m_out.warnings << QStringLiteral("The HTML is nested deeper than %1 levels; the rest is ignored.")
                                      .arg(kMaxDepth);
            m_warnedDepth = true;
            return;
        }
        const GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE)
            return;
        if (tag == GUMBO_TAG_TABLE) {
            HtmlBlock block;
            block.tag = QStringLiteral("table");
            block.className = attribute(node, "class");
            block.table = m_tableIndex[node];
            block.box = m_out.tables[size_t(block.table)].box;
            m_out.blocks.push_back(std::move(block));
            return;
        }
        const bool boxed = hasAttribute(node, "data-bbox");
        if (boxed || isTextBlockTag(tag)) {
            HtmlBlock block;
            block.tag = tagName(node);
            block.className = attribute(node, "class");
            block.text = textOf(node);
            if (boxed) {
                const QString value = attribute(node, "data-bbox");
                block.box = parseDataBbox(value);
                if (!block.box)
                    m_out.warnings << QStringLiteral("The data-bbox \"%1\" of a <%2> is not four numbers; the box is "
                                                     "left out.")
                                          .arg(value, block.tag);
            }
            if (boxed || !block.text.isEmpty())
                m_out.blocks.push_back(std::move(block));
            return;
        }
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            walk(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }

    ModelHtml& m_out;
    std::map<const GumboNode*, int> m_tableIndex;
    bool m_warnedDepth = false;
};

} // namespace

std::optional<PixelBox> parseDataBbox(const QString& value)
{
    static const QRegularExpression number(QStringLiteral(R"([-+]?(?:\d+(?:\.\d*)?|\.\d+))"));
    static const QRegularExpression allowed(QStringLiteral(R"(^[\s\d.,+\-\[\]()]*$)"));
    if (!allowed.match(value).hasMatch())
        return std::nullopt;
    std::vector<double> v;
    auto it = number.globalMatch(value);
    while (it.hasNext())
        v.push_back(it.next().captured().toDouble());
    if (v.size() != 4)
        return std::nullopt;
    return PixelBox{v[0], v[1], v[2], v[3]};
}

ModelHtml parseModelHtml(const QString& modelText)
{
    QString html = modelText;
    for (const CodeFence& fence : findCodeFences(modelText)) {
        if (fence.label.compare(QLatin1String("html"), Qt::CaseInsensitive) == 0 || fence.content.contains(u'<')) {
            html = fence.content;
            break;
        }
    }
    const QByteArray utf8 = html.toUtf8();
    const std::unique_ptr<GumboOutput, OutputDeleter> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, utf8.constData(), size_t(utf8.size())));
    ModelHtml result;
    if (!output)
        return result;
    DocumentReader(result).read(output->root);
    return result;
}

} // namespace folio::extract
