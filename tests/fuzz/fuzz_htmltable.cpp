// libFuzzer target: the model-HTML reader (tables with spans, blocks, data-bbox attributes).
#include "extract/htmltable.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const folio::extract::ModelHtml html = folio::extract::parseModelHtml(text);
    for (const folio::extract::HtmlBlock& block : html.blocks) {
        // A table block must point at a table the parser returned.
        if (block.table >= static_cast<int>(html.tables.size()))
            std::abort();
    }
    (void)folio::extract::parseDataBbox(text);
    return 0;
}
