// The attention kernel (attentionkernel.h), AVX2 + FMA: 8-lane vectors, one ymm.
#include "inference/kernels/attentionkernel.h"

namespace folio::inference::kernels {

void attendAvx2(const Attend& p, int64_t t0, int64_t t1, float* scratch) { attendTasks(p, t0, t1, scratch); }

} // namespace folio::inference::kernels
