#pragma once

#include "extract/boxmapper.h"
#include "extract/taskprompt.h"
#include "extract/types/pageresult.h"

#include <QString>
#include <QStringList>

namespace folio::extract {

// Model confidence is not something Qwen2.5-VL reports; a freshly parsed value starts at this
// level ("read, not yet checked") and the checks move it: agreement with the text layer raises
// it, failed validation or a missing text-layer match lowers it (see pageextraction.h).
inline constexpr double kUncheckedConfidence = 0.7;

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
