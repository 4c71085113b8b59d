#include "inference/cli/tokenizecommand.h"

#include "inference/tokenizer.h"
#include "inference/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <istream>
#include <optional>
#include <ostream>

namespace folio::inference {

namespace {

constexpr const char* kUsage = "usage: tokenize --tokenizer FILE [--json] [--decode]\n"
                               "  Encodes each line of stdin to space-separated token ids.\n"
                               "  --tokenizer FILE  the model's tokenizer.json\n"
                               "  --decode          read lines of space-separated ids and print their text\n"
                               "  --json            print one JSON object per line: {\"text\": ..., \"ids\": [...]}\n"
                               "  --help            show this help\n"
                               "Exit status: 0 ok, 1 some input line was bad, 2 usage error.\n";

struct Options {
    std::string tokenizerPath;
    bool json = false;
    bool decode = false;
};

// Parses the ids of one --decode line, or says what is wrong with it.
Result<std::vector<int32_t>> parseIds(const std::string& line, std::size_t vocabularySize)
{
    std::vector<int32_t> ids;
    std::size_t pos = 0;
    while (true) {
        pos = line.find_first_not_of(" \t\r", pos);
        if (pos == std::string::npos)
            return ids;
        const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
        const std::string word = line.substr(pos, end - pos);
        int64_t id = -1;
        const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
        if (ec != std::errc() || ptr != word.data() + word.size())
            return makeError("'" + word + "' is not a token id");
        if (id < 0 || static_cast<std::size_t>(id) >= vocabularySize)
            return makeError(
                "id " + word + " is outside the vocabulary (0.." + std::to_string(vocabularySize - 1) + ")");
        ids.push_back(static_cast<int32_t>(id));
        pos = end;
    }
}

void writeResult(std::ostream& out, const Options& options, const std::string& text, const std::vector<int32_t>& ids)
{
    if (options.json) {
        nlohmann::ordered_json object;
        object["text"] = text;
        object["ids"] = ids;
        out << object.dump() << '\n';
    } else if (options.decode) {
        out << text << '\n';
    } else {
        for (std::size_t i = 0; i < ids.size(); ++i)
            out << (i ? " " : "") << ids[i];
        out << '\n';
    }
}

} // namespace

int runTokenizeCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err)
{
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--json") {
            options.json = true;
        } else if (a == "--decode") {
            options.decode = true;
        } else if (a == "--tokenizer" && i + 1 < args.size()) {
            options.tokenizerPath = args[++i];
        } else if (a.starts_with("--tokenizer=")) {
            options.tokenizerPath = a.substr(std::string("--tokenizer=").size());
        } else {
            err << "tokenize: " << (a == "--tokenizer" ? "--tokenizer needs a file" : "unknown argument '" + a + "'")
                << "\n"
                << kUsage;
            return 2;
        }
    }
    if (options.tokenizerPath.empty()) {
        err << "tokenize: --tokenizer FILE is required\n" << kUsage;
        return 2;
    }
    const auto tokenizer = Tokenizer::load(options.tokenizerPath);
    if (!tokenizer) {
        err << "tokenize: " << tokenizer.error() << "\n";
        return 2;
    }

    int status = 0;
    std::string line;
    for (std::size_t lineNumber = 1; std::getline(in, line); ++lineNumber) {
        if (options.decode) {
            const auto ids = parseIds(line, (*tokenizer)->size());
            if (!ids) {
                err << "tokenize: line " << lineNumber << ": " << ids.error() << "; skipped\n";
                status = 1;
                continue;
            }
            writeResult(out, options, (*tokenizer)->decode(*ids), *ids);
        } else {
            // Encoding would quietly turn broken bytes into U+FFFD; on the command line the
            // user should hear that the input is not what they think it is.
            if (!utf8::isValid(line)) {
                err << "tokenize: line " << lineNumber << ": not valid UTF-8; skipped\n";
                status = 1;
                continue;
            }
            writeResult(out, options, line, (*tokenizer)->encode(line));
        }
    }
    return status;
}

} // namespace folio::inference
