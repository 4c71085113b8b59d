#include "inference/packcache.h"

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace folio::inference {

namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'F', 'O', 'L', 'I', 'O', 'P', 'A', 'K'};
constexpr std::size_t kHeadSize = 4096; // the data starts page-aligned
constexpr uint64_t kAlignment = 64;     // every tensor starts on a cache line
constexpr std::size_t kSampleBytes = 64 * 1024;

// The head's fields, in file order; the last one hashes the bytes before it.
struct Head {
    char magic[8];
    uint32_t version;
    uint32_t reserved;
    uint64_t tableOffset;
    uint64_t tableSize;
    uint64_t tableHash;
    uint64_t headHash;
};
static_assert(sizeof(Head) == 48);

const std::map<std::string, at::ScalarType>& dtypeNames()
{
    static const std::map<std::string, at::ScalarType> names = {
        {"F32", at::kFloat}, {"BF16", at::kBFloat16}, {"F16", at::kHalf}, {"I32", at::kInt},
        {"I16", at::kShort}, {"I8", at::kChar},       {"U8", at::kByte},
    };
    return names;
}

Result<std::string> dtypeName(at::ScalarType type)
{
    for (const auto& [name, t] : dtypeNames())
        if (t == type)
            return name;
    return makeError(std::string("the pack cache cannot store tensors of type ") + c10::toString(type));
}

std::string hex(uint64_t v)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

// XXH3 of a safetensors file's header and of the first and last kSampleBytes of its data.
Result<nlohmann::json> describeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    uint64_t headerLength = 0;
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    if (!in || ec || size < 8 || !in.read(reinterpret_cast<char*>(&headerLength), 8) || headerLength > size - 8)
        return makeError("Cannot read the safetensors header of " + path + " to key the pack cache.");
    std::string header(headerLength, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(headerLength)))
        return makeError("Cannot read the safetensors header of " + path + " to key the pack cache.");
    const uint64_t dataBegin = 8 + headerLength;
    const uint64_t dataSize = size - dataBegin;
    std::string sample(static_cast<std::size_t>(std::min<uint64_t>(dataSize, 2 * kSampleBytes)), '\0');
    const uint64_t head = std::min<uint64_t>(dataSize, kSampleBytes);
    in.read(sample.data(), static_cast<std::streamsize>(head));
    if (sample.size() > head) {
        in.seekg(static_cast<std::streamoff>(size - (sample.size() - head)));
        in.read(sample.data() + head, static_cast<std::streamsize>(sample.size() - head));
    }
    if (!in)
        return makeError("Cannot read the weights of " + path + " to key the pack cache.");
    return nlohmann::json{{"name", fs::path(path).filename().string()},
                          {"size", size},
                          {"header_xxh3", hex(XXH3_64bits(header.data(), header.size()))},
                          {"sample_xxh3", hex(XXH3_64bits(sample.data(), sample.size()))}};
}

} // namespace

std::string defaultPackCacheDir()
{
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    // The XDG spec: a relative value is invalid and ignored.
    if (xdg && *xdg && fs::path(xdg).is_absolute())
        return (fs::path(xdg) / "folio" / "packed").string();
    const char* home = std::getenv("HOME");
    if (home && *home)
        return (fs::path(home) / ".cache" / "folio" / "packed").string();
    return {};
}

Result<std::string> packCacheKey(const std::vector<std::string>& files, QuantScheme quant, const std::string& dtype)
{
    nlohmann::json described = nlohmann::json::array();
    std::vector<std::string> sorted = files;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& file : sorted) {
        auto d = describeFile(file);
        if (!d)
            return makeError(d.error());
        described.push_back(*d);
    }
    return nlohmann::json{{"pack_version", kPackVersion}, {"quant", quantSchemeName(quant)}, {"dtype", dtype},
                          {"files", described}}
        .dump();
}

std::string packCachePath(const std::string& cacheDir, const std::string& modelDir, QuantScheme quant,
                          const std::string& dtype)
{
    std::error_code ec;
    fs::path dir = fs::absolute(modelDir, ec).lexically_normal();
    if (dir.has_filename() == false)
        dir = dir.parent_path(); // "…/model/" names the folder "model"
    const std::string absolute = dir.string();
    const std::string name = dir.filename().string() + "-" + hex(XXH3_64bits(absolute.data(), absolute.size())) + "-"
        + quantSchemeName(quant) + "-" + dtype + ".fpk";
    return (fs::path(cacheDir) / name).string();
}

