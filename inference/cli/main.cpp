// folio-infer: the Qt-free command-line tool of the inference layer (generate, tokenize,
// bench generate, serve). Builds with -DFOLIO_INFERENCE_ONLY=ON against any libtorch.
#include "inference/cli/benchcommand.h"
#include "inference/cli/generatecommand.h"
#include "inference/cli/servecommand.h"
#include "inference/cli/tokenizecommand.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

const char* kUsage = R"(Usage: folio-infer COMMAND [options]

Commands:
  generate          run Qwen2.5-VL on images and a prompt (folio-infer generate --help)
  tokenize          encode or decode text with a tokenizer.json (folio-infer tokenize --help)
  bench generate    time the full-size model with random weights (folio-infer bench --help)
  bench linear      time one linear layer per weight format (folio-infer bench linear --help)
  serve             OpenAI-compatible HTTP server over the model (folio-infer serve --help)
  --help            this text
)";

} // namespace

int main(int argc, char** argv)
{
    using namespace folio::inference;
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "generate")
        return runGenerateCommand(args, std::cout, std::cerr);
    if (command == "tokenize")
        return runTokenizeCommand(args, std::cin, std::cout, std::cerr);
    if (command == "serve")
        return runServeCommand(args, std::cout, std::cerr);
    if (command == "bench")
        return runBenchCommand(args, std::cout, std::cerr);
    std::cerr << "folio-infer: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}
