#include "inference/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace folio::inference {

namespace {

struct DtypeInfo {
    at::ScalarType type;
    std::size_t size;
};

const std::map<std::string, DtypeInfo>& dtypes()
{
    static const std::map<std::string, DtypeInfo> table = {
        { "F64", { at::kDouble, 8 } },
        { "F32", { at::kFloat, 4 } },
        { "F16", { at::kHalf, 2 } },
        { "BF16", { at::kBFloat16, 2 } },
        { "I64", { at::kLong, 8 } },
        { "I32", { at::kInt, 4 } },
        { "U8", { at::kByte, 1 } },
        { "I8", { at::kChar, 1 } },
        { "BOOL", { at::kBool, 1 } },
    };
    return table;
}

Error fileError(const std::string& path, const std::string& what)
{
    return makeError("Cannot read the weights file " + path + ": " + what);
}

Error tensorError(const std::string& path, const std::string& name, const std::string& what)
{
    return makeError("Cannot read the weights file " + path + ": tensor '" + name + "' " + what);
}

// Parses one header entry; the caller has checked that the data area is dataSize bytes.
Result<SafeTensorsFile::Entry> parseEntry(
    const std::string& path, const std::string& name, const nlohmann::json& j, std::size_t dataSize)
{
    if (!j.is_object() || !j.contains("dtype") || !j.contains("shape") || !j.contains("data_offsets")
        || !j["dtype"].is_string() || !j["shape"].is_array() || !j["data_offsets"].is_array()) {
        return tensorError(path, name, "has no valid dtype, shape and data_offsets in the header");
    }
    SafeTensorsFile::Entry e;
    e.dtype = j["dtype"].get<std::string>();
    const auto known = dtypes().find(e.dtype);
    if (known == dtypes().end()) {
        return tensorError(path, name, "has the unsupported dtype '" + e.dtype + "'");
    }
    // Count elements in unsigned 64-bit with an overflow guard: a corrupt header must not
    // wrap around into a small, plausible size.
    uint64_t numel = 1;
    for (const auto& d : j["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0) {
            return tensorError(path, name, "has an invalid shape " + j["shape"].dump());
        }
        const auto dim = d.get<uint64_t>();
        if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / dim) {
            return tensorError(path, name, "has a shape too large " + j["shape"].dump());
        }
        numel *= dim;
        e.shape.push_back(static_cast<int64_t>(dim));
    }
    const auto& offsets = j["data_offsets"];
    if (offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
        return tensorError(path, name, "has invalid data_offsets " + offsets.dump());
    }
    const auto begin = offsets[0].get<uint64_t>();
    const auto end = offsets[1].get<uint64_t>();
    if (begin > end || end > dataSize) {
        return tensorError(path, name,
            "has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] outside the data area of "
                + std::to_string(dataSize) + " bytes (is the file truncated?)");
    }
    if (numel > std::numeric_limits<uint64_t>::max() / known->second.size
        || end - begin != numel * known->second.size) {
        return tensorError(path, name,
            "has " + std::to_string(end - begin) + " bytes of data, but its dtype " + e.dtype + " and shape "
                + j["shape"].dump() + " need " + std::to_string(numel * known->second.size));
    }
    e.begin = static_cast<std::size_t>(begin);
    e.end = static_cast<std::size_t>(end);
    return e;
}

// A shard named by the index must be a plain file name or relative path inside the model
// folder: the index is data from the download and must not steer reads to /etc/passwd or
// ../../other-model. A symlink may only lead elsewhere in the folder, or into the blobs/ folder
// of a Hugging Face hub cache (<repo>/snapshots/<rev>/x -> ../../blobs/<sha>), which is how
// the hub stores every downloaded model.
Result<std::filesystem::path> shardInside(const std::filesystem::path& dir, const std::string& name,
    const std::string& namedBy)
{
    namespace fs = std::filesystem;
    const fs::path rel(name);
    const auto refuse = [&](const std::string& why) {
        return makeError(namedBy + " names the shard '" + name + "', which " + why
            + "; shards must stay inside the model folder " + dir.string());
    };
    if (name.empty() || rel.is_absolute() || rel.has_root_name() || rel.has_root_directory()) {
        return refuse("is not a relative file name");
    }
    for (const auto& part : rel) {
        if (part == "..") {
            return refuse("climbs out of the folder with '..'");
        }
    }
    std::error_code ec;
    const fs::path realDir = fs::canonical(dir, ec);
    if (ec) {
        return makeError("Cannot resolve the model folder " + dir.string() + ": " + ec.message());
    }
    const fs::path target = fs::canonical(dir / rel, ec);
    if (ec) {
        return makeError(namedBy + " lists the shard " + (dir / rel).string() + ", which is missing ("
            + ec.message() + ")");
    }
    const auto under = [](const fs::path& path, const fs::path& root) {
        const auto [rootEnd, pathIt] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
        return rootEnd == root.end() && pathIt != path.end();
    };
    const bool hubBlob = realDir.parent_path().filename() == "snapshots"
        && under(target, realDir.parent_path().parent_path() / "blobs");
    if (!under(target, realDir) && !hubBlob) {
        return refuse("is a link to " + target.string() + ", outside the folder");
    }
    return dir / rel;
}

} // namespace

