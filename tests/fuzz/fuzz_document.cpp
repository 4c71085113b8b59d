// libFuzzer target: ingest of one PDF or image file from bytes, in process: open (type sniffing,
// Poppler or the image/TIFF decoders), then for the first pages the calls the page worker and
// the ingest job make (geometry, text layer, warning, a small render). The scratch file's
// neutral extension leaves the type to the content, as for a file named without one. .ci/fuzz
// runs it twice, on PDF and on image seeds.
#include "ingest/documentopener.h"
#include "fuzzinput.h"

#include <QCoreApplication>

#include <algorithm>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv); // image format plugins are found through it
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string& path = folio::fuzz::writeScratch(data, size, ".bin");
    auto doc = folio::ingest::openDocument(QString::fromStdString(path));
    if (!doc)
        return 0;
    const int pages = std::min((*doc)->pageCount(), 3);
    for (int page = 0; page < pages; ++page) {
        if (!(*doc)->pageInfo(page))
            continue;
        (void)(*doc)->words(page);
        (void)(*doc)->warning(page);
        (void)(*doc)->render(page, 10.0);
    }
    return 0;
}
