#pragma once
// The memory bandwidth floor for the bench: how fast this machine streams a buffer much larger
// than its caches, on the threads ATen uses, measured in the same run as the numbers it is
// compared with (the machines are shared and their bandwidth varies).

namespace folio::inference::kernels {

// GB/s (1e9 bytes per second) of a read-only pass over `bytes` (default 512 MiB, well past any
// L3), summed over at::get_num_threads() threads; the best of `repeats` passes after one warm-up.
double measureCopyBandwidth(double bytes = 512.0 * 1024 * 1024, int repeats = 5);

} // namespace folio::inference::kernels
