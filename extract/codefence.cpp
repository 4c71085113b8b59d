#include "extract/codefence.h"

namespace folio::extract {

std::vector<CodeFence> findCodeFences(const QString& text)
{
    static const QString kFence = QStringLiteral("```");
    std::vector<CodeFence> fences;
    qsizetype pos = 0;
    while (true) {
        const qsizetype open = text.indexOf(kFence, pos);
        if (open < 0)
            break;
        qsizetype i = open + kFence.size();
        while (i < text.size() && text[i] == u'`')
            ++i;
        // The label is a word right after the backticks; whatever else is on that line (a
        // model sometimes starts the JSON on the fence line) already belongs to the content.
        const qsizetype labelStart = i;
        while (i < text.size() && (text[i].isLetterOrNumber() || text[i] == u'_' || text[i] == u'-' || text[i] == u'+'))
            ++i;
        CodeFence fence;
        fence.label = text.mid(labelStart, i - labelStart);
        while (i < text.size() && (text[i] == u' ' || text[i] == u'\t'))
            ++i;
        if (i < text.size() && text[i] == u'\r')
            ++i;
        if (i < text.size() && text[i] == u'\n')
            ++i;
        const qsizetype close = text.indexOf(kFence, i);
        if (close < 0) {
            fence.content = text.mid(i);
            fence.closed = false;
            fences.push_back(std::move(fence));
            break;
        }
        fence.content = text.mid(i, close - i);
        fences.push_back(std::move(fence));
        pos = close + kFence.size();
        while (pos < text.size() && text[pos] == u'`')
            ++pos;
    }
    return fences;
}

} // namespace folio::extract
