#include "inference/tokenizer.h"

#include "inference/utf8.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <queue>

namespace folio::inference {

namespace {

using Json = nlohmann::json;

// Pieces longer than this are rare (long runs of spaces or symbols) and not worth caching.
constexpr std::size_t kMaxCachedPieceBytes = 256;
// The cache is dropped when it grows past this, which bounds its memory for endless inputs.
constexpr std::size_t kMaxCacheEntries = 1 << 16;

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes
// are given the code points 256, 257, ... in byte order, so every token is printable text.
std::array<char32_t, 256> byteToCodePoint()
{
    std::array<char32_t, 256> table {};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        table[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
    }
    return table;
}

void appendUtf8(std::string& out, char32_t cp)
{
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

// Text made only of code points below U+0300 is already NFC: that range has no combining
// marks, no singletons and no composition exclusions. In UTF-8 those are exactly the bytes
// below 0xCC (U+0300 is CC 80; continuation bytes are 80..BF), so ASCII and most European
// text skip the normaliser.
bool isNfcWithoutChecking(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0xCC; });
}

std::string nfc(std::string_view text)
{
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
        static_cast<utf8proc_ssize_t>(text.size()), &out,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    // The text is well-formed UTF-8 by now, so running out of memory is the only failure left.
    if (n < 0)
        throw std::bad_alloc();
    std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return result;
}

uint64_t pairKey(int32_t left, int32_t right)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

// The options of tokenizer.json's sections that this class implements; anything else changes
// the ids, so it is refused rather than ignored.
std::optional<std::string> checkModel(const Json& model)
{
    const std::string type = model.value("type", std::string("BPE"));
    if (type != "BPE")
        return "the model is of type '" + type + "', not a BPE model";
    if (!model.contains("vocab") || !model["vocab"].is_object())
        return std::string("the BPE model has no \"vocab\" object");
    if (!model.contains("merges") || !model["merges"].is_array())
        return std::string("the BPE model has no \"merges\" list");
    if (model.value("byte_fallback", false))
        return std::string("byte_fallback BPE models are not supported");
    if (model.value("ignore_merges", false))
        return std::string("ignore_merges BPE models are not supported");
    if (model.contains("dropout") && !model["dropout"].is_null())
        return std::string("BPE dropout is not supported");
    for (const char* key : { "continuing_subword_prefix", "end_of_word_suffix" }) {
        if (model.contains(key) && !model[key].is_null() && !model[key].get<std::string>().empty())
            return std::string("BPE \"") + key + "\" is not supported";
    }
    return std::nullopt;
}

// The Split regex of a pre_tokenizer that is Split(regex, Isolated) followed by a ByteLevel
// step without its own regex — the layout of Qwen2/2.5 and similar models.
Result<std::string> splitPattern(const Json& preTokenizer)
{
    const Error unsupported { "the pre_tokenizer is not a Split regex followed by ByteLevel(use_regex: false)" };
    if (!preTokenizer.is_object() || preTokenizer.value("type", "") != "Sequence"
        || !preTokenizer.contains("pretokenizers"))
        return unsupported;
    const Json& steps = preTokenizer["pretokenizers"];
    if (!steps.is_array() || steps.size() != 2)
        return unsupported;
    const Json& split = steps[0];
    const Json& byteLevel = steps[1];
    if (split.value("type", "") != "Split" || byteLevel.value("type", "") != "ByteLevel")
        return unsupported;
    if (byteLevel.value("use_regex", true) || byteLevel.value("add_prefix_space", false))
        return makeError("the ByteLevel pre-tokenizer step must have use_regex and add_prefix_space false");
    if (split.value("behavior", "") != "Isolated" || split.value("invert", false))
        return makeError("only a Split pre-tokenizer with behavior Isolated and invert false is supported");
    if (!split.contains("pattern") || !split["pattern"].contains("Regex"))
        return makeError("the Split pre-tokenizer has no \"Regex\" pattern");
    return split["pattern"]["Regex"].get<std::string>();
}

} // namespace

Tokenizer::Tokenizer(PreTokenizer preTokenizer)
    : m_preTokenizer(std::move(preTokenizer))
{
}

