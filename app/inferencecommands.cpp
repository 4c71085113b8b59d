// generate, tokenize, serve and bench generate: the Qt-free implementations in inference/cli, which
// the standalone folio-infer runs too; this only hands them the arguments and streams.
#include "app/commands.h"

#include "inference/cli/benchcommand.h"
#include "inference/cli/generatecommand.h"
#include "inference/cli/servecommand.h"
#include "inference/cli/tokenizecommand.h"

#include <iostream>

namespace folio::app {

int runInferenceCommand(const QString& command, const QStringList& args)
{
    std::vector<std::string> argv;
    for (const QString& a : args)
        argv.push_back(a.toStdString());
    if (command == u"generate")
        return inference::runGenerateCommand(argv, std::cout, std::cerr);
    if (command == u"serve")
        return inference::runServeCommand(argv, std::cout, std::cerr);
    if (command == u"tokenize")
        return inference::runTokenizeCommand(argv, std::cin, std::cout, std::cerr);
    // "bench generate ...": the benchmark takes its own name as the first argument.
    return inference::runBenchCommand(argv, std::cout, std::cerr);
}

} // namespace folio::app
