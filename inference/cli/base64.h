#pragma once
// Standard base64 (RFC 4648 §4, with padding; line breaks and other whitespace ignored), as
// used by data: URLs. Pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace folio::inference {

// The decoded bytes, or nothing when the text is not valid base64.
std::optional<std::string> decodeBase64(std::string_view text);

} // namespace folio::inference
