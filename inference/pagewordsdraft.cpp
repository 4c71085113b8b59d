#include "inference/pagewordsdraft.h"

#include "inference/tokenizer.h"

#include <string>

namespace folio::inference {

namespace {

std::vector<int64_t> encode(const Tokenizer& tokenizer, std::string_view text)
{
    const std::vector<int32_t> ids = tokenizer.encode(text);
    return std::vector<int64_t>(ids.begin(), ids.end());
}

} // namespace

PageWordsDraft::PageWordsDraft(const std::vector<std::vector<int64_t>>& segments, std::size_t maxN) : m_index(maxN)
{
    for (const std::vector<int64_t>& segment : segments) {
        m_index.append(segment);
        m_index.endSegment();
    }
}

std::vector<std::vector<int64_t>> PageWordsDraft::tokenize(const Tokenizer& tokenizer, std::string_view pageText)
{
    std::vector<std::vector<int64_t>> segments;
    if (pageText.empty())
        return segments;
    segments.push_back(encode(tokenizer, pageText));

    std::string escaped;
    for (char c : pageText) {
        if (c == '\n')
            escaped += "\\n";
        else if (c == '"' || c == '\\')
            escaped += {'\\', c};
        else
            escaped += c;
    }
    segments.push_back(encode(tokenizer, escaped));

    std::size_t lineStart = 0;
    while (lineStart <= pageText.size()) {
        std::size_t lineEnd = pageText.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = pageText.size();
        const std::string_view line = pageText.substr(lineStart, lineEnd - lineStart);
        for (std::size_t space = line.find(' '); space != std::string_view::npos; space = line.find(' ', space + 1))
            if (space + 1 < line.size() && line[space + 1] != ' ')
                segments.push_back(encode(tokenizer, line.substr(space + 1)));
        lineStart = lineEnd + 1;
    }
    return segments;
}

Draft PageWordsDraft::propose(const std::vector<int64_t>& sequence, std::size_t /*promptLength*/, std::size_t maxTokens)
{
    const NgramIndex::Match match = m_index.longestSuffixMatch(sequence);
    return {m_index.continuation(match, maxTokens), match.length};
}

} // namespace folio::inference
