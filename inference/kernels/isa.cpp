#include "inference/kernels/isa.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define FOLIO_X86 1
#endif

namespace folio::inference::kernels {

namespace {

#ifdef FOLIO_X86
struct Regs {
    unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(unsigned leaf, unsigned subleaf)
{
    Regs r;
    if (!__get_cpuid_count(leaf, subleaf, &r.a, &r.b, &r.c, &r.d))
        return Regs {};
    return r;
}

bool bit(unsigned reg, int n) { return (reg >> n) & 1u; }

// XCR0: which register files the OS saves on a context switch. A CPU flag without the OS's
// support would fault (or silently lose state), so both must hold.
std::uint64_t xcr0()
{
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (std::uint64_t(hi) << 32) | lo;
}
#endif

CpuFeatures detect()
{
    CpuFeatures f;
#ifdef FOLIO_X86
    const Regs l0 = cpuid(0, 0);
    const Regs l1 = cpuid(1, 0);
    if (!bit(l1.c, 27) || !bit(l1.c, 28)) // OSXSAVE, AVX
        return f;
    const std::uint64_t xcr = xcr0();
    const bool ymmState = (xcr & 0x6) == 0x6;            // SSE + AVX
    const bool zmmState = ymmState && (xcr & 0xe0) == 0xe0; // opmask, ZMM_Hi256, Hi16_ZMM
    const bool tileState = (xcr & 0x60000) == 0x60000;   // XTILECFG, XTILEDATA
    if (!ymmState || l0.a < 7)
        return f;
    const Regs l7 = cpuid(7, 0);
    const Regs l71 = l7.a >= 1 ? cpuid(7, 1) : Regs {};
    f.fma = bit(l1.c, 12);
    f.f16c = bit(l1.c, 29);
    f.avx2 = bit(l7.b, 5);
    if (zmmState) {
        f.avx512f = bit(l7.b, 16);
        f.avx512bw = bit(l7.b, 30);
        f.avx512vl = bit(l7.b, 31);
        f.avx512vnni = bit(l7.c, 11);
        f.avx512bf16 = bit(l71.a, 5);
    }
    if (tileState) {
        f.amxBf16 = bit(l7.d, 22);
        f.amxTile = bit(l7.d, 24);
        f.amxInt8 = bit(l7.d, 25);
    }
#endif
    return f;
}

Isa envOrBest()
{
    const char* env = std::getenv("FOLIO_KERNELS");
    if (!env || !*env)
        return bestIsa();
    Isa isa;
    try {
        isa = parseIsa(env);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("FOLIO_KERNELS: ") + e.what());
    }
    if (!cpuSupports(isa))
        throw std::runtime_error(std::string("FOLIO_KERNELS=") + env + ": this CPU cannot run the "
                                 + isaName(isa) + " kernels (best available: " + isaName(bestIsa()) + ")");
    return isa;
}

// -1: not chosen yet.
std::atomic<int> g_active { -1 };

} // namespace

const CpuFeatures& cpuFeatures()
{
    static const CpuFeatures f = detect();
    return f;
}

bool cpuSupports(Isa isa)
{
    const CpuFeatures& f = cpuFeatures();
    const bool avx2 = f.avx2 && f.fma && f.f16c;
    const bool avx512 = avx2 && f.avx512f && f.avx512bw && f.avx512vl;
    switch (isa) {
    case Isa::Scalar: return true;
    case Isa::Avx2: return avx2;
    case Isa::Avx512: return avx512;
    case Isa::Avx512Bf16: return avx512 && f.avx512bf16 && f.avx512vnni;
    }
    return false;
}

Isa bestIsa()
{
    for (Isa isa : { Isa::Avx512Bf16, Isa::Avx512, Isa::Avx2 })
        if (cpuSupports(isa))
            return isa;
    return Isa::Scalar;
}

Isa activeIsa()
{
    int v = g_active.load(std::memory_order_acquire);
    if (v < 0) {
        int expected = -1;
        g_active.compare_exchange_strong(expected, int(envOrBest()));
        v = g_active.load(std::memory_order_acquire);
    }
    return Isa(v);
}

void setActiveIsa(Isa isa)
{
    if (!cpuSupports(isa))
        throw std::runtime_error(std::string("this CPU cannot run the ") + isaName(isa) + " kernels");
    g_active.store(int(isa), std::memory_order_release);
}

const char* isaName(Isa isa)
{
    switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
    case Isa::Avx512Bf16: return "avx512bf16";
    }
    return "?";
}

Isa parseIsa(const std::string& name)
{
    for (Isa isa : { Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Avx512Bf16 })
        if (name == isaName(isa))
            return isa;
    throw std::invalid_argument("unknown kernel path '" + name + "' (expected scalar, avx2, avx512 or avx512bf16)");
}

std::string kernelPathDescription()
{
    const CpuFeatures& f = cpuFeatures();
    std::string s = std::string(isaName(activeIsa())) + " (cpu:";
    const std::pair<const char*, bool> flags[] = {
        { "avx2", f.avx2 }, { "fma", f.fma }, { "f16c", f.f16c }, { "avx512f", f.avx512f },
        { "avx512bw", f.avx512bw }, { "avx512vl", f.avx512vl }, { "avx512vnni", f.avx512vnni },
        { "avx512bf16", f.avx512bf16 }, { "amx-tile", f.amxTile }, { "amx-bf16", f.amxBf16 },
        { "amx-int8", f.amxInt8 },
    };
    bool any = false;
    for (const auto& [name, on] : flags)
        if (on) {
            s += ' ';
            s += name;
            any = true;
        }
    if (!any)
        s += " no simd";
    if (!f.amxTile)
        s += "; no amx";
    return s + ")";
}

bool cpuHasFastBf16()
{
    const CpuFeatures& f = cpuFeatures();
    return f.avx512bf16 || f.amxBf16;
}

} // namespace folio::inference::kernels
