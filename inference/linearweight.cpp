#include "inference/linearweight.h"

#include "inference/kernels/actquant.h"
#include "inference/kernels/gemv.h"
#include "inference/kernels/int4format.h"
#include "inference/kernels/int8format.h"
#include "inference/kernels/isa.h"
#include "inference/kernels/quantize.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace folio::inference {

namespace {

// Rows converted per task when packing: bounds the f32 temporary to 256 × K per thread.
constexpr int64_t kPackRows = 256;

std::string shapeText(int64_t rows, int64_t cols)
{
    return "[" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
}

kernels::Format kernelFormat(WeightFormat format)
{
    switch (format) {
    case WeightFormat::Bf16: return kernels::Format::Bf16;
    case WeightFormat::Int8: return kernels::Format::Int8;
    case WeightFormat::Int4: return kernels::Format::Int4;
    case WeightFormat::Dense: break;
    }
    throw std::logic_error("a dense weight has no kernel format");
}

// A tensor over memory we do not own; the deleter holds `keepAlive` until the last tensor
// sharing this storage is gone.
at::Tensor viewOf(const void* data, at::IntArrayRef sizes, at::ScalarType dtype, std::shared_ptr<const void> keepAlive)
{
    return at::from_blob(
        const_cast<void*>(data), sizes, [keepAlive](void*) mutable { keepAlive.reset(); },
        at::TensorOptions().dtype(dtype));
}

LinearWeight::Buffer bufferOf(const at::Tensor& t)
{
    return { t.data_ptr(), t.nbytes() };
}

} // namespace

const char* weightFormatName(WeightFormat format)
{
    switch (format) {
    case WeightFormat::Dense: return "dense";
    case WeightFormat::Bf16: return "bf16";
    case WeightFormat::Int8: return "int8";
    case WeightFormat::Int4: return "int4";
    }
    return "?";
}

LinearWeight::LinearWeight(at::Tensor weight, at::Tensor bias)
{
    if (weight.dim() != 2)
        throw std::invalid_argument("a linear weight must be 2-D [out, in], got " + std::to_string(weight.dim()) + "-D");
    m_rows = weight.size(0);
    m_cols = weight.size(1);
    const bool bf16Rows = weight.device().is_cpu() && weight.scalar_type() == at::kBFloat16 && weight.is_contiguous();
    m_format = bf16Rows ? WeightFormat::Bf16 : WeightFormat::Dense;
    m_dense = std::move(weight);
    m_bias = std::move(bias);
}

LinearWeight LinearWeight::pack(const at::Tensor& weight, WeightFormat format, at::Tensor bias)
{
    if (format == WeightFormat::Dense)
        throw std::invalid_argument("LinearWeight::pack: Dense is not a packed format");
    if (weight.dim() != 2 || !weight.device().is_cpu() || !at::isFloatingType(weight.scalar_type()))
        throw std::invalid_argument("LinearWeight::pack: expected a 2-D floating CPU weight");
    LinearWeight w;
    w.m_format = format;
    w.m_rows = weight.size(0);
    w.m_cols = weight.size(1);
    w.m_bias = std::move(bias);
    const int64_t n = w.m_rows, k = w.m_cols;
    if (format == WeightFormat::Bf16) {
        w.m_dense = weight.to(at::kBFloat16).contiguous();
        return w;
    }
    const bool int4 = format == WeightFormat::Int4;
    const int64_t paddedRows = kernels::int4::paddedRows(n); // int8's tiles are as tall (int8format.h)
    if (int4) {
        w.m_data = at::empty({ int64_t(kernels::int4::nibbleBytes(n, k)) }, at::kByte);
        w.m_scales = at::empty({ int64_t(kernels::int4::scaleCount(n, k)) }, at::kHalf);
    } else {
        w.m_data = at::empty({ int64_t(kernels::int8::byteCount(n, k)) }, at::kByte);
        w.m_scales = at::empty({ kernels::int8::paddedRows(n) }, at::kFloat);
    }
    const int64_t chunks = (paddedRows + kPackRows - 1) / kPackRows;
    at::parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            const int64_t n0 = c * kPackRows, n1 = std::min(paddedRows, n0 + kPackRows);
            const int64_t valid = std::max<int64_t>(0, std::min(n1, n) - n0);
            const at::Tensor rowsF32 = valid > 0 ? weight.narrow(0, n0, valid).to(at::kFloat).contiguous() : at::Tensor();
            const float* src = valid > 0 ? rowsF32.data_ptr<float>() : nullptr;
            if (int4)
                kernels::quantizeInt4(src, k, n0, n1, valid, w.m_data.data_ptr<uint8_t>(),
                                      reinterpret_cast<uint16_t*>(w.m_scales.data_ptr<at::Half>()));
            else
                kernels::quantizeInt8(src, k, n0, n1, valid, w.m_data.data_ptr<uint8_t>(), w.m_scales.data_ptr<float>());
        }
    });
    return w;
}

