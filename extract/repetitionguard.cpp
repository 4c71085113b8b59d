#include "extract/repetitionguard.h"

#include <QStringView>

namespace folio::extract {

int RepetitionGuard::loopUnit(const QString& text, int* repeats)
{
    const QStringView view(text);
    const qsizetype n = view.size();
    for (int unit = 1; unit <= kMaxUnit && unit * kMinRepeats <= n; ++unit) {
        const QStringView last = view.sliced(n - unit);
        int count = 1;
        while ((count + 1) * qsizetype(unit) <= n && view.sliced(n - (count + 1) * qsizetype(unit), unit) == last)
            ++count;
        if (count >= kMinRepeats && count * unit >= kMinSpan) {
            if (repeats)
                *repeats = count;
            return unit;
        }
    }
    return 0;
}

bool RepetitionGuard::endsInLoop(const QString& text) { return loopUnit(text, nullptr) > 0; }

QString RepetitionGuard::withoutLoop(const QString& text)
{
    int repeats = 0;
    const int unit = loopUnit(text, &repeats);
    if (unit == 0)
        return text;
    return text.left(text.size() - qsizetype(repeats - 1) * unit);
}

} // namespace folio::extract
