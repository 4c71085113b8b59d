// libFuzzer target: the date and amount normalisers on any text, with the first input byte
// choosing the date order and the amount context (decimal separator, currency meanings).
#include "extract/amountnormalizer.h"
#include "extract/datenormalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    using namespace folio::extract;
    const uint8_t mode = data[0];
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data + 1), static_cast<qsizetype>(size - 1));
    const DateOrder orders[] = {DateOrder::DayFirst, DateOrder::MonthFirst, DateOrder::Unknown};
    (void)normalizeDate(text, orders[mode % 3]);
    AmountContext context;
    const QChar separators[] = {QChar(), QLatin1Char('.'), QLatin1Char(',')};
    context.decimalSeparator = separators[(mode / 3) % 3];
    if (mode & 0x40)
        context.yenCurrency = QStringLiteral("JPY");
    if (mode & 0x80)
        context.dollarCurrency = QStringLiteral("CAD");
    (void)normalizeAmount(text, context);
    (void)normalizePercent(text);
    return 0;
}
