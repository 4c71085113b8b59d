#pragma once
// The pack cache: weights packed at load time (int8/int4 decoder layers) kept on disk, so a
// later start maps them instead of packing the checkpoint again.
//
// Where: $XDG_CACHE_HOME/folio/packed (default ~/.cache/folio/packed), or a directory the
// caller names. One file per (model folder, quant scheme, compute dtype); a rebuild replaces it,
// so stale files do not pile up. Clearing the cache is deleting the directory.
//
// Key: the Folio pack version, the quant scheme, the dtype and, for every checkpoint file, its
// name, size, the XXH3 hash of its safetensors header and of the first and last 64 KiB of its
// data (a re-trained checkpoint keeps its header; a sample of the data tells it apart). A file
// whose key differs from the checkpoint's is stale and rebuilt.
//
// File layout (little-endian): a 4096-byte head ("FOLIOPAK", format version, offset, size and
// XXH3 of the table, XXH3 of the head itself), the tensors' bytes, each at a 64-byte aligned
// offset, then the table (JSON: key, and per tensor dtype, shape, offset, byte count, XXH3).
// Opening checks every one of them, the data of every tensor included: a truncated, damaged or
// foreign file is an error, never trusted. The cost is one XXH3 pass over the file (well above
// memory-copy speed per core, in parallel over tensors), which also faults the mapping in.
//
// Writing goes to a temporary file in the same directory, renamed over the final name on
// commit(): a reader never sees a half-written cache, and an abandoned writer removes its
// temporary file.
//
// Threads: a reader is immutable after open(); its tensors keep the mapping alive and are
// read-only views (writing into them faults). A writer is used by one thread.

#include "inference/quantscheme.h"
#include "inference/result.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace folio::inference {

// Bump when a packed layout (inference/kernels, LinearWeight) or what is packed changes: every
// older cache file then reads as stale.
constexpr uint32_t kPackVersion = 3;

// $XDG_CACHE_HOME/folio/packed, else $HOME/.cache/folio/packed; empty when neither is set.
std::string defaultPackCacheDir();

// The key of `files` (the checkpoint's safetensors files) packed with `quant` for `dtype`
// ("bf16", "f32"). Errors name the file that cannot be read.
Result<std::string> packCacheKey(const std::vector<std::string>& files, QuantScheme quant, const std::string& dtype);

// The cache file of a model folder in `cacheDir`: "<folder name>-<hash of its absolute
// path>-<quant>-<dtype>.fpk".
std::string packCachePath(const std::string& cacheDir, const std::string& modelDir, QuantScheme quant,
                          const std::string& dtype);

class PackCacheReader : public std::enable_shared_from_this<PackCacheReader> {
public:
    // Maps `path` and checks it whole against `key`. The error says what is wrong (missing,
    // another pack version, truncated, damaged: which tensor, stale: made for other files or
    // settings).
    static Result<std::shared_ptr<PackCacheReader>> open(const std::string& path, const std::string& key);
    ~PackCacheReader();
    PackCacheReader(const PackCacheReader&) = delete;
    PackCacheReader& operator=(const PackCacheReader&) = delete;

    bool contains(const std::string& name) const { return m_entries.count(name) != 0; }
    // Zero-copy, read-only CPU view; keeps the mapping alive. Requires contains(name); throws
    // std::out_of_range otherwise.
    at::Tensor tensor(const std::string& name) const;
    std::size_t fileBytes() const { return m_size; }

private:
    struct Entry {
        at::ScalarType dtype;
        std::vector<int64_t> shape;
        std::size_t offset = 0;
    };
    PackCacheReader(void* mapping, std::size_t size);

    void* m_mapping = nullptr;
    std::size_t m_size = 0;
    std::map<std::string, Entry> m_entries;
};

class PackCacheWriter {
public:
    // Creates the temporary file next to `path` (creating the directory if needed). Errors
    // name the directory and the reason (read-only, no space, ...).
    static Result<std::unique_ptr<PackCacheWriter>> create(const std::string& path, const std::string& key);
    ~PackCacheWriter(); // removes the temporary file unless commit() succeeded
    PackCacheWriter(const PackCacheWriter&) = delete;
    PackCacheWriter& operator=(const PackCacheWriter&) = delete;

    // Appends a CPU tensor's bytes (made contiguous first). Names must be unique.
    Result<void> add(const std::string& name, const at::Tensor& tensor);
    // Writes the table and the head, syncs, and renames the file into place.
    Result<void> commit();

private:
    PackCacheWriter(std::string path, std::string tempPath, int fd, std::string key);
    Result<void> writeAll(const void* data, std::size_t size);
    Error failure(const std::string& what) const;

    std::string m_path, m_tempPath;
    int m_fd = -1;
    std::string m_key;
    uint64_t m_offset = 0;
    struct Written {
        std::string name;
        at::ScalarType dtype;
        std::vector<int64_t> shape;
        uint64_t offset, bytes, hash;
    };
    std::vector<Written> m_table;
    bool m_committed = false;
};

} // namespace folio::inference
