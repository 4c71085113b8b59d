#include "inference/utf8.h"

#include <cstdint>

namespace folio::inference::utf8 {

namespace {

struct Sequence {
    std::size_t length = 1; // bytes consumed (at least 1)
    bool valid = false; // a complete, well-formed character
    bool truncated = false; // a valid prefix that the end of the buffer cut off
};

// Reads one character at `pos`. The allowed range of the first continuation byte depends on
// the lead byte; that is what rules out overlongs (E0, F0), surrogates (ED) and values past
// U+10FFFF (F4), exactly as the Unicode table of well-formed byte sequences does.
Sequence scan(std::string_view bytes, std::size_t pos)
{
    const auto b0 = static_cast<uint8_t>(bytes[pos]);
    if (b0 < 0x80)
        return { 1, true, false };

    std::size_t need = 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return { 1, false, false };
    }

    for (std::size_t k = 1; k <= need; ++k) {
        if (pos + k >= bytes.size())
            return { k, false, true };
        const auto b = static_cast<uint8_t>(bytes[pos + k]);
        if (b < lo || b > hi)
            return { k, false, false };
        lo = 0x80;
        hi = 0xBF;
    }
    return { need + 1, true, false };
}

} // namespace

bool isValid(std::string_view bytes)
{
    for (std::size_t pos = 0; pos < bytes.size();) {
        const Sequence s = scan(bytes, pos);
        if (!s.valid)
            return false;
        pos += s.length;
    }
    return true;
}

std::string repair(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) {
        const Sequence s = scan(bytes, pos);
        if (s.valid)
            out.append(bytes.substr(pos, s.length));
        else
            out.append(kReplacement);
        pos += s.length;
    }
    return out;
}

std::size_t incompleteTailLength(std::string_view bytes)
{
    // A character is at most 4 bytes, so an unfinished one starts within the last 3.
    for (std::size_t k = 1; k <= 3 && k <= bytes.size(); ++k) {
        const std::size_t pos = bytes.size() - k;
        const auto b = static_cast<uint8_t>(bytes[pos]);
        if (b >= 0x80 && b <= 0xBF)
            continue; // continuation byte: the character starts further back
        const Sequence s = scan(bytes, pos);
        return s.truncated ? k : 0;
    }
    return 0;
}

} // namespace folio::inference::utf8
