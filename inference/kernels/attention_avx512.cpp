// The attention kernel (attentionkernel.h), AVX512 (also the AVX512-BF16 path): 16-lane vectors, one zmm.
#include "inference/kernels/attentionkernel.h"

namespace folio::inference::kernels {

void attendAvx512(const Attend& p, int64_t t0, int64_t t1, float* scratch) { attendTasks(p, t0, t1, scratch); }

} // namespace folio::inference::kernels