Result<std::shared_ptr<const Tokenizer>> Tokenizer::load(const std::string& tokenizerJsonPath)
{
    const auto fail
        = [&](const std::string& what) { return makeError("tokenizer " + tokenizerJsonPath + ": " + what); };

    std::ifstream file(tokenizerJsonPath, std::ios::binary);
    if (!file)
        return fail(std::string("cannot open the file (") + std::strerror(errno) + ")");

    try {
        Json json;
        try {
            json = Json::parse(file);
        } catch (const Json::parse_error& e) {
            return fail(std::string("not valid JSON: ") + e.what());
        }
        if (!json.is_object() || !json.contains("model"))
            return fail("no \"model\" section; this is not a tokenizer.json");
        const Json& model = json["model"];
        if (auto problem = checkModel(model))
            return fail(*problem);

        const Json& normalizer = json.value("normalizer", Json());
        if (!normalizer.is_null() && normalizer.value("type", "") != "NFC")
            return fail("normalizer '" + normalizer.value("type", std::string("?")) + "' is not supported (only NFC)");
        const Json& decoder = json.value("decoder", Json());
        if (!decoder.is_null() && decoder.value("type", "") != "ByteLevel")
            return fail("decoder '" + decoder.value("type", std::string("?")) + "' is not supported (only ByteLevel)");
        // A post-processor such as TemplateProcessing would add BOS/EOS ids; ByteLevel adds none.
        const Json& postProcessor = json.value("post_processor", Json());
        if (!postProcessor.is_null() && postProcessor.value("type", "") != "ByteLevel")
            return fail("post_processor '" + postProcessor.value("type", std::string("?"))
                + "' is not supported (only ByteLevel, which adds no tokens)");

        auto pattern = splitPattern(json.value("pre_tokenizer", Json()));
        if (!pattern)
            return fail(pattern.error());
        auto preTokenizer = PreTokenizer::create(*pattern);
        if (!preTokenizer)
            return fail(preTokenizer.error());

        std::shared_ptr<Tokenizer> tok(new Tokenizer(std::move(*preTokenizer)));
        tok->m_nfc = !normalizer.is_null();

        // Ids: the vocabulary, then the added tokens; together they must cover 0..N-1.
        const Json& vocab = model["vocab"];
        const Json& added = json.value("added_tokens", Json::array());
        int64_t maxId = -1;
        for (const auto& [spelling, id] : vocab.items())
            maxId = std::max<int64_t>(maxId, id.get<int64_t>());
        for (const Json& a : added)
            maxId = std::max<int64_t>(maxId, a.at("id").get<int64_t>());
        if (maxId < 0 || maxId >= INT32_MAX)
            return fail("the vocabulary is empty or has ids out of range");
        const auto count = static_cast<std::size_t>(maxId + 1);
        tok->m_tokens.resize(count);
        tok->m_bytes.resize(count);
        tok->m_special.assign(count, false);
        std::vector<bool> present(count, false);

        const auto cps = byteToCodePoint();
        std::unordered_map<char32_t, char> codePointToByte;
        for (std::size_t b = 0; b < cps.size(); ++b)
            codePointToByte[cps[b]] = static_cast<char>(b);

        for (const auto& [spelling, idJson] : vocab.items()) {
            const auto id = idJson.get<int64_t>();
            if (id < 0)
                return fail("vocabulary token '" + spelling + "' has a negative id");
            const auto i = static_cast<std::size_t>(id);
            if (present[i])
                return fail("id " + std::to_string(id) + " is used by two vocabulary tokens");
            present[i] = true;
            std::string bytes;
            const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(spelling.data());
            for (std::size_t pos = 0; pos < spelling.size();) {
                utf8proc_int32_t cp = -1;
                const auto n = utf8proc_iterate(p + pos, static_cast<utf8proc_ssize_t>(spelling.size() - pos), &cp);
                const auto it = n > 0 ? codePointToByte.find(static_cast<char32_t>(cp)) : codePointToByte.end();
                if (it == codePointToByte.end())
                    return fail("vocabulary token '" + spelling + "' (id " + std::to_string(id)
                        + ") is not written in the byte-level alphabet");
                bytes.push_back(it->second);
                pos += static_cast<std::size_t>(n);
            }
            tok->m_tokens[i] = spelling;
            tok->m_bytes[i] = std::move(bytes);
            tok->m_ids.emplace(spelling, static_cast<int32_t>(id));
        }

        for (const Json& a : added) {
            const auto id = a.at("id").get<int64_t>();
            const auto content = a.at("content").get<std::string>();
            if (id < 0 || content.empty())
                return fail("added token id " + std::to_string(id) + " has a negative id or no content");
            for (const char* flag : { "lstrip", "rstrip", "single_word" }) {
                if (a.value(flag, false))
                    return fail("added token '" + content + "' uses \"" + flag + "\", which is not supported");
            }
            const auto i = static_cast<std::size_t>(id);
            if (present[i] && tok->m_tokens[i] != content)
                return fail(
                    "added token '" + content + "' reuses id " + std::to_string(id) + " of '" + tok->m_tokens[i] + "'");
            present[i] = true;
            tok->m_tokens[i] = content;
            tok->m_bytes[i] = content;
            tok->m_special[i] = a.value("special", false);
            tok->m_ids[content] = static_cast<int32_t>(id);
            tok->m_addedByFirstByte[static_cast<unsigned char>(content[0])].push_back(
                { content, static_cast<int32_t>(id) });
        }
        for (auto& group : tok->m_addedByFirstByte)
            std::stable_sort(group.begin(), group.end(),
                [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });

        const auto gap = std::find(present.begin(), present.end(), false);
        if (gap != present.end())
            return fail("no token has id " + std::to_string(gap - present.begin()) + "; ids must be contiguous");

        const Json& merges = model["merges"];
        tok->m_merges.reserve(merges.size());
        for (std::size_t rank = 0; rank < merges.size(); ++rank) {
            const Json& m = merges[rank];
            std::string left;
            std::string right;
            if (m.is_string()) {
                const auto text = m.get<std::string>();
                const auto space = text.find(' ');
                if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
                    return fail("merge " + std::to_string(rank) + " ('" + text + "') is not two tokens");
                left = text.substr(0, space);
                right = text.substr(space + 1);
            } else if (m.is_array() && m.size() == 2) {
                left = m[0].get<std::string>();
                right = m[1].get<std::string>();
            } else {
                return fail("merge " + std::to_string(rank) + " is neither \"a b\" nor [\"a\", \"b\"]");
            }
            const auto l = tok->m_ids.find(left);
            const auto r = tok->m_ids.find(right);
            const auto merged = tok->m_ids.find(left + right);
            if (l == tok->m_ids.end() || r == tok->m_ids.end() || merged == tok->m_ids.end())
                return fail("merge " + std::to_string(rank) + " ('" + left + " " + right
                    + "') uses a token that is not in the vocabulary");
            // A pair listed twice keeps its last rank, as the reference's map-building does.
            tok->m_merges.insert_or_assign(
                pairKey(l->second, r->second), Merge { static_cast<int32_t>(rank), merged->second });
        }

        for (std::size_t b = 0; b < cps.size(); ++b) {
            std::string spelling;
            appendUtf8(spelling, cps[b]);
            const auto it = tok->m_ids.find(spelling);
            if (it == tok->m_ids.end())
                return fail("the vocabulary lacks the token for byte " + std::to_string(b));
            tok->m_byteIds[b] = it->second;
        }
        return std::shared_ptr<const Tokenizer>(std::move(tok));
    } catch (const Json::exception& e) {
        return fail(std::string("unexpected content: ") + e.what());
    }
}

