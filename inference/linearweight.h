#pragma once
// A linear layer's weight W [rows = out features N, cols = in features K] and optional bias,
// either dense (an at::Tensor, used through at::linear) or packed for the CPU kernels
// (inference/kernels/):
//   Bf16  plain bf16 rows;
//   Int8  symmetric, one f32 scale per output row (w ≈ scale[n] · q), rows interleaved in
//         tiles of 16 (layout in inference/kernels/int8format.h);
//   Int4  symmetric groups of kInt4Group values along K with one f16 scale each
//         (w ≈ scale[n, g] · (q − 8), q in 0..15), rows interleaved in tiles of 16
//         (layout in inference/kernels/int4format.h).
// forward() streams a packed weight once per call whatever the number of rows of x up to
// kMaxKernelRows (decode and speculative verification); longer inputs (prefill) dequantize one
// block of output rows at a time into x's dtype and run at::linear on it, so the dequantized
// matrix never exists whole.
//
// A packed weight owns its bytes, or is a read-only view over memory someone else keeps alive
// (an mmap'd cache file): buffers() gives the components to write, fromBuffers() rebuilds the
// weight over them. Immutable after construction; const calls may run concurrently.

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace folio::inference {

enum class WeightFormat {
    Dense, // an at::Tensor of any dtype/device, at::linear
    Bf16,
    Int8,
    Int4,
};

// "dense", "bf16", "int8", "int4".
const char* weightFormatName(WeightFormat format);

class LinearWeight {
public:
    // Values of K per int4 scale (see int4format.h for why 32).
    static constexpr int64_t kInt4Group = 32;
    // forward() runs the matrix × few-vectors kernels up to this many rows of x.
    static constexpr int64_t kMaxKernelRows = 16;
    // Every buffer of a packed weight (owned or viewed) starts at a multiple of this.
    static constexpr std::size_t kBufferAlignment = 64;

    // One component of a packed weight, in the order buffers() lists them:
    //   Bf16: the rows (N·K bf16);
    //   Int8: the tiled bytes, the scales (f32);
    //   Int4: the nibbles, the scales (f16); sizes from bufferSizes().
    struct Buffer {
        const void* data = nullptr;
        std::size_t bytes = 0;
    };

    LinearWeight() = default;

    // The weight as given (Dense), except that a contiguous CPU bf16 weight becomes the Bf16
    // format over the same storage (no copy) so that decode runs the bf16 kernel.
    // weight [N, K]; bias [N] or undefined.
    explicit LinearWeight(at::Tensor weight, at::Tensor bias = {});

    // Quantizes / converts a CPU weight [N, K] of any floating dtype into `format` (not Dense),
    // owning the result. Throws std::invalid_argument on a bad shape, dtype or device.
    static LinearWeight pack(const at::Tensor& weight, WeightFormat format, at::Tensor bias = {});

    // A read-only view over buffers that hold exactly what buffers() returned for a weight of
    // this format and shape (same order; e.g. written to a cache file and mapped back). The
    // memory must stay valid and unchanged while `keepAlive`, which every tensor made from the
    // view also holds, lives. Throws std::invalid_argument when the count, a size
    // (bufferSizes) or an alignment (kBufferAlignment) is wrong.
    static LinearWeight fromBuffers(WeightFormat format, int64_t rows, int64_t cols, const std::vector<Buffer>& views,
                                    std::shared_ptr<const void> keepAlive, at::Tensor bias = {});

    // The buffer sizes of a packed weight of that format and shape, in buffers() order.
    static std::vector<std::size_t> bufferSizes(WeightFormat format, int64_t rows, int64_t cols);

    // The packed components (empty for Dense); valid while this weight lives.
    std::vector<Buffer> buffers() const;
    // Bytes of the weight matrix (packed components, or the dense tensor), bias excluded: the
    // bytes one decode step streams.
    std::size_t packedBytes() const;

    bool empty() const { return m_rows == 0 && !m_dense.defined(); }
    WeightFormat format() const { return m_format; }
    int64_t rows() const { return m_rows; }
    int64_t cols() const { return m_cols; }
    const at::Tensor& bias() const { return m_bias; }

    // x [..., K] in the compute dtype (bf16 or f32, any device) -> [..., N] in x's dtype, bias
    // added. On the CPU, up to kMaxKernelRows rows use the kernels of kernels::activeIsa(), f32
    // accumulation: Bf16 multiplies x as given; Int8 / Int4 multiply x quantized to int8 in
    // blocks of 32 (kernels/actquant.h), which is where their decode speed comes from; longer
    // inputs multiply x as given by a dequantized tile (no activation rounding). On another device a packed
    // weight is dequantized to x's dtype and moved there for the call (slow, but correct).
    at::Tensor forward(const at::Tensor& x) const;

    // The whole weight [N, K] as the kernels see it (dequantized), in `dtype`, on the CPU (Dense:
    // the tensor converted). For tests and one-off conversions, not for inference.
    at::Tensor dequantized(at::ScalarType dtype = at::kFloat) const;

    // Rows `ids` (int64, any shape) of the weight, dequantized to `dtype`: [ids..., K]. An
    // embedding lookup that touches only the requested rows. Throws std::out_of_range on an id
    // outside [0, rows()).
    at::Tensor rows(const at::Tensor& ids, at::ScalarType dtype) const;

private:
    at::Tensor forwardKernel(const at::Tensor& x2d) const;
    at::Tensor forwardTiled(const at::Tensor& x2d) const;
    // Dequantizes output rows [n0, n1) into out [n1 - n0][K] of `dtype` (f32 or bf16).
    void dequantizeRows(int64_t n0, int64_t n1, void* out, at::ScalarType dtype) const;

    WeightFormat m_format = WeightFormat::Dense;
    int64_t m_rows = 0;
    int64_t m_cols = 0;
    at::Tensor m_dense;  // Dense: the weight; Bf16: the [N, K] bf16 rows (owned or a view)
    at::Tensor m_data;   // Int8: tiled q + 128 (uint8); Int4: nibbles (uint8)
    at::Tensor m_scales; // Int8: [N] f32; Int4: f16 scales
    at::Tensor m_bias;
};

} // namespace folio::inference
