// libFuzzer target: the fixture model's tokenizer (FOLIO_FUZZ_TOKENIZER, a tokenizer.json) on
// arbitrary bytes. encode never fails; decode(encode(x)) is x made valid UTF-8 and NFC, so it
// is a fixed point of the round trip, and it is x itself for ASCII; decoding arbitrary ids
// (the input read as int32s) stays in bounds.
#include "inference/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

std::shared_ptr<const folio::inference::Tokenizer> g_tokenizer;

void check(bool ok, const char* what, std::size_t size)
{
    if (!ok) {
        std::fprintf(stderr, "tokenizer round trip: %s (input of %zu bytes)\n", what, size);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    const char* path = std::getenv("FOLIO_FUZZ_TOKENIZER");
    if (!path) {
        std::fputs("set FOLIO_FUZZ_TOKENIZER to a tokenizer.json (../shared/fixtures/qwen25vl-tiny)\n", stderr);
        std::exit(2);
    }
    auto loaded = folio::inference::Tokenizer::load(path);
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.error().c_str());
        std::exit(2);
    }
    g_tokenizer = *loaded;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string once = g_tokenizer->decode(g_tokenizer->encode(text));
    check(g_tokenizer->decode(g_tokenizer->encode(once)) == once, "decode(encode(y)) != y for y = decode(encode(x))",
          size);
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    check(!ascii || once == text, "decode(encode(x)) != x for ASCII x", size);

    std::vector<int32_t> ids(size / sizeof(int32_t));
    if (!ids.empty())
        std::memcpy(ids.data(), data, ids.size() * sizeof(int32_t));
    (void)g_tokenizer->decode(ids, true);
    for (int32_t id : ids) {
        (void)g_tokenizer->tokenBytes(id);
        (void)g_tokenizer->token(id);
        (void)g_tokenizer->isSpecial(id);
    }
    return 0;
}
