#pragma once
// The `tokenize` command: the model's tokenizer on the command line, for checking prompts
// and debugging generations.
//
//   tokenize --tokenizer FILE [--json] [--decode]
//
// Reads stdin line by line (without the newline). By default each line is encoded and its
// ids are written space-separated, one line per input line; with --decode each line of
// space-separated ids is decoded instead. With --json every output line is a JSON object
// {"text": ..., "ids": [...]}, which also keeps decoded text that contains newlines on one
// line. Qt-free; runs on the calling thread.

#include <iosfwd>
#include <string>
#include <vector>

namespace folio::inference {

// `args` are the arguments after the command name. Returns the exit status: 0 when every
// line was handled, 1 when some input line was bad (reported on `err`, the others are still
// processed), 2 for a usage error or a tokenizer file that cannot be loaded.
int runTokenizeCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

} // namespace folio::inference
