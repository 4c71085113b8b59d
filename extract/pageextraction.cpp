#include "extract/pageextraction.h"

#include "extract/invoicevocabulary.h"
#include "extract/resultnormalizer.h"

namespace folio::extract {

PageExtraction extractPage(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                           const std::vector<ingest::Word>& words, const std::vector<CustomField>& schema)
{
    PageExtraction out;
    out.parsed = parseTaskOutput(task, rawText, frame, page, schema);
    if (!out.parsed.ok)
        return out;
    PageResult& result = out.parsed.result;
    normalizeResult(result, task, schema);
    // The text layer first: a value it confirms keeps that evidence even if the sums fail.
    out.textLayer = checkAgainstTextLayer(result, words);
    if (task == u"invoice") {
        Table* lineItems = nullptr;
        for (Table& t : result.tables)
            if (t.name == QLatin1String(kLineItemsTable))
                lineItems = &t;
        out.validation = validateInvoice(result.fields, lineItems);
    }
    return out;
}

} // namespace folio::extract
