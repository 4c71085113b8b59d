#include "inference/textmodel.h"

#include "inference/kvcache.h"
#include "inference/layers.h"
#include "inference/weights.h"

#include <string>

namespace folio::inference {

namespace {

// Up to this many rows (a speculative verification step: the last token and a draft of up to
// 31) the matrices run the decode kernels in blocks of their row limit, so every row is
// computed as a one-token step computes it: greedy output with drafts must equal greedy output
// without them, and the tiled GEMM path rounds differently.
constexpr int64_t kMaxRowwiseRows = 32;

at::Tensor project(const LinearWeight& weight, const at::Tensor& x)
{
    const int64_t rows = x.size(0);
    if (rows <= LinearWeight::kMaxKernelRows || rows > kMaxRowwiseRows)
        return weight.forward(x);
    std::vector<at::Tensor> parts;
    for (int64_t r = 0; r < rows; r += LinearWeight::kMaxKernelRows)
        parts.push_back(weight.forward(x.narrow(0, r, std::min(LinearWeight::kMaxKernelRows, rows - r))));
    return at::cat(parts, 0);
}

} // namespace

TextModel::TextModel(const TextConfig& config, const Weights& weights)
    : m_config(config)
    , m_embed(weights.linear("model.embed_tokens.weight"))
    , m_norm(weights.get("model.norm.weight"))
    , m_lmHead(weights.lmHead())
{
    for (int64_t i = 0; i < config.numHiddenLayers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        m_layers.push_back({weights.get(l + "input_layernorm.weight"), weights.linear(l + "self_attn.q_proj.weight"),
                            weights.linear(l + "self_attn.k_proj.weight"), weights.linear(l + "self_attn.v_proj.weight"),
                            weights.linear(l + "self_attn.o_proj.weight"),
                            weights.get(l + "post_attention_layernorm.weight"), weights.linear(l + "mlp.gate_proj.weight"),
                            weights.linear(l + "mlp.up_proj.weight"), weights.linear(l + "mlp.down_proj.weight")});
    }
    // inv_freq = 1 / theta^(2j/headDim), float32 as the reference's non-persistent buffer.
    const at::Tensor exponents
        = at::arange(0, config.headDim, 2, at::kLong).to(at::kFloat) / static_cast<double>(config.headDim);
    m_invFreq = at::reciprocal(at::pow(config.ropeTheta, exponents)).to(m_norm.device());
}

KvCache TextModel::makeCache(int64_t capacity) const
{
    return KvCache(m_config.numHiddenLayers, m_config.numKeyValueHeads, m_config.headDim, capacity,
                   m_norm.options());
}

at::Tensor TextModel::embed(const at::Tensor& inputIds) const
{
    // Only the rows asked for are read (and dequantized, when packed).
    return m_embed.rows(inputIds, m_norm.scalar_type()).to(m_norm.device());
}

std::pair<at::Tensor, at::Tensor> TextModel::rotary(const at::Tensor& positionIds) const
{
    // angles [3, L, headDim/2] -> [3, L, headDim]; channel chunks [s0, s1, s2, s0, s1, s2] take
    // their values from axis t, h, w, t, h, w (contiguous sections, not interleaved).
    const at::Tensor angles = positionIds.to(m_invFreq.device(), at::kFloat).unsqueeze(-1) * m_invFreq;
    const at::Tensor emb = at::cat({angles, angles}, -1);
    const at::Tensor cos = emb.cos(), sin = emb.sin();
    std::vector<at::Tensor> cosParts, sinParts;
    int64_t offset = 0;
    for (int64_t i = 0; i < 6; ++i) {
        const int64_t width = m_config.mropeSection[static_cast<std::size_t>(i % 3)];
        cosParts.push_back(cos.select(0, i % 3).narrow(-1, offset, width));
        sinParts.push_back(sin.select(0, i % 3).narrow(-1, offset, width));
        offset += width;
    }
    // Rounded to the run dtype before the rotation, as the reference does.
    const at::ScalarType dtype = m_norm.scalar_type();
    return {at::cat(cosParts, -1).to(dtype), at::cat(sinParts, -1).to(dtype)};
}

at::Tensor TextModel::forward(const at::Tensor& inputsEmbeds, const at::Tensor& positionIds, KvCache& cache,
                              std::vector<at::Tensor>* hiddenStates, const LayerHook* hook) const
{
    const TextConfig& c = m_config;
    const int64_t len = inputsEmbeds.size(0);
    const int64_t heads = c.numAttentionHeads, kvHeads = c.numKeyValueHeads, headDim = c.headDim;
    const auto [cos, sin] = rotary(positionIds); // [L, headDim]

    at::Tensor h = inputsEmbeds;
    if (hiddenStates)
        hiddenStates->push_back(h);
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        if (hook)
            hook->check();
        const Layer& layer = m_layers[i];
        { // attention: [L, hidden] -> q [heads, L, headDim], k/v [kvHeads, L, headDim] -> [L, hidden]
            const at::Tensor a = rmsNorm(h, layer.inputNorm, c.rmsNormEps);
            at::Tensor q = project(layer.q, a).view({len, heads, headDim}).transpose(0, 1);
            at::Tensor k = project(layer.k, a).view({len, kvHeads, headDim}).transpose(0, 1);
            const at::Tensor v = project(layer.v, a).view({len, kvHeads, headDim}).transpose(0, 1);
            q = q * cos + rotateHalf(q) * sin;
            k = k * cos + rotateHalf(k) * sin;
            const auto [keys, values] = cache.append(static_cast<int64_t>(i), k, v);
            const at::Tensor o = attention(q, keys, values, /*causal=*/true); // [heads, L, headDim]
            h = h + project(layer.o, o.transpose(0, 1).reshape({len, heads * headDim}));
        }
        { // SwiGLU MLP, no biases
            const at::Tensor b = rmsNorm(h, layer.postNorm, c.rmsNormEps);
            const at::Tensor gate = at::silu(project(layer.gate, b));
            h = h + project(layer.down, gate * project(layer.up, b));
        }
        if (hiddenStates && i + 1 < m_layers.size())
            hiddenStates->push_back(h);
        if (hook)
            hook->finished(Stage::Prefill, static_cast<int>(i), static_cast<int>(m_layers.size()));
    }
    cache.commit(len);
    h = rmsNorm(h, m_norm, c.rmsNormEps);
    if (hiddenStates)
        hiddenStates->push_back(h);
    return h;
}

at::Tensor TextModel::logits(const at::Tensor& hidden) const
{
    return project(m_lmHead, hidden).to(at::kFloat);
}

} // namespace folio::inference