Result<std::shared_ptr<SafeTensorsFile>> SafeTensorsFile::open(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fileError(path, std::strerror(errno));
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fileError(path, std::strerror(err));
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size < 8) {
        ::close(fd);
        return fileError(
            path, "the file is truncated (" + std::to_string(size) + " bytes, too short for a safetensors header)");
    }
    void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErr = errno;
    ::close(fd); // the mapping keeps the file open
    if (mapping == MAP_FAILED) {
        return fileError(path, std::string("cannot map it into memory: ") + std::strerror(mapErr));
    }
    // From here the file object owns the mapping, so every early return unmaps it.
    std::shared_ptr<SafeTensorsFile> file(new SafeTensorsFile(path, mapping, size));

    const auto* bytes = static_cast<const unsigned char*>(mapping);
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) {
        headerLen = (headerLen << 8) | bytes[i]; // little-endian on every host
    }
    if (headerLen > size - 8) {
        return fileError(path,
            "the header claims " + std::to_string(headerLen) + " bytes but only " + std::to_string(size - 8)
                + " follow (the file is truncated or not safetensors)");
    }
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(
            reinterpret_cast<const char*>(bytes) + 8, reinterpret_cast<const char*>(bytes) + 8 + headerLen);
    } catch (const nlohmann::json::exception& e) {
        return fileError(path, std::string("the header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object()) {
        return fileError(path, "the header is not a JSON object");
    }
    const std::size_t dataSize = size - 8 - static_cast<std::size_t>(headerLen);
    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__") {
            continue;
        }
        auto entry = parseEntry(path, name, value, dataSize);
        if (!entry) {
            return makeError(entry.error());
        }
        file->m_entries.emplace(name, std::move(entry).value());
    }
    file->m_data = static_cast<const std::byte*>(mapping) + 8 + headerLen;
    return file;
}

SafeTensorsFile::SafeTensorsFile(std::string path, void* mapping, std::size_t size)
    : m_path(std::move(path))
    , m_mapping(mapping)
    , m_size(size)
{
}

SafeTensorsFile::~SafeTensorsFile()
{
    ::munmap(m_mapping, m_size);
}

std::vector<std::string> SafeTensorsFile::names() const
{
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [name, entry] : m_entries) {
        out.push_back(name);
    }
    return out;
}

bool SafeTensorsFile::contains(const std::string& name) const
{
    return m_entries.count(name) != 0;
}

const SafeTensorsFile::Entry& SafeTensorsFile::entry(const std::string& name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end()) {
        throw std::out_of_range("no tensor '" + name + "' in " + m_path);
    }
    return it->second;
}

std::vector<int64_t> SafeTensorsFile::shape(const std::string& name) const
{
    return entry(name).shape;
}

std::string SafeTensorsFile::dtype(const std::string& name) const
{
    return entry(name).dtype;
}

at::Tensor SafeTensorsFile::tensor(const std::string& name) const
{
    const Entry& e = entry(name);
    // The deleter owns a reference to this file: the mapping outlives every tensor over it.
    auto keepAlive = shared_from_this();
    // from_blob takes a mutable pointer; the pages stay PROT_READ, as the header documents.
    void* data = const_cast<std::byte*>(m_data + e.begin);
    return at::from_blob(
        data, e.shape, [keepAlive](void*) {}, at::TensorOptions().dtype(dtypes().at(e.dtype).type).device(at::kCPU));
}

