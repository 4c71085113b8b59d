#include "inference/kernels/attention.h"

#include "inference/kernels/isa.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace folio::inference::kernels {

void attend(Isa isa, const Attend& p)
{
    if (!cpuSupports(isa))
        throw std::runtime_error(std::string("this CPU cannot run the ") + isaName(isa) + " kernels");
    if (p.lq < 1 || p.lk < p.lq || p.heads < 1 || p.kvHeads < 1 || p.heads % p.kvHeads != 0 || p.dim < 1)
        throw std::invalid_argument("attend: lq " + std::to_string(p.lq) + ", lk " + std::to_string(p.lk) + ", heads "
                                    + std::to_string(p.heads) + "/" + std::to_string(p.kvHeads) + ", dim "
                                    + std::to_string(p.dim));
    using Kernel = void (*)(const Attend&, int64_t, int64_t, float*);
    Kernel kernel = attendScalar;
#ifdef FOLIO_KERNELS_X86
    switch (isa) {
    case Isa::Scalar: break;
    case Isa::Avx2: kernel = attendAvx2; break;
    case Isa::Avx512: kernel = attendAvx512; break;
    case Isa::Avx512Bf16: kernel = attendAvx512Bf16; break;
    }
#endif
    // A task reads lk · dim keys and values; small caches (the fixture model) run inline.
    const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 15) / (p.lk * p.dim));
    at::parallel_for(0, p.heads * p.lq, grain, [&](int64_t t0, int64_t t1) {
        std::vector<float> scratch(static_cast<std::size_t>(p.lk + 2 * p.dim + 16));
        kernel(p, t0, t1, scratch.data());
    });
}

} // namespace folio::inference::kernels
