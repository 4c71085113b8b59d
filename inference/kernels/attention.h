#pragma once
// Causal attention of a few query rows after a filled key/value cache: decode steps and
// speculative verification steps (one call per layer). libtorch 1.13's bf16 batched matmuls
// at these shapes cost ~0.7 ms per layer and query row on two cores, a quarter of an int4
// decode step; this reads the cache once per row with f32 multiply-adds instead.
//
// Every query row is computed on its own, in the same order of operations whatever lq is: a
// verification step over k rows gives bit for bit what k one-token steps give, so greedy output
// with drafts equals greedy output without them. With bf16 elements the reference's eager
// roundings are kept: scores rounded to bf16, divided by the scale and rounded again; softmax
// in f32; probabilities rounded to bf16; f32 sums of p · v rounded to bf16.

#include <cstdint>

namespace folio::inference::kernels {

enum class Isa; // isa.h

struct Attend {
    bool bf16 = true; // elements of q, k, v and out: bf16 (uint16) or f32
    // q[h][i][e] at q + h · qHeadStride + i · qRowStride + e
    const void* q = nullptr;
    int64_t qHeadStride = 0, qRowStride = 0;
    // k[g][j][e], v[g][j][e] likewise; query head h reads kv head h / (heads / kvHeads)
    const void* k = nullptr;
    const void* v = nullptr;
    int64_t kvHeadStride = 0, kvRowStride = 0;
    // out [lq][heads][dim], contiguous: the layout the output projection takes
    void* out = nullptr;
    int64_t heads = 0, kvHeads = 0, lq = 0, lk = 0, dim = 0;
    float scale = 1.0f; // scores are divided by it (√dim)
};

// Query row i sees keys [0, lk − lq + i] (bottom-right aligned); lk >= lq >= 1. Threaded over
// (head, row) pairs.
void attend(Isa isa, const Attend& p);

// The per-ISA kernels for tasks [t0, t1) (task t: head t / lq, row t % lq), single-threaded;
// scratch: lk + 2 · dim + 16 floats.
// Defined in attention_<isa>.cpp from attentionkernel.h.
void attendScalar(const Attend& p, int64_t t0, int64_t t1, float* scratch);
void attendAvx2(const Attend& p, int64_t t0, int64_t t1, float* scratch);
void attendAvx512(const Attend& p, int64_t t0, int64_t t1, float* scratch);
void attendAvx512Bf16(const Attend& p, int64_t t0, int64_t t1, float* scratch);

} // namespace folio::inference::kernels
