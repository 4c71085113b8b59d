#include "inference/streamdecoder.h"

#include "inference/utf8.h"

namespace folio::inference {

StreamDecoder::StreamDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool skipSpecialTokens)
    : m_tokenizer(std::move(tokenizer))
    , m_skipSpecialTokens(skipSpecialTokens)
{
}

std::string StreamDecoder::push(int32_t id)
{
    if (m_skipSpecialTokens && m_tokenizer->isSpecial(id))
        return {};
    m_pending.append(m_tokenizer->tokenBytes(id));
    // Cutting just before an unfinished character is safe: it starts with a lead byte, which
    // no earlier sequence can absorb, so the head repairs exactly as it would inside the
    // whole text.
    const std::size_t keep = utf8::incompleteTailLength(m_pending);
    std::string text = utf8::repair(std::string_view(m_pending).substr(0, m_pending.size() - keep));
    m_pending.erase(0, m_pending.size() - keep);
    return text;
}

std::string StreamDecoder::finish()
{
    std::string text = utf8::repair(m_pending);
    m_pending.clear();
    return text;
}

} // namespace folio::inference
