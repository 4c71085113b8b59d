#pragma once
// Prng: the generator's own pseudo-random numbers (SplitMix64). Written out here rather than
// taken from <random> because the standard distributions are not specified bit-for-bit, and
// the samples must come out identical on every machine and standard library.
// Value type; not shared between threads.

#include <cstdint>

namespace folio::samplegen {

class Prng {
public:
    explicit Prng(std::uint64_t seed)
        : m_state(seed)
    {
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform integer in [lo, hi] (inclusive). The modulo bias is irrelevant at these ranges.
    std::int64_t range(std::int64_t lo, std::int64_t hi)
    {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }

    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

private:
    std::uint64_t m_state;
};

} // namespace folio::samplegen
