#include "io/safetensors.h"

#include "media/mp4_writer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kinora::io {

namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100u << 20; // the format's own limit

struct DtypeEntry {
    const char* name;
    std::size_t size;
    torch::ScalarType type;
};

constexpr DtypeEntry kDtypes[] = {
    {"F32", 4, torch::kFloat32}, {"F16", 2, torch::kFloat16}, {"BF16", 2, torch::kBFloat16},
    {"F64", 8, torch::kFloat64}, {"I64", 8, torch::kInt64},   {"I32", 4, torch::kInt32},
    {"I16", 2, torch::kInt16},   {"I8", 1, torch::kInt8},     {"U8", 1, torch::kUInt8},
    {"BOOL", 1, torch::kBool},
};

} // namespace

std::size_t dtypeSize(const std::string& dtype)
{
    for (const auto& e : kDtypes)
        if (dtype == e.name)
            return e.size;
    return 0;
}

Result<torch::ScalarType> scalarTypeFor(const std::string& dtype)
{
    for (const auto& e : kDtypes)
        if (dtype == e.name)
            return e.type;
    return makeError(ErrorCode::Unsupported, "unsupported tensor dtype '" + dtype + "'");
}

Result<std::string> dtypeNameFor(torch::ScalarType type)
{
    for (const auto& e : kDtypes)
        if (type == e.type)
            return std::string(e.name);
    return makeError(ErrorCode::Unsupported,
                     std::string("cannot store dtype ") + c10::toString(type) + " in safetensors");
}

struct SafetensorsFile::Mapping {
    void* data = MAP_FAILED;
    std::size_t size = 0;
    ~Mapping()
    {
        if (data != MAP_FAILED && size > 0)
            munmap(data, size);
    }
    const std::uint8_t* bytes() const { return static_cast<const std::uint8_t*>(data); }
};

