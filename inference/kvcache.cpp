#include "inference/kvcache.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace folio::inference {

KvCache::KvCache(int64_t layers, int64_t kvHeads, int64_t headDim, int64_t capacity, at::TensorOptions options)
    : m_capacity(std::max<int64_t>(capacity, 1))
{
    for (int64_t i = 0; i < layers; ++i) {
        m_keys.push_back(at::empty({kvHeads, m_capacity, headDim}, options));
        m_values.push_back(at::empty({kvHeads, m_capacity, headDim}, options));
    }
}

void KvCache::grow(int64_t needed)
{
    const int64_t capacity = std::max(needed, m_capacity * 2);
    for (auto* store : {&m_keys, &m_values}) {
        for (at::Tensor& t : *store) {
            at::Tensor bigger = at::empty({t.size(0), capacity, t.size(2)}, t.options());
            bigger.narrow(1, 0, m_length).copy_(t.narrow(1, 0, m_length));
            t = bigger;
        }
    }
    m_capacity = capacity;
}

void KvCache::truncate(int64_t length)
{
    if (length < 0 || length > m_length)
        throw std::out_of_range("KvCache::truncate: length " + std::to_string(length) + " outside [0, "
                                + std::to_string(m_length) + "]");
    m_length = length;
}

std::pair<at::Tensor, at::Tensor> KvCache::append(int64_t layer, const at::Tensor& k, const at::Tensor& v)
{
    const int64_t tokens = k.size(1);
    if (m_length + tokens > m_capacity)
        grow(m_length + tokens);
    at::Tensor& keys = m_keys[static_cast<std::size_t>(layer)];
    at::Tensor& values = m_values[static_cast<std::size_t>(layer)];
    keys.narrow(1, m_length, tokens).copy_(k);
    values.narrow(1, m_length, tokens).copy_(v);
    return {keys.narrow(1, 0, m_length + tokens), values.narrow(1, 0, m_length + tokens)};
}

} // namespace folio::inference
