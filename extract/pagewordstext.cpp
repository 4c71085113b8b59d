#include "extract/pagewordstext.h"

namespace folio::extract {

QString pageWordsText(const std::vector<ingest::Word>& words)
{
    QString text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            text += words[i].line == words[i - 1].line ? QLatin1Char(' ') : QLatin1Char('\n');
        text += words[i].text;
    }
    return text;
}

} // namespace folio::extract
