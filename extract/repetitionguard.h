#pragma once

#include <QString>

namespace folio::extract {

// Detects a generation that has fallen into a loop: the tail of the text is one unit
// (1..kMaxUnit characters) repeated back to back at least kMinRepeats times over at least
// kMinSpan characters. Small models at low temperature do this on long tables ("...},{...},"
// identical forever); stopping early saves minutes per page. Real documents rarely repeat a
// long stretch verbatim; the span threshold keeps short runs (a row of dashes) legitimate.
class RepetitionGuard {
public:
    static constexpr int kMaxUnit = 256;
    static constexpr int kMinRepeats = 3;
    static constexpr int kMinSpan = 240;

    // True when `text` ends in a loop. Cheap enough to call every few tokens.
    static bool endsInLoop(const QString& text);

    // The text with the looping tail cut back to its first occurrence (keeps what came before).
    static QString withoutLoop(const QString& text);

private:
    // Length of the repeating unit at the end of `text`, or 0.
    static int loopUnit(const QString& text, int* repeats);
};

} // namespace folio::extract
