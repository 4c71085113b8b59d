#pragma once
// Helpers shared by the libFuzzer targets of tests/fuzz: the parsers under test that read files
// (safetensors is memory-mapped, documents are sniffed and opened by path) get the input as a
// file, written afresh for every run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace folio::fuzz {

// One scratch file per fuzzing process, in $TMPDIR (or /tmp), named with `suffix`.
inline const std::string& scratchPath(const char* suffix)
{
    static const std::string path = [suffix] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir && *dir ? dir : "/tmp") + "/folio-fuzz-" + std::to_string(::getpid()) + suffix;
    }();
    return path;
}

// Replaces the scratch file's content with the input; aborts when it cannot (a broken setup,
// not a finding to minimise).
inline const std::string& writeScratch(const uint8_t* data, std::size_t size, const char* suffix)
{
    const std::string& path = scratchPath(suffix);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
        std::perror(path.c_str());
        std::abort();
    }
    return path;
}

} // namespace folio::fuzz
