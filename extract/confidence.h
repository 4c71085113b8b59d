#pragma once
// How sure Folio is of one extracted value: ONE function of the measured signals
// (ConfidenceEvidence, extract/types/confidenceevidence.h), so that the review queue can rank
// what to look at first and the reviewer can see why.
//
//   confidence = sigmoid(z),  z = prior + model + page + checks + normalisation
//
//   prior          +0.85  (0.70 alone): a value Qwen2.5-VL wrote with nothing else known
//   model          0.6 · logit(p), clamped to [−3, +2], p = exp(weakest token log-prob)
//   page  agreed   +2.5 text layer; +2.0 × recogniser confidence for OCR words
//         moved    +1.0 (× recogniser confidence for OCR words)
//         mismatch −3.5 + 2.5 × similarity of value and the words under the box
//         absent   −3.0 (nothing under the box and nowhere on the page: possibly invented)
//   checks         −2.2 per failed invoice check, +0.5 per passed one (at most +1.0)
//   normalisation  ok +0.2, ambiguous −0.7, failed −1.5
//
// A signal that is missing (no token probabilities from a replayed run or a server without
// logprobs, no words on the page, no check covering the value) adds 0 and says so in the
// reasons: nothing is invented for it. Pure functions, any thread.

#include "extract/types/pageresult.h"

#include <QStringList>

namespace folio::extract {

struct ConfidenceScore {
    double value = 0.0;  // in (0, 1)
    QStringList reasons; // one per signal, strongest effect first, e.g. "printed under the box (+2.5)"
};

ConfidenceScore combineConfidence(const ConfidenceEvidence& evidence);

// Sets the confidence of every line, field and cell from its evidence; e-invoice values and
// the user's own (source "e-invoice"/"user") keep theirs, as do line-item header cells (our
// column names, not something read).
void scoreConfidence(PageResult& result);

} // namespace folio::extract