std::vector<std::size_t> LinearWeight::bufferSizes(WeightFormat format, int64_t rows, int64_t cols)
{
    if (rows < 0 || cols < 0)
        throw std::invalid_argument("LinearWeight: negative shape " + shapeText(rows, cols));
    const auto n = std::size_t(rows), k = std::size_t(cols);
    switch (format) {
    case WeightFormat::Bf16: return { n * k * 2 };
    case WeightFormat::Int8: return { kernels::int8::byteCount(rows, cols), std::size_t(kernels::int8::paddedRows(rows)) * sizeof(float) };
    case WeightFormat::Int4: return { kernels::int4::nibbleBytes(rows, cols), kernels::int4::scaleCount(rows, cols) * 2 };
    case WeightFormat::Dense: break;
    }
    throw std::invalid_argument("LinearWeight: a dense weight has no packed buffers");
}

LinearWeight LinearWeight::fromBuffers(WeightFormat format, int64_t rows, int64_t cols, const std::vector<Buffer>& views,
                                       std::shared_ptr<const void> keepAlive, at::Tensor bias)
{
    const std::vector<std::size_t> sizes = bufferSizes(format, rows, cols);
    const std::string what = std::string("LinearWeight: ") + weightFormatName(format) + " " + shapeText(rows, cols);
    if (views.size() != sizes.size())
        throw std::invalid_argument(what + " has " + std::to_string(sizes.size()) + " buffers, got "
                                    + std::to_string(views.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (views[i].bytes != sizes[i])
            throw std::invalid_argument(what + ": buffer " + std::to_string(i) + " holds " + std::to_string(views[i].bytes)
                                        + " bytes, expected " + std::to_string(sizes[i]));
        if (reinterpret_cast<std::uintptr_t>(views[i].data) % kBufferAlignment != 0)
            throw std::invalid_argument(what + ": buffer " + std::to_string(i) + " is not "
                                        + std::to_string(kBufferAlignment) + "-byte aligned");
    }
    LinearWeight w;
    w.m_format = format;
    w.m_rows = rows;
    w.m_cols = cols;
    w.m_bias = std::move(bias);
    switch (format) {
    case WeightFormat::Bf16: w.m_dense = viewOf(views[0].data, { rows, cols }, at::kBFloat16, keepAlive); break;
    case WeightFormat::Int8:
        w.m_data = viewOf(views[0].data, { int64_t(sizes[0]) }, at::kByte, keepAlive);
        w.m_scales = viewOf(views[1].data, { int64_t(sizes[1] / sizeof(float)) }, at::kFloat, keepAlive);
        break;
    case WeightFormat::Int4:
        w.m_data = viewOf(views[0].data, { int64_t(sizes[0]) }, at::kByte, keepAlive);
        w.m_scales = viewOf(views[1].data, { int64_t(sizes[1] / 2) }, at::kHalf, keepAlive);
        break;
    case WeightFormat::Dense: break; // bufferSizes threw
    }
    return w;
}

std::vector<LinearWeight::Buffer> LinearWeight::buffers() const
{
    switch (m_format) {
    case WeightFormat::Bf16: return { bufferOf(m_dense) };
    case WeightFormat::Int8:
    case WeightFormat::Int4: return { bufferOf(m_data), bufferOf(m_scales) };
    case WeightFormat::Dense: break;
    }
    return {};
}

std::size_t LinearWeight::packedBytes() const
{
    if (m_format == WeightFormat::Dense)
        return m_dense.defined() ? m_dense.nbytes() : 0;
    std::size_t total = 0;
    for (const Buffer& b : buffers())
        total += b.bytes;
    return total;
}

at::Tensor LinearWeight::forward(const at::Tensor& x) const
{
    if (x.dim() < 1 || x.size(-1) != m_cols)
        throw std::invalid_argument("LinearWeight::forward: input's last dimension must be " + std::to_string(m_cols)
                                    + " for a weight " + shapeText(m_rows, m_cols));
    std::vector<int64_t> outShape(x.sizes().begin(), x.sizes().end());
    outShape.back() = m_rows;
    const at::Tensor x2d = x.reshape({ -1, m_cols });
    at::Tensor y;
    if (m_format == WeightFormat::Dense || !x.device().is_cpu()) {
        // Another device, or a weight we only hold dense: ATen, in x's dtype and device.
        at::Tensor w = m_format == WeightFormat::Dense ? m_dense : dequantized(x.scalar_type());
        w = w.to(x.device(), x.scalar_type());
        const at::Tensor b = m_bias.defined() ? m_bias.to(x.device(), x.scalar_type()) : at::Tensor();
        y = at::linear(x2d, w, b);
    } else if (x2d.size(0) <= kMaxKernelRows) {
        y = forwardKernel(x2d);
    } else {
        y = forwardTiled(x2d);
    }
    return y.reshape(outShape);
}

at::Tensor LinearWeight::forwardKernel(const at::Tensor& x2d) const
{
    // Everything around the kernel is serial plain loops over a few rows: ATen ops on them would
    // each be a parallel region once M · K passes ATen's grain (see kernels::Gemv::yBf16).
    const kernels::Isa isa = kernels::activeIsa();
    const at::ScalarType dtype = x2d.scalar_type();
    const bool bf16In = dtype == at::kBFloat16;
    const at::Tensor xc = bf16In || dtype == at::kFloat ? x2d.contiguous() : x2d.to(at::kFloat).contiguous();
    const int64_t m = xc.size(0), k = m_cols;
    const int64_t ldx = kernels::paddedK(k);
    kernels::Gemv p;
    // Buffers the kernel reads, alive until it returns.
    at::Tensor xf, xb, xq, xqScale, xqOffset;
    if (m_format == WeightFormat::Bf16) {
        xf = at::empty({ m, ldx }, at::kFloat);
        const bool useBf16Dot = bf16In && isa == kernels::Isa::Avx512Bf16;
        xb = useBf16Dot ? at::empty({ m, ldx }, at::kBFloat16) : at::Tensor();
        float* xfp = xf.data_ptr<float>();
        auto* xbp = useBf16Dot ? reinterpret_cast<uint16_t*>(xb.data_ptr<at::BFloat16>()) : nullptr;
        for (int64_t r = 0; r < m; ++r) {
            float* dst = xfp + r * ldx;
            if (bf16In) {
                const auto* src = reinterpret_cast<const uint16_t*>(xc.data_ptr<at::BFloat16>()) + r * k;
                for (int64_t i = 0; i < k; ++i) {
                    const uint32_t bits = uint32_t(src[i]) << 16; // bf16 -> f32 is exact: a shift
                    std::memcpy(dst + i, &bits, sizeof bits);
                }
                if (xbp) {
                    std::copy(src, src + k, xbp + r * ldx);
                    std::fill(xbp + r * ldx + k, xbp + (r + 1) * ldx, uint16_t(0));
                }
            } else {
                const float* src = xc.data_ptr<float>() + r * k;
                std::copy(src, src + k, dst);
            }
            std::fill(dst + k, dst + ldx, 0.0f);
        }
        p.x = xfp;
        p.xBf16 = xbp;
    } else {
        xq = at::empty({ m, ldx }, at::kChar);
        xqScale = at::empty({ m, ldx / kernels::kActBlock }, at::kFloat);
        xqOffset = at::empty({ m, ldx / kernels::kActBlock }, at::kInt);
        kernels::quantizeActivations(xc.data_ptr(), bf16In, m, k, ldx, xq.data_ptr<int8_t>(), xqScale.data_ptr<float>(),
                                     xqOffset.data_ptr<int32_t>());
        p.xq = xq.data_ptr<int8_t>();
        p.xqScale = xqScale.data_ptr<float>();
        p.xqOffset = xqOffset.data_ptr<int32_t>();
    }
    p.ldx = ldx;
    const at::Tensor bias = m_bias.defined() ? m_bias.to(at::kFloat).contiguous() : at::Tensor();
    at::Tensor y = at::empty({ m, m_rows }, bf16In ? at::kBFloat16 : at::kFloat);
    p.format = kernelFormat(m_format);
    p.weights = m_format == WeightFormat::Bf16 ? m_dense.data_ptr() : m_data.data_ptr();
    p.scales = m_scales.defined() ? m_scales.data_ptr() : nullptr;
    p.n = m_rows;
    p.k = k;
    p.m = m;
    p.bias = bias.defined() ? bias.data_ptr<float>() : nullptr;
    if (bf16In)
        p.yBf16 = reinterpret_cast<uint16_t*>(y.data_ptr<at::BFloat16>());
    else
        p.y = y.data_ptr<float>();
    p.ldy = m_rows;
    kernels::gemv(isa, p);
    return dtype == at::kBFloat16 || dtype == at::kFloat ? y : y.to(dtype);
}

at::Tensor LinearWeight::forwardTiled(const at::Tensor& x2d) const
{
    const at::ScalarType dtype = x2d.scalar_type();
    const at::Tensor bias = m_bias.defined() ? m_bias.to(dtype) : at::Tensor();
    if (m_format == WeightFormat::Bf16 && dtype == at::kBFloat16)
        return at::linear(x2d, m_dense, bias);
    // Tiles of ≤ 48 MiB (at least 256 rows): each at::linear call re-lays-out x and the tile, and
    // each tile costs parallel regions (dequantize, GEMM, copy into out) that on a loaded machine
    // wait for the other thread, so few large tiles run near the speed of one GEMM (measured under
    // load on [1273, 2048] x [11008, 2048]ᵀ in bf16: 92-row tiles ≈ 4×, 256-row ≈ 2×, 2048 rows
    // 1.2–1.4×, the whole matrix in one tile, no copy, 1.0×). 48 MiB holds every 3B decoder
    // layer (11008 × 2048 bf16 = 43 MiB) in one tile: a transient far below the packed weights.
    // Dequantized straight into x's dtype when it is bf16 (one pass, half the bytes).
    const at::ScalarType tileType = dtype == at::kBFloat16 ? at::kBFloat16 : at::kFloat;
    const int64_t valueBytes = tileType == at::kBFloat16 ? 2 : 4;
    const int64_t block = std::max<int64_t>(256, (int64_t(48) << 20) / (valueBytes * std::max<int64_t>(m_cols, 1)) / 4 * 4);
    at::Tensor out = block < m_rows ? at::empty({ x2d.size(0), m_rows }, x2d.options()) : at::Tensor();
    // The tile's memory is kept per thread: a fresh allocation this large is a fresh mmap whose
    // page faults cost about as much as the dequantization itself.
    thread_local at::Tensor scratch;
    const int64_t tileBytes = std::min(block, m_rows) * m_cols * valueBytes;
    if (!scratch.defined() || int64_t(scratch.nbytes()) < tileBytes)
        scratch = at::empty({ tileBytes }, at::kByte);
    const at::Tensor tile = at::from_blob(scratch.data_ptr(), { std::min(block, m_rows), m_cols }, tileType);
    auto* t = static_cast<char*>(tile.data_ptr());
    const int64_t rowBytes = m_cols * int64_t(tile.element_size());
    for (int64_t n0 = 0; n0 < m_rows; n0 += block) {
        const int64_t nb = std::min(block, m_rows - n0);
        at::parallel_for(0, nb, 16, [&](int64_t r0, int64_t r1) {
            dequantizeRows(n0 + r0, n0 + r1, t + r0 * rowBytes, tileType);
        });
        const at::Tensor w = tile.narrow(0, 0, nb).to(dtype);
        if (nb == m_rows)
            return at::linear(x2d, w, bias);
        out.narrow(1, n0, nb).copy_(at::linear(x2d, w, bias.defined() ? bias.narrow(0, n0, nb) : at::Tensor()));
    }
    return out;
}

void LinearWeight::dequantizeRows(int64_t n0, int64_t n1, void* out, at::ScalarType dtype) const
{
    const bool bf16 = dtype == at::kBFloat16;
    switch (m_format) {
    case WeightFormat::Int8: {
        const uint8_t* q = m_data.data_ptr<uint8_t>();
        const float* s = m_scales.data_ptr<float>();
        if (bf16)
            kernels::dequantizeInt8(q, s, m_cols, n0, n1, static_cast<uint16_t*>(out));
        else
            kernels::dequantizeInt8(q, s, m_cols, n0, n1, static_cast<float*>(out));
        return;
    }
    case WeightFormat::Int4: {
        const uint8_t* q = m_data.data_ptr<uint8_t>();
        const auto* s = reinterpret_cast<const uint16_t*>(m_scales.data_ptr<at::Half>());
        if (bf16)
            kernels::dequantizeInt4(q, s, m_cols, n0, n1, static_cast<uint16_t*>(out));
        else
            kernels::dequantizeInt4(q, s, m_cols, n0, n1, static_cast<float*>(out));
        return;
    }
    case WeightFormat::Bf16:
    case WeightFormat::Dense:
        at::from_blob(out, { n1 - n0, m_cols }, dtype).copy_(m_dense.narrow(0, n0, n1 - n0));
        return;
    }
}

at::Tensor LinearWeight::dequantized(at::ScalarType dtype) const
{
    const at::ScalarType direct = dtype == at::kBFloat16 ? at::kBFloat16 : at::kFloat;
    at::Tensor out = at::empty({ m_rows, m_cols }, direct);
    auto* o = static_cast<char*>(out.data_ptr());
    const int64_t rowBytes = m_cols * int64_t(out.element_size());
    at::parallel_for(0, m_rows, 16, [&](int64_t n0, int64_t n1) { dequantizeRows(n0, n1, o + n0 * rowBytes, direct); });
    return out.to(dtype);
}

at::Tensor LinearWeight::rows(const at::Tensor& ids, at::ScalarType dtype) const
{
    const at::Tensor flat = ids.to(at::kCPU, at::kLong).contiguous().reshape({ -1 });
    const int64_t count = flat.numel();
    const int64_t* id = flat.data_ptr<int64_t>();
    for (int64_t i = 0; i < count; ++i)
        if (id[i] < 0 || id[i] >= m_rows)
            throw std::out_of_range("LinearWeight::rows: id " + std::to_string(id[i]) + " outside [0, "
                                    + std::to_string(m_rows) + ")");
    const at::ScalarType direct = dtype == at::kBFloat16 ? at::kBFloat16 : at::kFloat;
    at::Tensor out = at::empty({ count, m_cols }, direct);
    auto* o = static_cast<char*>(out.data_ptr());
    for (int64_t i = 0; i < count; ++i)
        dequantizeRows(id[i], id[i] + 1, o + i * m_cols * int64_t(out.element_size()), direct);
    std::vector<int64_t> shape(ids.sizes().begin(), ids.sizes().end());
    shape.push_back(m_cols);
    return out.reshape(shape).to(dtype);
}

} // namespace folio::inference
