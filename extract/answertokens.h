#pragma once
// The raw answer's tokens, as the engine produced them, and the model's own probability of each
// extracted value: the value is found in the raw text (character span), the span is mapped to
// the tokens that wrote it, and the weakest of their log-probabilities goes into the value's
// evidence (extract/confidence.h says why the weakest). Pure; any thread.

#include "extract/types/pageresult.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace folio::extract {

struct AnswerTokens {
    std::vector<int> bytes;      // per token: the UTF-8 bytes of text it added (0 for a special token
                                 // or the first part of a character that spans tokens)
    std::vector<float> logprobs; // per token: log p under the model's own distribution

    // Both lists present and of one length: the engine reported its tokens.
    bool known() const { return !logprobs.empty() && bytes.size() == logprobs.size(); }

    // The lowest log-probability among the tokens that wrote UTF-8 bytes [begin, end) of the
    // answer; nullopt when the tokens do not cover that range.
    std::optional<double> weakestLogprob(qsizetype begin, qsizetype end) const;

    // Stored with the run: "token_logprobs" (existing) and "token_bytes".
    void writeTo(QJsonObject& runParams) const;
    static AnswerTokens readFrom(const QJsonObject& runParams);
};

// Sets the model signal (ConfidenceEvidence::tokens) of every non-empty field, cell and line of
// `result`, parsed from `rawText`: Measured with the weakest log-probability of its tokens,
// NotReported when the engine gave none, NotLocated when the value is not in the raw text as
// written (the parser rewrote it, e.g. an HTML entity) or the tokens do not cover the text.
// Fields are looked for after their key ("grand_total": ...), line-item cells after their
// column's key in row order, other cells and lines in answer order.
void attachTokenEvidence(PageResult& result, const QString& rawText, const AnswerTokens& tokens);

} // namespace folio::extract
