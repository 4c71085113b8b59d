#pragma once
// Reading Hugging Face safetensors checkpoints without copying: a file is memory-mapped
// read-only and every tensor is a CPU at::Tensor that points straight into the mapping.
//
// Format: 8-byte little-endian header length n, n bytes of JSON
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}), then
// the data area; offsets are relative to the start of the data area.
//
// Ownership: SafeTensorsFile owns the mapping. Every tensor handed out holds a shared_ptr to
// its file, so the mapping lives until the last tensor (and the last SafeTensorsFile handle)
// is gone. The mapping is read-only: the tensors are views of the file and must not be
// written in place (clone() first); a write into them faults.
//
// Threads: after open() the objects are immutable; all const calls may run concurrently.

#include "inference/result.h"

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace folio::inference {

class SafeTensorsFile : public std::enable_shared_from_this<SafeTensorsFile> {
public:
    struct Entry {
        std::string dtype; // as written in the header: "F32", "BF16", ...
        std::vector<int64_t> shape;
        std::size_t begin = 0; // byte offsets into the data area
        std::size_t end = 0;
    };

    // Maps the file and validates the whole header (length within the file, known dtypes,
    // every data range inside the data area and matching its shape). Errors name the file
    // and, where one is at fault, the tensor.
    static Result<std::shared_ptr<SafeTensorsFile>> open(const std::string& path);

    ~SafeTensorsFile();
    SafeTensorsFile(const SafeTensorsFile&) = delete;
    SafeTensorsFile& operator=(const SafeTensorsFile&) = delete;

    const std::string& path() const { return m_path; }
    std::vector<std::string> names() const; // sorted
    bool contains(const std::string& name) const;
    // The calls below require contains(name); they throw std::out_of_range otherwise.
    std::vector<int64_t> shape(const std::string& name) const;
    std::string dtype(const std::string& name) const;
    // Zero-copy, read-only CPU tensor over the mapping; keeps the mapping alive.
    at::Tensor tensor(const std::string& name) const;
    // Gives the pages that lie wholly inside the tensor's bytes back to the OS (they stay in the
    // page cache): once a tensor was packed into another form its source must not stay resident.
    // Views of it remain valid; reading them faults the pages in again.
    void release(const std::string& name) const;

private:
    SafeTensorsFile(std::string path, void* mapping, std::size_t size);
    const Entry& entry(const std::string& name) const;

    std::string m_path;
    void* m_mapping = nullptr;
    std::size_t m_size = 0;
    const std::byte* m_data = nullptr; // start of the data area inside the mapping
    std::map<std::string, Entry> m_entries;
};

// A model folder's weights: model.safetensors.index.json (weight_map -> shard files), else
// model.safetensors, else every *.safetensors in the folder. A cheap value type: copies share
// the mapped files. Threads: immutable after open(); const calls may run concurrently.
class Checkpoint {
public:
    // Errors name the folder, the index or shard file at fault and the key concerned
    // (a missing shard, a key listed in the index but absent from its shard, a key stored
    // twice, no safetensors at all, a shard named outside the folder: an absolute path, '..'
    // or a link leading out of it, save into a Hugging Face hub cache's blobs/).
    static Result<Checkpoint> open(const std::string& modelDir);

    std::vector<std::string> names() const; // sorted
    bool contains(const std::string& name) const;
    // The calls below require contains(name); they throw std::out_of_range otherwise.
    std::vector<int64_t> shape(const std::string& name) const;
    std::string dtype(const std::string& name) const;
    at::Tensor tensor(const std::string& name) const; // zero-copy, read-only
    void release(const std::string& name) const;        // SafeTensorsFile::release
    const std::string& fileOf(const std::string& name) const; // the shard path, for messages
    std::vector<std::string> files() const;                   // every shard path, sorted

private:
    const SafeTensorsFile& fileFor(const std::string& name) const;

    std::map<std::string, std::shared_ptr<SafeTensorsFile>> m_files; // tensor name -> file
};

} // namespace folio::inference
