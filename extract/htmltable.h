#pragma once
// Reads the HTML Qwen2.5-VL writes for tables and documents (spec §9): fenced or bare, with
// stray markup and unclosed tags (parsed by gumbo, an HTML5 parser, the way a browser would).
//
// Tables become grids: every <td>/<th> gets the row and column of its top-left slot, resolved
// with an occupancy grid like a browser's table model (rowspan/colspan, rows of <thead>,
// <tbody> and <tfoot> in display order, rowspans clipped at the end of their row group). Unlike
// a browser it never lets two cells overlap: each grid slot belongs to at most one cell.
// The QwenVL-HTML document format (<h2 data-bbox="x1 y1 x2 y2">, <p data-bbox=...>, ...)
// becomes text blocks in reading order.
//
// Boxes are returned raw, in model pixels as written in `data-bbox`: turning them into page
// Boxes is mapModelBox's job (extract/boxmapper.h). Pure function, no thread affinity.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace folio::extract {

// A box as the model wrote it: pixels of the resized model input, corners possibly swapped.
struct PixelBox {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    friend bool operator==(const PixelBox&, const PixelBox&) = default;
};

struct HtmlCell {
    int row = 0; // grid slot of the top-left corner, 0-based; header rows count as rows
    int col = 0;
    int rowSpan = 1; // >= 1, clipped to the rows of the cell's row group
    int colSpan = 1; // 1..1000, cut short where it would overlap a cell spanning down from above
    QString text;    // whitespace collapsed, trimmed; <br> and paragraph breaks become '\n'
    bool header = false; // a <th>, or any cell of a <thead>
    std::optional<PixelBox> box; // from the cell's data-bbox
};

struct HtmlTable {
    std::vector<HtmlCell> cells; // in source order of the rows as displayed (thead, tbody..., tfoot)
    int rows = 0; // grid size
    int cols = 0;
    QString caption;
    std::optional<PixelBox> box; // from the <table>'s data-bbox
};

// One element of a QwenVL-HTML document: an element carrying data-bbox (the outermost one
// where they nest), a table, or a text element (p, h1-h6, li, ...) without a box.
struct HtmlBlock {
    QString tag;       // lower-case element name: "h2", "p", "div", "img", "table", ...
    QString className; // the class attribute ("image", "formula", ...)
    QString text;      // as for cells; empty for tables and images
    std::optional<PixelBox> box;
    int table = -1; // index into ModelHtml::tables for a "table" block
};

struct ModelHtml {
    std::vector<HtmlTable> tables; // every <table> in document order, nested ones included
    std::vector<HtmlBlock> blocks; // reading order
    QStringList warnings;          // what was unreadable (e.g. a malformed data-bbox)
};

// Parses model output holding HTML: the first ``` fence labelled html (or holding markup) if
// there is one, else the whole text. Never fails: text without markup gives empty lists.
ModelHtml parseModelHtml(const QString& modelText);

// Reads "x1 y1 x2 y2" (also with commas or brackets); nullopt unless exactly four numbers.
std::optional<PixelBox> parseDataBbox(const QString& value);

} // namespace folio::extract
