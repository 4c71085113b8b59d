#pragma once
// The outcome of normalising one raw value (a date, an amount, a percentage): the canonical
// text, or a reason why there is none. Never an exception. Plain value type.

#include "extract/types/flags.h"

#include <QString>

namespace folio::extract {

struct NormalizedValue {
    QString value;    // canonical text ("2026-03-15", "1234.56", "19"); empty when !ok()
    QString currency; // ISO 4217 code for amounts when one is written or implied; else empty
    Flags flags;      // e.g. AmbiguousDate, AmbiguousNumber, AmbiguousCurrency; Unparsed when !ok()
    QString error;    // user-facing reason when the raw text could not be read

    bool ok() const { return error.isEmpty(); }
};

} // namespace folio::extract
