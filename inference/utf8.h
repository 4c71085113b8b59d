#pragma once
// UTF-8 byte-sequence rules shared by the tokenizer and the streaming decoder: repairing
// invalid input the way Python's bytes.decode("utf-8", errors="replace") does, and finding
// a character that is cut off at the end of a buffer. Pure functions; any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace folio::inference::utf8 {

// U+FFFD REPLACEMENT CHARACTER, as UTF-8.
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool isValid(std::string_view bytes);

// `bytes` with every ill-formed part replaced by U+FFFD, one per maximal invalid subpart
// (the Unicode "substitution of maximal subparts" practice that Python and Rust follow).
std::string repair(std::string_view bytes);

// Length of the trailing bytes of `bytes` that begin a character but do not finish it, and
// that could still become valid when more bytes follow (0 when the buffer ends cleanly or
// the tail can never become valid).
std::size_t incompleteTailLength(std::string_view bytes);

} // namespace folio::inference::utf8
