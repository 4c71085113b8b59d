#pragma once
// Dates as written on documents → ISO 8601 (YYYY-MM-DD). The raw text stays with the field
// (Field::value); this gives Field::normalized. Pure functions, no thread affinity.
//
// Read: 15.03.2026, 15/03/2026, 03/15/2026, 2026-03-15 (also with a time), 2026/3/15,
// 20260315, 15 March 2026, March 15, 2026, 15-Mar-26, 15th of March 2026, Sunday, 15 March
// 2026, 15. März 2026, 15 mars 2026, 15 de marzo de 2026, 2026年3月15日, 2026년 3월 15일,
// full-width digits. Month names: English, German, French, Spanish, Italian, Dutch, Portuguese.
// Two-digit years: 00-69 → 20xx, 70-99 → 19xx (the POSIX %y rule).
// Day and month both <= 12 (03/04/2026) is ambiguous: the result carries Flag::AmbiguousDate
// and is resolved by `order`; with DateOrder::Unknown, day first. Dots (03.04.2026) are the
// day-first convention: with Unknown order they are read day first without the flag.

#include "extract/normalizedvalue.h"

#include <QString>

namespace folio::extract {

// Which of day and month comes first in purely numeric dates, from the document's language or
// locale or other dates on it; Unknown when there is no hint.
enum class DateOrder { DayFirst, MonthFirst, Unknown };

NormalizedValue normalizeDate(const QString& raw, DateOrder order = DateOrder::Unknown);

} // namespace folio::extract
