#pragma once
// ConfidenceEvidence: the signals behind one value's confidence, as the pipeline measured them
// (extract/confidence.h combines them into the number). Kept with every line, field and cell
// and stored beside it, so re-running only the invoice checks (after an edit) can recompute the
// confidence from the other signals instead of multiplying an old number, and the review app can
// show why a value is doubted. Plain value type; the text form is stored, so its keys are never
// renamed.

#include <QString>

namespace folio::extract {

struct ConfidenceEvidence {
    // (a) The model's own probability of what it wrote.
    enum class Tokens {
        Unknown,     // not looked at (a user's value, a row stored before evidence was kept)
        NotReported, // the engine gives no token probabilities (a replayed recording, a server without logprobs)
        NotLocated,  // the value could not be found in the raw answer (e.g. rewritten by the parser)
        Measured,    // weakestLogprob holds the lowest log p over the value's tokens
    };
    Tokens tokens = Tokens::Unknown;
    double weakestLogprob = 0.0;

    // (b) The words printed on the page (PDF text layer or OCR) against the value.
    enum class Page {
        Unknown,   // not compared
        NoWords,   // the page has no text layer and no OCR words
        Agreed,    // printed under the value's box (or, without a box, on the page)
        Moved,     // printed elsewhere on the page; the box was moved there
        Mismatch,  // other text under the box; pageScore = similarity of the two
        NotOnPage, // nothing under the box, and the value is nowhere on the page
    };
    Page page = Page::Unknown;
    bool pageOcr = false;   // the words compared are OCR's (a reader of its own that can err), not the text layer
    double pageScore = 0.0; // Agreed/Moved: the words' recogniser confidence (1 for the text layer);
                            // Mismatch: letter-and-digit similarity in [0,1) of value and words

    // (c) Invoice checks the value took part in.
    int checksPassed = 0;
    int checksFailed = 0;
    bool unvalidated = false; // a check that would have covered it could not run

    // (d) Normalisation of the value (date, amount, percent, currency).
    enum class Normalization {
        Unknown,       // not attempted
        NotApplicable, // free text: nothing to normalise
        Ok,
        Ambiguous,     // read, but one of several readings (03/04/2026, 1.234, ¥)
        Failed,        // could not be read as the kind of value it should be
    };
    Normalization normalization = Normalization::Unknown;

    // "tok=-0.105;page=agree:text:1;norm=ok;checks=1/0": only known signals are written.
    QString toText() const;
    // Parses toText(); unknown keys and bad numbers leave that signal Unknown (a newer Folio's
    // keys are ignored, never misread). Empty text: everything Unknown.
    static ConfidenceEvidence fromText(const QString& text);

    friend bool operator==(const ConfidenceEvidence&, const ConfidenceEvidence&) = default;
};

} // namespace folio::extract
