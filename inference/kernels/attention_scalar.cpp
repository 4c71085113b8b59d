// The attention kernel (attentionkernel.h), the portable build: 4-lane vectors (SSE2 on x86-64, NEON on ARM).
#include "inference/kernels/attentionkernel.h"

namespace folio::inference::kernels {

void attendScalar(const Attend& p, int64_t t0, int64_t t1, float* scratch) { attendTasks(p, t0, t1, scratch); }

} // namespace folio::inference::kernels
