#pragma once
// Tokenizer: the byte-level BPE of Qwen2.5-VL (and other GPT-2-style models), read from a
// Hugging Face tokenizer.json. Encoding follows the reference "fast" tokenizer:
//   1. added tokens (special or not, e.g. <|im_start|>, <tool_call>) are found first,
//      anywhere in the text, longest match first;
//   2. each stretch between them is NFC-normalised and split by the file's pre-tokenizer
//      regex (see PreTokenizer);
//   3. each piece's bytes are mapped to GPT-2's bytes_to_unicode alphabet and merged by
//      merge rank.
// Decoding maps tokens back to bytes; bytes that are not valid UTF-8 become U+FFFD (as
// Python's errors="replace"). No BOS/EOS is ever added, and no space clean-up is done.
//
// Threads: a loaded Tokenizer is immutable apart from an internal, mutex-guarded cache of
// encoded pieces, so one shared_ptr<const Tokenizer> can serve any number of threads.

#include "inference/pretokenizer.h"
#include "inference/result.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace folio::inference {

class Tokenizer {
public:
    // Reads tokenizer.json. Merges may be "a b" strings or ["a", "b"] pairs. Fails, naming
    // the file, when it is missing, is not JSON, is not a byte-level BPE model, or uses a
    // normaliser, pre-tokenizer or added-token option this class does not implement.
    static Result<std::shared_ptr<const Tokenizer>> load(const std::string& tokenizerJsonPath);

    // Token ids for `utf8`. Ill-formed UTF-8 in the input is first replaced by U+FFFD.
    // Throws only when memory runs out (std::bad_alloc, or std::runtime_error from the regex
    // engine); there is no input it rejects.
    std::vector<int32_t> encode(std::string_view utf8) const;

    // The text of `ids`. With skipSpecialTokens, added tokens marked special (e.g. <|im_end|>,
    // <|image_pad|>) are left out; non-special added tokens such as <tool_call> stay.
    // Ids outside [0, size()) decode to U+FFFD.
    std::string decode(const std::vector<int32_t>& ids, bool skipSpecialTokens = false) const;

    // The raw bytes one token stands for; possibly only part of a UTF-8 character. U+FFFD for
    // ids outside [0, size()). Building block for StreamDecoder.
    std::string_view tokenBytes(int32_t id) const;

    // The id of a vocabulary entry (in its byte-level spelling, e.g. "Ġworld") or of an added
    // token's content (e.g. "<|im_end|>").
    std::optional<int32_t> tokenId(std::string_view token) const;

    // The vocabulary entry of `id` in its byte-level spelling, or the added token's content;
    // empty for ids outside [0, size()).
    std::string token(int32_t id) const;

    // True for added tokens marked "special": true.
    bool isSpecial(int32_t id) const;

    // Number of ids: vocabulary plus added tokens (151665 for Qwen2.5-VL).
    std::size_t size() const { return m_tokens.size(); }

private:
    struct AddedToken {
        std::string content;
        int32_t id = 0;
    };
    // Lets the maps be searched with a string_view without building a std::string.
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view> {}(s); }
    };
    struct Merge {
        int32_t rank = 0;
        int32_t id = 0; // the merged token
    };

    explicit Tokenizer(PreTokenizer preTokenizer);

    void encodeSegment(std::string_view text, std::vector<int32_t>& ids) const;
    void encodePiece(std::string_view piece, std::vector<int32_t>& ids) const;
    std::vector<int32_t> bytePairMerge(std::string_view piece) const;

    PreTokenizer m_preTokenizer;
    std::vector<std::string> m_tokens; // id -> byte-level spelling / added content
    std::vector<std::string> m_bytes; // id -> the bytes it decodes to
    std::vector<bool> m_special; // id -> special added token
    std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> m_ids; // spelling -> id
    std::unordered_map<uint64_t, Merge> m_merges; // (left id << 32 | right id) -> merge
    std::array<int32_t, 256> m_byteIds {}; // byte -> id of its one-character token
    bool m_nfc = false;
    // Added tokens grouped by first byte, longest first, so the first hit is the longest match.
    std::array<std::vector<AddedToken>, 256> m_addedByFirstByte;

    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> m_cache; // piece -> ids
};

} // namespace folio::inference
