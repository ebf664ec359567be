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

struct DtypeEntry {
    const char* name;
    torch::ScalarType type;
};

constexpr DtypeEntry kDtypes[] = {
    {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16}, {"F64", torch::kFloat64},
    {"I64", torch::kInt64},   {"I32", torch::kInt32},   {"I16", torch::kInt16},     {"I8", torch::kInt8},
    {"U8", torch::kUInt8},    {"BOOL", torch::kBool},
};

} // namespace

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

    auto header = parseSafetensorsHeader(mapping->bytes(), mapping->size, name);
    if (!header)
        return header.error();
    SafetensorsFile file;
    file.m_mapping = mapping;
    file.m_tensors = std::move(header->tensors);
    file.m_metadata = std::move(header->metadata);
    file.m_dataStart = header->dataStart;
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