std::vector<int32_t> Tokenizer::encode(std::string_view utf8) const
{
    std::string repaired;
    std::string_view text = utf8;
    if (!utf8::isValid(text)) {
        repaired = utf8::repair(text);
        text = repaired;
    }

    std::vector<int32_t> ids;
    std::size_t segmentStart = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const AddedToken* hit = nullptr;
        for (const AddedToken& candidate : m_addedByFirstByte[static_cast<unsigned char>(text[pos])]) {
            if (text.substr(pos).starts_with(candidate.content)) {
                hit = &candidate;
                break;
            }
        }
        if (!hit) {
            ++pos;
            continue;
        }
        encodeSegment(text.substr(segmentStart, pos - segmentStart), ids);
        ids.push_back(hit->id);
        pos += hit->content.size();
        segmentStart = pos;
    }
    encodeSegment(text.substr(segmentStart), ids);
    return ids;
}

void Tokenizer::encodeSegment(std::string_view text, std::vector<int32_t>& ids) const
{
    if (text.empty())
        return;
    std::string normalized;
    if (m_nfc && !isNfcWithoutChecking(text)) {
        normalized = nfc(text);
        text = normalized;
    }
    for (std::string_view piece : m_preTokenizer.split(text))
        encodePiece(piece, ids);
}

