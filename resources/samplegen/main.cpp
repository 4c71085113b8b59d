// folio-samplegen: writes Folio's bundled sample documents and their truth files.
// Usage: folio-samplegen <output dir>   (normally resources/samples)
// Everything it writes is deterministic: run it twice and the files are byte-identical.

#include "chineseinvoice.h"
#include "fontset.h"
#include "invoicemodel.h"
#include "invoicerenderer.h"
#include "scansample.h"
#include "tablesample.h"
#include "zugferdsample.h"

#include <QDir>
#include <QGuiApplication>
#include <QHashFunctions>
#include <QStringList>

#include <cstdio>

using namespace folio::samplegen;

namespace {

int fail(const std::string& message)
{
    std::fprintf(stderr, "folio-samplegen: %s\n", message.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    // QPdfWriter embeds fonts in QHash order, and QHash is seeded randomly per process: without
    // a fixed seed the regular and bold subsets swap places between runs.
    QHashSeed::setDeterministicGlobalSeed();
    // Fonts and QPdfWriter need a QGuiApplication, but no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 2)
        return fail("usage: folio-samplegen <output dir>, e.g. folio-samplegen resources/samples");
    const QString dir = args.at(1);
    if (!QDir().mkpath(dir))
        return fail("cannot create the output folder " + dir.toStdString());

    const auto fonts = FontSet::load();
    if (!fonts)
        return fail(fonts.error());

    const std::vector<Invoice> invoices = sampleInvoices();
    for (const Invoice& invoice : invoices)
        if (auto r = writeInvoiceSample(invoice, *fonts, dir); !r)
            return fail(r.error());
    // The two-page invoice again as a ZUGFeRD 1.0 e-invoice (its totals are printed on page 2).
    if (auto r = writeZugferd1Sample(invoices.at(1), dir); !r)
        return fail(r.error());
    if (auto r = writeTableSample(*fonts, dir); !r)
        return fail(r.error());
    if (auto r = writeScanSample(invoices.front(), *fonts, dir); !r)
        return fail(r.error());
    if (auto r = writeChineseInvoice(*fonts, dir); !r)
        return fail(r.error());
    std::printf("folio-samplegen: wrote the samples to %s\n", qPrintable(QDir(dir).absolutePath()));
    return 0;
}