void SafeTensorsFile::release(const std::string& name) const
{
    const Entry& e = entry(name);
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = (reinterpret_cast<uintptr_t>(m_data + e.begin) + page - 1) / page * page;
    const auto end = reinterpret_cast<uintptr_t>(m_data + e.end) / page * page;
    // Advice only: a failure leaves the pages resident, which costs memory, not correctness.
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

Result<Checkpoint> Checkpoint::open(const std::string& modelDir)
{
    namespace fs = std::filesystem;
    const fs::path dir(modelDir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return makeError("The model folder " + modelDir + " does not exist or is not a folder");
    }

    // name -> shard file name (relative to dir), in the layout's own terms.
    std::map<std::string, std::string> wanted;
    std::vector<std::string> shardNames;
    const fs::path indexPath = dir / "model.safetensors.index.json";
    const bool indexed = fs::exists(indexPath, ec);
    if (indexed) {
        nlohmann::json index;
        try {
            std::ifstream in(indexPath);
            index = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            return makeError("The checkpoint index " + indexPath.string() + " is not valid JSON (" + e.what() + ")");
        }
        if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
            return makeError("The checkpoint index " + indexPath.string() + " has no weight_map object");
        }
        std::set<std::string> unique;
        for (const auto& [name, shard] : index["weight_map"].items()) {
            if (!shard.is_string()) {
                return makeError("The checkpoint index " + indexPath.string() + " maps '" + name
                    + "' to something that is not a file name");
            }
            wanted[name] = shard.get<std::string>();
            unique.insert(shard.get<std::string>());
        }
        if (wanted.empty()) {
            return makeError("The checkpoint index " + indexPath.string() + " lists no tensors");
        }
        for (const auto& shard : unique) {
            auto path = shardInside(dir, shard, "The checkpoint index " + indexPath.string());
            if (!path) {
                return makeError(path.error());
            }
            if (!fs::is_regular_file(*path, ec)) {
                return makeError("The checkpoint index " + indexPath.string() + " lists the shard "
                    + path->string() + ", which is missing");
            }
        }
        shardNames.assign(unique.begin(), unique.end());
    } else if (fs::is_regular_file(dir / "model.safetensors", ec)) {
        shardNames.push_back("model.safetensors");
    } else {
        for (const auto& item : fs::directory_iterator(dir, ec)) {
            if (item.is_regular_file() && item.path().extension() == ".safetensors") {
                shardNames.push_back(item.path().filename().string());
            }
        }
        std::sort(shardNames.begin(), shardNames.end());
        if (shardNames.empty()) {
            return makeError(
                "The model folder " + modelDir + " has no model.safetensors.index.json and no .safetensors files");
        }
    }

    Checkpoint ckpt;
    std::map<std::string, std::shared_ptr<SafeTensorsFile>> byShard;
    for (const auto& shardName : shardNames) {
        // Unindexed shards are found in the folder itself, but one may still be a link out of it.
        auto path = shardInside(dir, shardName, "The model folder " + modelDir);
        if (!path) {
            return makeError(path.error());
        }
        auto file = SafeTensorsFile::open(path->string());
        if (!file) {
            return makeError(file.error());
        }
        byShard[shardName] = file.value();
    }
    if (!indexed) {
        for (const auto& [shardName, file] : byShard) {
            for (const auto& name : file->names()) {
                const auto [it, inserted] = ckpt.m_files.emplace(name, file);
                if (!inserted) {
                    return makeError("The model folder " + modelDir + " stores the tensor '" + name + "' twice: in "
                        + it->second->path() + " and " + file->path());
                }
            }
        }
    } else {
        // The index is the contract: every key it lists must be in its shard, and a shard
        // holding keys the index does not list points at a stale or mixed-up folder.
        for (const auto& [name, shardName] : wanted) {
            const auto& file = byShard.at(shardName);
            if (!file->contains(name)) {
                return makeError("The checkpoint index " + indexPath.string() + " puts the tensor '" + name + "' in "
                    + file->path() + ", but that file does not contain it");
            }
            ckpt.m_files.emplace(name, file);
        }
        for (const auto& [shardName, file] : byShard) {
            for (const auto& name : file->names()) {
                if (wanted.count(name) == 0) {
                    return makeError("The shard " + file->path() + " contains the tensor '" + name
                        + "', which the checkpoint index " + indexPath.string() + " does not list");
                }
            }
        }
    }
    return ckpt;
}

std::vector<std::string> Checkpoint::names() const
{
    std::vector<std::string> out;
    out.reserve(m_files.size());
    for (const auto& [name, file] : m_files) {
        out.push_back(name);
    }
    return out;
}

bool Checkpoint::contains(const std::string& name) const
{
    return m_files.count(name) != 0;
}

const SafeTensorsFile& Checkpoint::fileFor(const std::string& name) const
{
    const auto it = m_files.find(name);
    if (it == m_files.end()) {
        throw std::out_of_range("no tensor '" + name + "' in the checkpoint");
    }
    return *it->second;
}

std::vector<int64_t> Checkpoint::shape(const std::string& name) const
{
    return fileFor(name).shape(name);
}

std::string Checkpoint::dtype(const std::string& name) const
{
    return fileFor(name).dtype(name);
}

at::Tensor Checkpoint::tensor(const std::string& name) const
{
    return fileFor(name).tensor(name);
}

const std::string& Checkpoint::fileOf(const std::string& name) const
{
    return fileFor(name).path();
}

void Checkpoint::release(const std::string& name) const
{
    fileFor(name).release(name);
}

std::vector<std::string> Checkpoint::files() const
{
    std::set<std::string> paths;
    for (const auto& [name, file] : m_files)
        paths.insert(file->path());
    return {paths.begin(), paths.end()};
}

} // namespace folio::inference
