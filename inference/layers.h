#pragma once
// Numerical building blocks shared by the vision encoder and the text decoder, written to
// round where the Hugging Face reference rounds (spec section 10). Stateless free functions;
// any thread.

#include <ATen/ATen.h>

namespace folio::inference {

namespace kernels {
enum class Isa; // kernels/isa.h
}

// Qwen2 RMSNorm: normalise in float32, round to x's dtype, then multiply by the weight in that
// dtype (not fused in float32, which would change the last bit).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps);

// cat(-x[..., d/2:], x[..., :d/2]) over the last dimension.
at::Tensor rotateHalf(const at::Tensor& x);

// softmax(q kᵀ / sqrt(d)) v for one sequence.
// q: [H, Lq, d]; k, v: [Hkv, Lk, d] with H a multiple of Hkv (grouped-query attention: kv head g
// serves query heads g·G … g·G+G−1, G = H/Hkv). `causal`: query i sees keys 0 … Lk−Lq+i (the
// queries are the last Lq positions). Returns [H, Lq, d] in q's dtype.
// 1 … 32 causal queries after a filled cache (decode, and the verification steps of speculative
// decoding) are computed one query row at a time, each exactly as a one-token decode step would
// be: on the CPU in bf16 / f32 by kernels::attend, elsewhere by a loop over rows.
// libtorch >= 2.0 runs scaled_dot_product_attention (flash / efficient kernels on CUDA);
// older versions run the reference's eager form (scores in the run dtype, softmax in float32),
// in chunks of heads so long sequences do not allocate every head's score matrix at once.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal);

// The CPU kernel attention() uses after a cache (kernels/attention.h) on a given path: q
// [H, Lq, d], k, v [Hkv, Lk, d] on the CPU, all bf16 or all f32, Lk >= Lq, causal. [H, Lq, d].
at::Tensor cacheAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, kernels::Isa isa);

} // namespace folio::inference
