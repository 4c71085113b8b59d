#include "inference/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <stdexcept>

namespace folio::inference {

struct PreTokenizer::Compiled {
    pcre2_code* code = nullptr;
    pcre2_match_context* context = nullptr;
    ~Compiled()
    {
        pcre2_match_context_free(context);
        pcre2_code_free(code);
    }
};

namespace {

std::string pcre2Message(int errorCode)
{
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(errorCode, buffer, sizeof buffer) < 0)
        return "PCRE2 error " + std::to_string(errorCode);
    return reinterpret_cast<const char*>(buffer);
}

struct MatchDataDeleter {
    void operator()(pcre2_match_data* md) const { pcre2_match_data_free(md); }
};

} // namespace

PreTokenizer::PreTokenizer(std::shared_ptr<const Compiled> compiled)
    : m_compiled(std::move(compiled))
{
}

Result<PreTokenizer> PreTokenizer::create(const std::string& pattern)
{
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    auto compiled = std::make_shared<Compiled>();
    compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
        &errorCode, &errorOffset, nullptr);
    if (!compiled->code)
        return makeError("cannot compile the pre-tokenizer regex at offset " + std::to_string(errorOffset) + ": "
            + pcre2Message(errorCode));
    // PCRE2's default match limit (10 million steps) is reached by a single run of ~10 MB of
    // whitespace, whose match backtracks once per character. The work per match is linear
    // in its length, so lifting the limit cannot make a match run away.
    compiled->context = pcre2_match_context_create(nullptr);
    if (!compiled->context)
        throw std::bad_alloc();
    pcre2_set_match_limit(compiled->context, UINT32_MAX);
    // JIT only makes matching faster; where this PCRE2 build has no JIT the interpreter gives
    // the same matches, so a failure here is not an error.
    pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
    return PreTokenizer(std::move(compiled));
}

std::vector<std::string_view> PreTokenizer::split(std::string_view text) const
{
    std::vector<std::string_view> pieces;
    if (text.empty())
        return pieces;

    std::unique_ptr<pcre2_match_data, MatchDataDeleter> matchData(
        pcre2_match_data_create_from_pattern(m_compiled->code, nullptr));
    if (!matchData)
        throw std::bad_alloc();

    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t offset = 0;
    std::size_t pieceStart = 0;
    while (offset < text.size()) {
        // The caller guarantees valid UTF-8; without NO_UTF_CHECK PCRE2 would re-validate the
        // whole subject on every call, which makes splitting quadratic.
        const int rc = pcre2_match(
            m_compiled->code, subject, text.size(), offset, PCRE2_NO_UTF_CHECK, matchData.get(), m_compiled->context);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        // With the match limit lifted, what is left (JIT stack, heap) is running out of memory.
        if (rc < 0)
            throw std::runtime_error("pre-tokenizer regex failed: " + pcre2Message(rc));
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(matchData.get());
        const std::size_t start = ovector[0];
        const std::size_t end = ovector[1];
        if (end == start) {
            // An empty match isolates nothing; step over one character and look again.
            offset = start + 1;
            while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
                ++offset;
            continue;
        }
        if (start > pieceStart)
            pieces.push_back(text.substr(pieceStart, start - pieceStart));
        pieces.push_back(text.substr(start, end - start));
        pieceStart = end;
        offset = end;
    }
    if (pieceStart < text.size())
        pieces.push_back(text.substr(pieceStart));
    return pieces;
}

} // namespace folio::inference
