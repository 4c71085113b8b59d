#pragma once
// StreamDecoder: turns generated token ids into text as they arrive. A token can end in the
// middle of a UTF-8 character (CJK and emoji are often split over two or three tokens), so
// the bytes of an unfinished character are held back until the token that completes it.
// Concatenating every push() and the final finish() gives exactly Tokenizer::decode() of
// all ids (with the same skip-special setting).
//
// Not thread-safe: one decoder per generation, used by the thread that generates. It keeps
// the Tokenizer alive through its shared_ptr.

#include "inference/tokenizer.h"

#include <cstdint>
#include <memory>
#include <string>

namespace folio::inference {

class StreamDecoder {
public:
    explicit StreamDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool skipSpecialTokens = false);

    // The text completed by `id`: well-formed UTF-8, possibly empty. Bytes that can never
    // form a character come out at once as U+FFFD.
    std::string push(int32_t id);

    // Flushes the held-back bytes (an unfinished character becomes U+FFFD) and starts over.
    std::string finish();

private:
    std::shared_ptr<const Tokenizer> m_tokenizer;
    bool m_skipSpecialTokens;
    std::string m_pending; // bytes of an unfinished character, at most 3
};

} // namespace folio::inference
