// The attention kernel (attentionkernel.h), the portable build: the compiler lowers the 16-lane vectors to whatever the baseline has (SSE2 on x86-64).
#include "inference/kernels/attentionkernel.h"

namespace folio::inference::kernels {

void attendScalar(const Attend& p, int64_t t0, int64_t t1, float* scratch) { attendTasks(p, t0, t1, scratch); }

} // namespace folio::inference::kernels
