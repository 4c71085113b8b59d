// libFuzzer target: the e-invoice XML readers (CII / Factur-X / XRechnung, ZUGFeRD 1.0, UBL
// Invoice and CreditNote), dispatched by root element and namespace as for an attachment.
#include "extract/einvoice/einvoice.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray xml = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    auto invoice = folio::extract::parseEInvoice(xml, QStringLiteral("fuzz.xml"));
    if (invoice && *invoice) {
        for (const folio::extract::Field& field : (*invoice)->fields)
            (void)(*invoice)->field(field.name);
    }
    return 0;
}
