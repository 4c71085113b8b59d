#pragma once
// Markdown code fences in model output: Qwen2.5-VL wraps JSON and HTML in ```json / ```html
// blocks, sometimes several, sometimes with prose around them, and at the token limit the
// closing fence is missing. Pure function, no thread affinity.

#include <QString>

#include <vector>

namespace folio::extract {

struct CodeFence {
    QString label;   // the info string after the opening ```, e.g. "json"; empty if unlabelled
    QString content; // the text between the fences (without the label line)
    bool closed = true; // false when the text ended before the closing ```
};

// All ``` fenced blocks of the text, in order. Empty when the text has no fence.
std::vector<CodeFence> findCodeFences(const QString& text);

} // namespace folio::extract
