#pragma once

#include "extract/boxmapper.h"
#include "extract/taskprompt.h"
#include "extract/types/pageresult.h"

#include <QString>
#include <QStringList>

namespace folio::extract {

// Parsed values carry no confidence yet: extractPage scores it from the evidence the later
// steps gather (extract/confidence.h).
struct ParsedOutput {
    PageResult result;   // boxes already in page space
    bool ok = false;     // something usable was recovered
    QString error;       // why nothing could be read (the raw text is kept with the run)
    QStringList warnings;
};

// Reads a task's raw model text the way the model really writes it (fences, prose, trailing
// commas, single quotes, truncation, HTML with stray markup) into grounded results on `page`.
// Never throws; an unreadable answer gives ok == false with the reason.
ParsedOutput parseTaskOutput(const QString& task, const QString& rawText, const ModelFrame& frame, int page,
                             const std::vector<CustomField>& schema = {});

} // namespace folio::extract