Result<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path)
{
    const std::string name = path.string();
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return makeError(ErrorCode::NotFound, "weights file not found: " + name);
        return makeError(ErrorCode::Io, "cannot open " + name + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(ErrorCode::Format, name + " is not a regular file");
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->size = static_cast<std::size_t>(st.st_size);
    if (mapping->size < 8) {
        ::close(fd);
        return makeError(ErrorCode::Format, name + " is not a safetensors file (only " +
                                                std::to_string(mapping->size) + " bytes)");
    }
    mapping->data = mmap(nullptr, mapping->size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (mapping->data == MAP_FAILED)
        return makeError(ErrorCode::Io, "cannot map " + name + ": " + std::strerror(errno));

    std::uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | mapping->bytes()[i];
    if (headerLen == 0 || headerLen > kMaxHeaderBytes || headerLen > mapping->size - 8)
        return makeError(ErrorCode::Format, name + " is not a safetensors file or is truncated (header length " +
                                                std::to_string(headerLen) + ", file size " +
                                                std::to_string(mapping->size) + ")");

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(mapping->bytes() + 8, mapping->bytes() + 8 + headerLen);
    } catch (const std::exception&) {
        return makeError(ErrorCode::Format, name + " has a header that is not valid JSON");
    }
    if (!header.is_object())
        return makeError(ErrorCode::Format, name + " has a header that is not a JSON object");

    SafetensorsFile file;
    file.m_mapping = mapping;
    file.m_dataStart = 8 + headerLen;
    const std::size_t dataSize = mapping->size - file.m_dataStart;

    for (const auto& [key, value] : header.items()) {
        if (key == "__metadata__") {
            if (!value.is_object())
                return makeError(ErrorCode::Format, name + ": __metadata__ is not an object");
            for (const auto& [mk, mv] : value.items()) {
                if (!mv.is_string())
                    return makeError(ErrorCode::Format, name + ": metadata value '" + mk + "' is not a string");
                file.m_metadata[mk] = mv.get<std::string>();
            }
            continue;
        }
        const std::string where = name + ": tensor '" + key + "'";
        if (!value.is_object() || !value.contains("dtype") || !value.contains("shape") ||
            !value.contains("data_offsets"))
            return makeError(ErrorCode::Format, where + " lacks dtype, shape or data_offsets");
        TensorInfo info;
        info.name = key;
        try {
            info.dtype = value.at("dtype").get<std::string>();
            info.shape = value.at("shape").get<std::vector<std::int64_t>>();
            auto offsets = value.at("data_offsets").get<std::vector<std::uint64_t>>();
            if (offsets.size() != 2)
                return makeError(ErrorCode::Format, where + " has data_offsets that are not a pair");
            info.begin = offsets[0];
            info.end = offsets[1];
        } catch (const std::exception&) {
            return makeError(ErrorCode::Format, where + " has a malformed entry");
        }
        const std::size_t elemSize = dtypeSize(info.dtype);
        if (elemSize == 0)
            return makeError(ErrorCode::Format, where + " has unknown dtype '" + info.dtype + "'");
        std::uint64_t count = 1;
        for (auto d : info.shape) {
            if (d < 0)
                return makeError(ErrorCode::Format, where + " has a negative dimension");
            if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(d), &count))
                return makeError(ErrorCode::Format, where + " has a shape too large to address");
        }
        std::uint64_t bytes = 0;
        if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(elemSize), &bytes))
            return makeError(ErrorCode::Format, where + " has a shape too large to address");
        if (info.end < info.begin || info.end > dataSize)
            return makeError(ErrorCode::Format, where + " points past the end of the file (truncated?)");
        if (info.end - info.begin != bytes)
            return makeError(ErrorCode::Format, where + " has " + std::to_string(info.end - info.begin) +
                                                    " bytes but its shape and dtype need " + std::to_string(bytes));
        file.m_tensors.push_back(std::move(info));
    }

    // The data section must be covered exactly: no overlaps, no holes.
    std::vector<const TensorInfo*> order;
    for (const auto& t : file.m_tensors)
        order.push_back(&t);
    // By (begin, end): an empty tensor sharing its offset with a neighbour must come first.
    std::sort(order.begin(), order.end(),
              [](auto* a, auto* b) { return a->begin != b->begin ? a->begin < b->begin : a->end < b->end; });
    std::size_t cursor = 0;
    for (const auto* t : order) {
        if (t->begin != cursor)
            return makeError(ErrorCode::Format, name + ": tensor '" + t->name +
                                                    (t->begin < cursor ? "' overlaps another" : "' leaves a gap"));
        cursor = t->end;
    }
    if (cursor != dataSize)
        return makeError(ErrorCode::Format, name + " has " + std::to_string(dataSize - cursor) +
                                                " trailing bytes not owned by any tensor");
    std::sort(file.m_tensors.begin(), file.m_tensors.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return file;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const
{
    auto it = std::lower_bound(m_tensors.begin(), m_tensors.end(), name,
                               [](const TensorInfo& t, const std::string& n) { return t.name < n; });
    return it != m_tensors.end() && it->name == name ? &*it : nullptr;
}

std::size_t SafetensorsFile::fileSize() const { return m_mapping ? m_mapping->size : 0; }

torch::Tensor SafetensorsFile::tensor(const TensorInfo& info) const
{
    auto type = scalarTypeFor(info.dtype).value();
    auto keep = m_mapping;
    void* ptr = const_cast<std::uint8_t*>(m_mapping->bytes() + m_dataStart + info.begin);
    return torch::from_blob(
        ptr, info.shape, [keep](void*) mutable { keep.reset(); }, torch::TensorOptions().dtype(type));
}

std::string SafetensorsFile::contentHash() const
{
    std::uint64_t h = 1469598103934665603ull;
    const std::uint8_t* p = m_mapping->bytes();
    for (std::size_t i = 0; i < m_mapping->size; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

Result<void> writeSafetensors(const std::filesystem::path& path,
                              const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                              const std::map<std::string, std::string>& metadata)
{
    // The file is written beside and renamed over `path`: a device, FIFO or folder there
    // would be replaced, not written to.
    if (auto ok = media::checkOutputPath(path); !ok)
        return ok;
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::vector<torch::Tensor> cpu;
    std::size_t offset = 0;
    for (const auto& [name, t] : tensors) {
        auto dtype = dtypeNameFor(t.scalar_type());
        if (!dtype)
            return dtype.error();
        if (header.contains(name))
            return makeError(ErrorCode::InvalidArgument, "duplicate tensor name '" + name + "'");
        auto c = t.detach().to(torch::kCPU).contiguous();
        const std::size_t bytes = c.numel() * c.element_size();
        header[name] = {{"dtype", dtype.value()},
                        {"shape", c.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        cpu.push_back(std::move(c));
    }
    std::string text = header.dump();
    while ((8 + text.size()) % 8 != 0) // keep the data section 8-byte aligned
        text.push_back(' ');

    auto tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return makeError(ErrorCode::Io, "cannot write " + path.string());
        std::uint64_t len = text.size();
        char lenBytes[8];
        for (int i = 0; i < 8; ++i)
            lenBytes[i] = static_cast<char>((len >> (8 * i)) & 0xff);
        out.write(lenBytes, 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& c : cpu)
            out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.numel() * c.element_size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            return makeError(ErrorCode::Io, "writing " + path.string() + " failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return makeError(ErrorCode::Io, "cannot move weights into place at " + path.string());
    }
    return success();
}

} // namespace kinora::io
