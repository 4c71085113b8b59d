#pragma once
// PreTokenizer: the `Split` step of a Hugging Face tokenizer.json (behaviour "Isolated",
// not inverted): text is cut into the regex's matches and the stretches between them, each
// becoming one pre-token that BPE then works on alone. The pattern is compiled with PCRE2
// in UTF + UCP mode (JIT when available), which gives \p{L}, \p{N}, \s and (?i) their Unicode
// meanings, as the regex engines of the reference tokenizers do.
//
// Immutable after create(); split() may be called from any number of threads at once.

#include "inference/result.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace folio::inference {

class PreTokenizer {
public:
    // Compiles `pattern`; the error names the pattern position PCRE2 complains about.
    static Result<PreTokenizer> create(const std::string& pattern);

    // The pieces of `text`, in order; they concatenate back to `text`. `text` must be
    // well-formed UTF-8 (the caller repairs it first). The views point into `text`.
    std::vector<std::string_view> split(std::string_view text) const;

private:
    struct Compiled;
    explicit PreTokenizer(std::shared_ptr<const Compiled> compiled);

    std::shared_ptr<const Compiled> m_compiled;
};

} // namespace folio::inference
