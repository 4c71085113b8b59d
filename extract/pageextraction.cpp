#include "extract/pageextraction.h"

#include "extract/confidence.h"
#include "extract/invoicevocabulary.h"
#include "extract/resultnormalizer.h"

namespace folio::extract {

PageExtraction extractPage(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                           const std::vector<ingest::Word>& words, const AnswerTokens& tokens,
                           const std::vector<CustomField>& schema, bool validate)
{
    PageExtraction out;
    out.parsed = parseTaskOutput(task, rawText, frame, page, schema);
    if (!out.parsed.ok)
        return out;
    PageResult& result = out.parsed.result;
    normalizeResult(result, task, schema);
    // The text layer first: a value it confirms keeps that evidence even if the sums fail.
    out.textLayer = checkAgainstTextLayer(result, words);
    if (task == u"invoice" && validate) {
        Table* lineItems = nullptr;
        for (Table& t : result.tables)
            if (t.name == QLatin1String(kLineItemsTable))
                lineItems = &t;
        out.validation = validateInvoice(result.fields, lineItems);
    }
    attachTokenEvidence(result, rawText, tokens);
    scoreConfidence(result);
    return out;
}

InvoiceValidation validateAcrossPages(std::vector<PageResult*>& pages)
{
    std::vector<Field> fields;
    std::vector<Field*> fieldOrigin;
    Table items;
    items.name = QString(kLineItemsTable);
    std::vector<Cell*> cellOrigin;
    int rowOffset = 0;
    bool haveHeader = false;
    for (PageResult* page : pages) {
        for (Field& f : page->fields) {
            fields.push_back(f);
            fieldOrigin.push_back(&f);
        }
        for (Table& t : page->tables) {
            if (t.name != QLatin1String(kLineItemsTable))
                continue;
            int rows = 0;
            for (Cell& c : t.cells) {
                if (c.header && haveHeader)
                    continue;
                Cell copy = c;
                copy.row = c.header ? 0 : c.row + rowOffset - (haveHeader ? 1 : 0);
                items.cells.push_back(copy);
                cellOrigin.push_back(&c);
                rows = std::max(rows, c.row + 1);
            }
            rowOffset += haveHeader ? rows - 1 : rows;
            haveHeader = true;
        }
    }
    InvoiceValidation validation = validateInvoice(fields, items.cells.empty() ? nullptr : &items);
    for (size_t i = 0; i < fields.size(); ++i) {
        fieldOrigin[i]->flags = fields[i].flags;
        fieldOrigin[i]->evidence = fields[i].evidence;
    }
    for (size_t i = 0; i < items.cells.size(); ++i) {
        cellOrigin[i]->flags = items.cells[i].flags;
        cellOrigin[i]->evidence = items.cells[i].evidence;
    }
    for (PageResult* page : pages)
        scoreConfidence(*page);
    return validation;
}

} // namespace folio::extract