void Tokenizer::encodePiece(std::string_view piece, std::vector<int32_t>& ids) const
{
    if (piece.size() > kMaxCachedPieceBytes) {
        const auto merged = bytePairMerge(piece);
        ids.insert(ids.end(), merged.begin(), merged.end());
        return;
    }
    {
        std::lock_guard lock(m_cacheMutex);
        const auto it = m_cache.find(piece);
        if (it != m_cache.end()) {
            ids.insert(ids.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    auto merged = bytePairMerge(piece);
    ids.insert(ids.end(), merged.begin(), merged.end());
    std::lock_guard lock(m_cacheMutex);
    if (m_cache.size() >= kMaxCacheEntries)
        m_cache.clear();
    m_cache.emplace(std::string(piece), std::move(merged));
}

std::vector<int32_t> Tokenizer::bytePairMerge(std::string_view piece) const
{
    // Symbols form a linked list over the piece's bytes; a heap holds the candidate merges of
    // neighbours, lowest rank first and leftmost first among equal ranks. Candidates made
    // stale by an earlier merge are recognised on pop and dropped. O(n log n) per piece.
    struct Symbol {
        int32_t id;
        int32_t prev;
        int32_t next; // -1 at the ends
    };
    struct Candidate {
        int32_t rank;
        int32_t pos;
        int32_t left;
        int32_t right;
        int32_t merged;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };

    const auto n = static_cast<int32_t>(piece.size());
    std::vector<Symbol> symbols(static_cast<std::size_t>(n));
    for (int32_t i = 0; i < n; ++i)
        symbols[static_cast<std::size_t>(i)]
            = { m_byteIds[static_cast<unsigned char>(piece[static_cast<std::size_t>(i)])], i - 1,
                  i + 1 < n ? i + 1 : -1 };

    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    const auto consider = [&](int32_t pos) {
        if (pos < 0)
            return;
        const Symbol& s = symbols[static_cast<std::size_t>(pos)];
        if (s.next < 0)
            return;
        const int32_t right = symbols[static_cast<std::size_t>(s.next)].id;
        const auto it = m_merges.find(pairKey(s.id, right));
        if (it != m_merges.end())
            heap.push({ it->second.rank, pos, s.id, right, it->second.id });
    };
    for (int32_t i = 0; i + 1 < n; ++i)
        consider(i);

    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Symbol& s = symbols[static_cast<std::size_t>(c.pos)];
        if (s.id != c.left || s.next < 0)
            continue;
        Symbol& r = symbols[static_cast<std::size_t>(s.next)];
        if (r.id != c.right)
            continue;
        s.id = c.merged;
        s.next = r.next;
        if (r.next >= 0)
            symbols[static_cast<std::size_t>(r.next)].prev = c.pos;
        r.id = -1;
        consider(s.prev);
        consider(c.pos);
    }

    std::vector<int32_t> ids;
    for (int32_t i = n > 0 ? 0 : -1; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
        ids.push_back(symbols[static_cast<std::size_t>(i)].id);
    return ids;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const
{
    std::string bytes;
    for (const int32_t id : ids) {
        if (skipSpecialTokens && isSpecial(id))
            continue;
        bytes.append(tokenBytes(id));
    }
    return utf8::repair(bytes);
}

std::string_view Tokenizer::tokenBytes(int32_t id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= m_bytes.size())
        return utf8::kReplacement;
    return m_bytes[static_cast<std::size_t>(id)];
}

std::optional<int32_t> Tokenizer::tokenId(std::string_view token) const
{
    const auto it = m_ids.find(token);
    if (it == m_ids.end())
        return std::nullopt;
    return it->second;
}

std::string Tokenizer::token(int32_t id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= m_tokens.size())
        return {};
    return m_tokens[static_cast<std::size_t>(id)];
}

bool Tokenizer::isSpecial(int32_t id) const
{
    return id >= 0 && static_cast<std::size_t>(id) < m_special.size() && m_special[static_cast<std::size_t>(id)];
}

} // namespace folio::inference
