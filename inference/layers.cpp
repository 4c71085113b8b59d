#include "inference/layers.h"

#include "inference/kernels/attention.h"
#include "inference/kernels/isa.h"

#include <torch/version.h>

#include <cmath>
#include <limits>

namespace folio::inference {

at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps)
{
    const at::Tensor x32 = x.to(at::kFloat);
    const at::Tensor variance = x32.pow(2).mean(-1, /*keepdim=*/true);
    return weight * (x32 * at::rsqrt(variance + eps)).to(x.scalar_type());
}

at::Tensor rotateHalf(const at::Tensor& x)
{
    const int64_t half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

namespace {

// Verification steps are this wide at most (drafts of up to 31 tokens); wider causal blocks
// after a cache are computed in one product.
constexpr int64_t kMaxRowwiseQueries = 32;

// Bottom-right aligned causal mask [Lq, Lk]: true where query i may see key j.
at::Tensor causalAllowed(int64_t lq, int64_t lk, const at::Device& device)
{
    const at::Tensor rows = at::arange(lq, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(1);
    const at::Tensor cols = at::arange(lk, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(0);
    return cols <= rows + (lk - lq);
}

// q [heads, Lq, d] after k, v [kvHeads, Lk, d] on the CPU in bf16 or f32: kernels::attend.
bool cacheKernelApplies(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v)
{
    const at::ScalarType t = q.scalar_type();
    return q.device().is_cpu() && (t == at::kBFloat16 || t == at::kFloat) && k.scalar_type() == t
           && v.scalar_type() == t && k.device().is_cpu() && v.device().is_cpu();
}

#if TORCH_VERSION_MAJOR < 2
// The reference's eager attention: scores rounded to the run dtype, softmax in float32,
// probabilities rounded back before the product with v.
at::Tensor eagerAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal)
{
    const int64_t heads = q.size(0), lq = q.size(1), dim = q.size(2);
    const int64_t kvHeads = k.size(0), lk = k.size(1);
    const int64_t group = heads / kvHeads;
    const double scale = std::sqrt(static_cast<double>(dim));
    const at::Tensor masked = causal && lq > 1 ? causalAllowed(lq, lk, q.device()).logical_not() : at::Tensor();

    // Query heads of one kv head are folded into the row dimension: [Hkv, G·Lq, d] @ [Hkv, d, Lk]
    // needs no copy of the cache per query head.
    const at::Tensor qg = q.reshape({kvHeads, group * lq, dim});
    constexpr int64_t kMaxScoreElements = int64_t(1) << 25;
    const int64_t perKvHead = group * lq * lk;
    const int64_t chunk = std::max<int64_t>(1, kMaxScoreElements / std::max<int64_t>(perKvHead, 1));

    std::vector<at::Tensor> outputs;
    for (int64_t h0 = 0; h0 < kvHeads; h0 += chunk) {
        const int64_t n = std::min(chunk, kvHeads - h0);
        at::Tensor scores = at::matmul(qg.narrow(0, h0, n), k.narrow(0, h0, n).transpose(1, 2)) / scale;
        if (masked.defined())
            scores = scores.view({n, group, lq, lk})
                         .masked_fill(masked, -std::numeric_limits<double>::infinity())
                         .view({n, group * lq, lk});
        const at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
        outputs.push_back(at::matmul(probs, v.narrow(0, h0, n)));
    }
    return (outputs.size() == 1 ? outputs[0] : at::cat(outputs, 0)).view({heads, lq, dim});
}
#endif

} // namespace

at::Tensor cacheAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, kernels::Isa isa)
{
    // The kernel takes one row and head stride for k and v, and contiguous head dimensions.
    const at::Tensor qc = q.stride(2) == 1 ? q : q.contiguous();
    const bool kvAsIs = k.stride(2) == 1 && v.strides() == k.strides();
    const at::Tensor kc = kvAsIs ? k : k.contiguous(), vc = kvAsIs ? v : v.contiguous();
    const int64_t heads = q.size(0), lq = q.size(1), dim = q.size(2);
    at::Tensor out = at::empty({lq, heads, dim}, q.options());
    kernels::Attend p;
    p.bf16 = q.scalar_type() == at::kBFloat16;
    p.q = qc.data_ptr();
    p.qHeadStride = qc.stride(0);
    p.qRowStride = qc.stride(1);
    p.k = kc.data_ptr();
    p.v = vc.data_ptr();
    p.kvHeadStride = kc.stride(0);
    p.kvRowStride = kc.stride(1);
    p.out = out.data_ptr();
    p.heads = heads;
    p.kvHeads = k.size(0);
    p.lq = lq;
    p.lk = k.size(1);
    p.dim = dim;
    p.scale = static_cast<float>(std::sqrt(static_cast<double>(dim)));
    kernels::attend(isa, p);
    return out.transpose(0, 1);
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal)
{
    const int64_t queries = q.size(1), keys = k.size(1);
    if (causal && queries <= kMaxRowwiseQueries && keys > queries && cacheKernelApplies(q, k, v))
        return cacheAttention(q, k, v, kernels::activeIsa()); // decode and verification steps: every row as if alone
    if (causal && queries > 1 && queries <= kMaxRowwiseQueries && keys > queries) {
        // A few queries after a filled cache: a speculative verification step. Each row is
        // computed as the one-token decode step at its position would be (keys up to its
        // own), because bf16 kernels round differently for other shapes, and greedy output
        // with drafts must equal greedy output without them.
        std::vector<at::Tensor> rows;
        for (int64_t i = 0; i < queries; ++i) {
            const int64_t visible = keys - queries + i + 1;
            rows.push_back(attention(q.narrow(1, i, 1), k.narrow(1, 0, visible), v.narrow(1, 0, visible), causal));
        }
        return at::cat(rows, 1);
    }
#if TORCH_VERSION_MAJOR >= 2
    const int64_t group = q.size(0) / k.size(0);
    const int64_t lq = q.size(1), lk = k.size(1);
    at::Tensor kx = k, vx = v;
    if (group > 1) {
        kx = k.repeat_interleave(group, 0);
        vx = v.repeat_interleave(group, 0);
    }
    if (!causal || lq == 1)
        return at::scaled_dot_product_attention(q, kx, vx);
    if (lq == lk)
        return at::scaled_dot_product_attention(q, kx, vx, /*attn_mask=*/{}, /*dropout_p=*/0.0, /*is_causal=*/true);
    // SDPA's is_causal is top-left aligned; queries after a filled cache need the explicit mask.
    return at::scaled_dot_product_attention(q, kx, vx, causalAllowed(lq, lk, q.device()));
#else
    return eagerAttention(q, k, v, causal);
#endif
}

} // namespace folio::inference