PackCacheReader::PackCacheReader(void* mapping, std::size_t size) : m_mapping(mapping), m_size(size)
{
}

PackCacheReader::~PackCacheReader()
{
    if (m_mapping)
        munmap(m_mapping, m_size);
}

Result<std::shared_ptr<PackCacheReader>> PackCacheReader::open(const std::string& path, const std::string& key)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(path + ": " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeadSize)) {
        ::close(fd);
        return makeError(path + " is truncated (shorter than its head).");
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    // MAP_POPULATE: the check below reads every byte anyway; faulting in bulk is faster.
    void* mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (mapping == MAP_FAILED)
        return makeError(path + ": cannot map it: " + std::strerror(errno));
    std::shared_ptr<PackCacheReader> reader(new PackCacheReader(mapping, size));
    const auto* bytes = static_cast<const std::byte*>(mapping);

    Head head{};
    std::memcpy(&head, bytes, sizeof head);
    if (std::memcmp(head.magic, kMagic, sizeof kMagic) != 0)
        return makeError(path + " is not a Folio pack cache file.");
    if (head.headHash != XXH3_64bits(bytes, offsetof(Head, headHash)))
        return makeError(path + " is damaged (its head fails its checksum).");
    if (head.version != kPackVersion)
        return makeError(path + " was written by pack version " + std::to_string(head.version) + ", this Folio packs version "
                         + std::to_string(kPackVersion) + ".");
    if (head.tableOffset < kHeadSize || head.tableOffset > size || head.tableSize > size - head.tableOffset)
        return makeError(path + " is truncated (its table lies past the end of the file).");
    const char* table = reinterpret_cast<const char*>(bytes + head.tableOffset);
    if (head.tableHash != XXH3_64bits(table, head.tableSize))
        return makeError(path + " is damaged (its table fails its checksum).");
    nlohmann::json j = nlohmann::json::parse(table, table + head.tableSize, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("key") || !j["key"].is_string() || !j.contains("tensors")
        || !j["tensors"].is_object())
        return makeError(path + " is damaged (its table is not what Folio writes).");
    if (j["key"].get<std::string>() != key)
        return makeError(path + " is stale: it was packed from other checkpoint files or with other settings.");

    struct Check {
        std::string name;
        std::size_t offset, bytes;
        uint64_t hash;
    };
    std::vector<Check> checks;
    try {
        for (const auto& [name, t] : j["tensors"].items()) {
            Entry e;
            const auto type = dtypeNames().find(t.at("dtype").get<std::string>());
            if (type == dtypeNames().end())
                return makeError(path + " is damaged (tensor '" + name + "' has an unknown dtype).");
            e.dtype = type->second;
            e.shape = t.at("shape").get<std::vector<int64_t>>();
            e.offset = t.at("offset").get<std::size_t>();
            const auto count = t.at("bytes").get<std::size_t>();
            uint64_t numel = 1;
            for (int64_t d : e.shape) {
                if (d < 0)
                    return makeError(path + " is damaged (tensor '" + name + "' has a negative dimension).");
                numel *= static_cast<uint64_t>(d);
            }
            if (numel * c10::elementSize(e.dtype) != count || e.offset % kAlignment != 0 || e.offset < kHeadSize
                || e.offset > head.tableOffset || count > head.tableOffset - e.offset)
                return makeError(path + " is damaged (tensor '" + name + "' lies outside the data area).");
            checks.push_back({name, e.offset, count, std::stoull(t.at("xxh3").get<std::string>(), nullptr, 16)});
            reader->m_entries.emplace(name, std::move(e));
        }
    } catch (const std::exception& e) {
        return makeError(path + " is damaged (its table is not what Folio writes: " + e.what() + ").");
    }

    // Every tensor's bytes, in parallel: one bad byte anywhere and the file is not used.
    std::atomic<int64_t> bad{-1};
    at::parallel_for(0, static_cast<int64_t>(checks.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const Check& c = checks[static_cast<std::size_t>(i)];
            if (XXH3_64bits(bytes + c.offset, c.bytes) != c.hash)
                bad = i;
        }
    });
    if (bad >= 0)
        return makeError(path + " is damaged (tensor '" + checks[static_cast<std::size_t>(bad.load())].name
                         + "' fails its checksum).");
    return reader;
}

