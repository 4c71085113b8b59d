#pragma once
// Which SIMD instruction set the CPU kernels run with: detected once from CPUID, overridable with
// the environment variable FOLIO_KERNELS=scalar|avx2|avx512|avx512bf16 (or setActiveIsa, for tests
// and benchmarks). An override the CPU cannot run is an error, never a silent fallback.

#include <string>

namespace folio::inference::kernels {

// The kernel paths, each a superset of the one before.
enum class Isa {
    Scalar,     // portable C++
    Avx2,       // AVX2 + FMA + F16C
    Avx512,     // AVX512 F + BW + VL (+ F16C)
    Avx512Bf16, // Avx512 + AVX512-BF16 (vdpbf16ps) + AVX512-VNNI (vpdpbusd); every CPU with the
                // first has the second (Cooper Lake, Sapphire Rapids, Zen 4)
};

struct CpuFeatures {
    bool avx2 = false, fma = false, f16c = false;
    bool avx512f = false, avx512bw = false, avx512vl = false;
    bool avx512vnni = false, avx512bf16 = false;
    bool amxTile = false, amxBf16 = false, amxInt8 = false; // reported; the kernels do not use AMX
};

// What this CPU (and the OS's saved register state) supports; detected once.
const CpuFeatures& cpuFeatures();

bool cpuSupports(Isa isa);

// The best path this CPU runs.
Isa bestIsa();

// The path the kernels use: FOLIO_KERNELS if set (read at the first call), else bestIsa(), or
// whatever setActiveIsa chose last. Throws std::runtime_error naming the value when FOLIO_KERNELS
// is unknown or asks for a path this CPU lacks.
Isa activeIsa();

// Forces the path for the whole process; throws std::runtime_error if the CPU cannot run it.
void setActiveIsa(Isa isa);

// "scalar", "avx2", "avx512", "avx512bf16": the spelling FOLIO_KERNELS takes.
const char* isaName(Isa isa);

// Parses a FOLIO_KERNELS spelling; throws std::invalid_argument on anything else.
Isa parseIsa(const std::string& name);

// One line for the bench: the active path and the CPU's relevant features, e.g.
// "avx512bf16 (cpu: avx2 fma f16c avx512f avx512bw avx512vl avx512vnni avx512bf16; no amx)".
std::string kernelPathDescription();

// Whether bf16 matrix products are fast here (AVX512-BF16 or AMX-BF16): decides `--dtype auto`.
bool cpuHasFastBf16();

} // namespace folio::inference::kernels
