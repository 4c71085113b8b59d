#pragma once
// Per-layer key/value cache of the text decoder for one sequence (batch 1). Keys are stored
// after RoPE. Storage is preallocated ([Hkv, capacity, headDim] per layer, run dtype, model
// device) so decode steps write in place instead of concatenating; it grows by reallocation if
// a sequence outlives the capacity.
//
// Owned by the generator of one request; not thread-safe.

#include <ATen/ATen.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace folio::inference {

class KvCache {
public:
    KvCache(int64_t layers, int64_t kvHeads, int64_t headDim, int64_t capacity, at::TensorOptions options);

    // Tokens committed so far (the next token's cache position).
    int64_t length() const { return m_length; }

    // Writes k, v [Hkv, L, headDim] for `layer` after the committed tokens and returns views of
    // the layer's whole cache including them, [Hkv, length()+L, headDim]. Every layer of one
    // forward pass appends the same L; commit(L) then advances length().
    std::pair<at::Tensor, at::Tensor> append(int64_t layer, const at::Tensor& k, const at::Tensor& v);
    void commit(int64_t tokens) { m_length += tokens; }

    // Forgets every token after the first `length` (speculative decoding drops the rejected
    // tail of a verified draft this way): only the length moves, nothing is copied; later
    // appends overwrite the dropped rows. `length` must not exceed length().
    void truncate(int64_t length);

private:
    void grow(int64_t needed);

    std::vector<at::Tensor> m_keys, m_values;
    int64_t m_capacity = 0;
    int64_t m_length = 0;
};

} // namespace folio::inference