at::Tensor PackCacheReader::tensor(const std::string& name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        throw std::out_of_range("no tensor '" + name + "' in the pack cache");
    const Entry& e = it->second;
    auto keepAlive = shared_from_this();
    void* data = static_cast<std::byte*>(m_mapping) + e.offset;
    return at::from_blob(data, e.shape, [keepAlive](void*) {}, at::TensorOptions().dtype(e.dtype).device(at::kCPU));
}

PackCacheWriter::PackCacheWriter(std::string path, std::string tempPath, int fd, std::string key)
    : m_path(std::move(path)), m_tempPath(std::move(tempPath)), m_fd(fd), m_key(std::move(key)), m_offset(kHeadSize)
{
}

PackCacheWriter::~PackCacheWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_committed)
        ::unlink(m_tempPath.c_str());
}

Result<std::unique_ptr<PackCacheWriter>> PackCacheWriter::create(const std::string& path, const std::string& key)
{
    const fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return makeError("Cannot create the pack cache directory " + dir.string() + ": " + ec.message());
    static std::atomic<int> counter{0};
    const std::string temp
        = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return makeError("Cannot write to the pack cache directory " + dir.string() + ": " + std::strerror(errno));
    std::unique_ptr<PackCacheWriter> writer(new PackCacheWriter(path, temp, fd, key));
    const std::vector<char> zeros(kHeadSize, 0); // the head is written last, on commit
    if (auto written = writer->writeAll(zeros.data(), zeros.size()); !written)
        return makeError(written.error());
    return writer;
}

Error PackCacheWriter::failure(const std::string& what) const
{
    return makeError("Cannot write the pack cache " + m_tempPath + ": " + what);
}

Result<void> PackCacheWriter::writeAll(const void* data, std::size_t size)
{
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(m_fd, p, std::min<std::size_t>(size, std::size_t(1) << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failure(n < 0 ? std::strerror(errno) : "nothing written");
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> PackCacheWriter::add(const std::string& name, const at::Tensor& tensor)
{
    for (const Written& w : m_table)
        if (w.name == name)
            return failure("tensor '" + name + "' added twice");
    auto type = dtypeName(tensor.scalar_type());
    if (!type)
        return failure(type.error());
    const at::Tensor t = tensor.to(at::kCPU).contiguous();
    const auto bytes = static_cast<uint64_t>(t.numel()) * t.element_size();
    const uint64_t padding = (kAlignment - m_offset % kAlignment) % kAlignment;
    const char zeros[kAlignment] = {};
    if (auto w = writeAll(zeros, padding); !w)
        return w;
    m_offset += padding;
    if (auto w = writeAll(t.data_ptr(), bytes); !w)
        return w;
    m_table.push_back({name, t.scalar_type(), t.sizes().vec(), m_offset, bytes, XXH3_64bits(t.data_ptr(), bytes)});
    m_offset += bytes;
    return {};
}

Result<void> PackCacheWriter::commit()
{
    nlohmann::json tensors = nlohmann::json::object();
    for (const Written& w : m_table)
        tensors[w.name] = {{"dtype", *dtypeName(w.dtype)}, {"shape", w.shape}, {"offset", w.offset},
                           {"bytes", w.bytes}, {"xxh3", hex(w.hash)}};
    const std::string table = nlohmann::json{{"key", m_key}, {"tensors", tensors}}.dump();
    if (auto w = writeAll(table.data(), table.size()); !w)
        return w;
    Head head{};
    std::memcpy(head.magic, kMagic, sizeof kMagic);
    head.version = kPackVersion;
    head.tableOffset = m_offset;
    head.tableSize = table.size();
    head.tableHash = XXH3_64bits(table.data(), table.size());
    head.headHash = XXH3_64bits(&head, offsetof(Head, headHash));
    if (::pwrite(m_fd, &head, sizeof head, 0) != static_cast<ssize_t>(sizeof head))
        return failure(std::strerror(errno));
    // Durable before it is visible: a crash leaves the old file or the whole new one.
    if (::fsync(m_fd) != 0)
        return failure(std::strerror(errno));
    ::close(m_fd);
    m_fd = -1;
    if (::rename(m_tempPath.c_str(), m_path.c_str()) != 0)
        return failure(std::string("cannot rename it to ") + m_path + ": " + std::strerror(errno));
    m_committed = true;
    return {};
}

} // namespace folio::inference
