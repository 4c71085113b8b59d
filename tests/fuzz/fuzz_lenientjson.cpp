// libFuzzer target: the lenient JSON reader that turns model output into values (never fails;
// must not crash, loop or recurse past kMaxJsonDepth on any text).
#include "extract/lenientjson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const folio::extract::LenientJsonResult result = folio::extract::parseLenientJson(text);
    (void)folio::extract::jsonRepairNames(result.repairs);
    return 0;
}
