// folio: the composition root. Bare `folio` (or `folio gui`) opens the review window; a
// subcommand runs on the command line without touching the display.
#include "app/commands.h"
#include "app/guicommand.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <cstdio>
#include <functional>
#include <map>

namespace {

const char* const kUsage =
    "Folio: local document intelligence (Qwen2.5-VL) with a searchable library.\n"
    "\n"
    "Usage: folio <command> [options]   (folio <command> --help for details)\n"
    "\n"
    "Library:\n"
    "  ingest PATH...        add PDF, PNG, JPEG and TIFF files or folders\n"
    "  list                  documents in the library\n"
    "  info DOC              one document and its pages (DOC: id, sha256 prefix or path)\n"
    "  search \"words\"        find text across the library (PDF text layer, OCR, results)\n"
    "  ocr DOC [--lang deu+eng]  redo a document's OCR layer (Tesseract; reviews untouched)\n"
    "\n"
    "Extraction (grounded results, stored for review):\n"
    "  extract --task T PATH...  ocr | table | invoice | form | custom, with --model DIR\n"
    "                        or --engine replay --replay-dir DIR (recorded output);\n"
    "                        no model: --task invoice reads embedded e-invoices,\n"
    "                        --task ocr --engine tesseract reads text lines\n"
    "  show DOC              every stored result with page, box, value, confidence, flags\n"
    "  reparse DOC           re-parse stored raw outputs with the current parser\n"
    "  review DOC ...        correct, accept or flag values (--set F=V, --accept F, --flag F, --accept-all, --undo)\n"
    "  export DOC... --format csv|json|xlsx --out PATH\n"
    "\n"
    "The model (Qwen2.5-VL, local):\n"
    "  generate --model DIR [--image FILE]... --prompt TEXT   stream an answer\n"
    "  tokenize --tokenizer FILE [--decode]                   encode/decode stdin lines\n"
    "\n"
    "Benchmarks:\n"
    "  bench ingest FILE...  page rendering speed, compared with pdftoppm\n"
    "  bench ocr FILE...     Tesseract OCR speed (pages/s, ms/page at the dpi used)\n"
    "  bench generate --config 3b|7b --random-weights   model speed without a download\n"
    "  bench draft --tokenizer FILE   speculative decoding's gain, replayed on recorded answers\n"
    "  bench extract --engine openai --url URL --remote-model NAME --pages N --concurrency K FILE...\n"
    "                        pages/s and per-page latency through a server\n"
    "\n"
    "Common options: --db PATH (library file), --json (machine-readable output), --help\n"
    "Exit codes: 0 all fine, 1 some inputs failed (the others were still stored), 2 usage error.\n";

int printUsage(FILE* stream, int code)
{
    std::fputs(kUsage, stream);
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    if (folio::app::wantsGui(argc, argv))
        return folio::app::runGuiCommand(argc, argv); // before any QCoreApplication: it makes a QApplication
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("folio"));
    QCoreApplication::setOrganizationName(QStringLiteral("folio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FOLIO_VERSION));

    QStringList args = app.arguments().mid(1);
    // The shared options may come before the command too (`folio --db X ingest ...`).
    QStringList shared;
    while (!args.isEmpty() && (args.first() == u"--json" || args.first() == u"--db" || args.first().startsWith(u"--db="))) {
        shared << args.takeFirst();
        if (shared.last() == u"--db" && !args.isEmpty())
            shared << args.takeFirst();
    }
    if (args.isEmpty())
        return printUsage(stdout, shared.isEmpty() ? 0 : 2);
    const QString command = args.takeFirst();
    if (command == u"--help" || command == u"-h" || command == u"help")
        return printUsage(stdout, 0);
    if (command == u"--version") {
        std::printf("folio %s\n", FOLIO_VERSION);
        return 0;
    }

    using Runner = std::function<int(const QStringList&)>;
    const std::map<QString, Runner> commands{
        {QStringLiteral("ingest"), folio::app::runIngestCommand},
        {QStringLiteral("list"), folio::app::runListCommand},
        {QStringLiteral("info"), folio::app::runInfoCommand},
        {QStringLiteral("search"), folio::app::runSearchCommand},
        {QStringLiteral("extract"), folio::app::runExtractCommand},
        {QStringLiteral("show"), folio::app::runShowCommand},
        {QStringLiteral("reparse"), folio::app::runReparseCommand},
        {QStringLiteral("review"), folio::app::runReviewCommand},
        {QStringLiteral("export"), folio::app::runExportCommand},
        {QStringLiteral("ocr"), folio::app::runOcrCommand},
    };
    if (command == u"generate" || command == u"tokenize" || command == u"serve")
        return folio::app::runInferenceCommand(command, args);
    if (command == u"bench") {
        const QString what = args.isEmpty() ? QString() : args.takeFirst();
        if (what == u"ingest")
            return folio::app::runBenchIngestCommand(shared + args);
        if (what == u"ocr")
            return folio::app::runBenchOcrCommand(shared + args);
        if (what == u"generate")
            return folio::app::runInferenceCommand(command, QStringList{what} + args);
        if (what == u"draft")
            return folio::app::runBenchDraftCommand(shared + args);
        if (what == u"extract")
            return folio::app::runBenchExtractCommand(shared + args);
        std::fprintf(stderr, "folio bench: unknown benchmark '%s' (available: ingest, ocr, generate, draft, extract)\n", qPrintable(what));
        return 2;
    }
    const auto it = commands.find(command);
    if (it == commands.end()) {
        std::fprintf(stderr, "folio: unknown command '%s'\n\n", qPrintable(command));
        return printUsage(stderr, 2);
    }
    return it->second(shared + args);
}
