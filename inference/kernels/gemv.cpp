#include "inference/kernels/gemv.h"

#include "inference/kernels/int4format.h"
#include "inference/kernels/isa.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace folio::inference::kernels {

int64_t rowTile(Format format) { return format == Format::Bf16 ? kRowTile : int4::kTile; }

void gemv(Isa isa, const Gemv& p)
{
    if (!cpuSupports(isa))
        throw std::runtime_error(std::string("this CPU cannot run the ") + isaName(isa) + " kernels");
    if (p.n <= 0 || p.m <= 0)
        return;
    using Kernel = void (*)(const Gemv&, int64_t, int64_t);
    Kernel kernel = gemvScalar;
#ifdef FOLIO_KERNELS_X86
    switch (isa) {
    case Isa::Scalar: break;
    case Isa::Avx2: kernel = gemvAvx2; break;
    case Isa::Avx512: kernel = gemvAvx512; break;
    case Isa::Avx512Bf16: kernel = p.format != Format::Bf16 || p.xBf16 ? gemvAvx512Bf16 : gemvAvx512; break;
    }
#endif
    const int64_t rows = rowTile(p.format);
    const int64_t tiles = (p.n + rows - 1) / rows;
    // At least ~64 Ki weights per task, so that a small matrix runs inline.
    const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 16) / (rows * std::max<int64_t>(p.k, 1)));
    at::parallel_for(0, tiles, grain, [&](int64_t t0, int64_t t1) {
        kernel(p, t0 * rows, std::min(t1 * rows, p.n));
    });
}

} // namespace folio::inference::kernels
