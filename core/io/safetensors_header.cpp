#include "io/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kinora::io {

namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100u << 20; // the format's own limit

struct DtypeSize {
    const char* name;
    std::size_t size;
};

constexpr DtypeSize kDtypeSizes[] = {
    {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F64", 8}, {"I64", 8},
    {"I32", 4}, {"I16", 2}, {"I8", 1},   {"U8", 1},  {"BOOL", 1},
};

} // namespace

std::size_t dtypeSize(const std::string& dtype)
{
    for (const auto& e : kDtypeSizes)
        if (dtype == e.name)
            return e.size;
    return 0;
}

Result<SafetensorsHeader> parseSafetensorsHeader(const std::uint8_t* bytes, std::size_t size, const std::string& name)
{
    if (size < 8)
        return makeError(ErrorCode::Format, name + " is not a safetensors file (only " + std::to_string(size) + " bytes)");
    std::uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | bytes[i];
    if (headerLen == 0 || headerLen > kMaxHeaderBytes || headerLen > size - 8)
        return makeError(ErrorCode::Format, name + " is not a safetensors file or is truncated (header length " +
                                                std::to_string(headerLen) + ", file size " +
                                                std::to_string(size) + ")");

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(bytes + 8, bytes + 8 + headerLen);
    } catch (const std::exception&) {
        return makeError(ErrorCode::Format, name + " has a header that is not valid JSON");
    }
    if (!header.is_object())
        return makeError(ErrorCode::Format, name + " has a header that is not a JSON object");

    SafetensorsHeader file;
    file.dataStart = 8 + headerLen;
    const std::size_t dataSize = size - file.dataStart;

    for (const auto& [key, value] : header.items()) {
        if (key == "__metadata__") {
            if (!value.is_object())
                return makeError(ErrorCode::Format, name + ": __metadata__ is not an object");
            for (const auto& [mk, mv] : value.items()) {
                if (!mv.is_string())
                    return makeError(ErrorCode::Format, name + ": metadata value '" + mk + "' is not a string");
                file.metadata[mk] = mv.get<std::string>();
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
        file.tensors.push_back(std::move(info));
    }

    // The data section must be covered exactly: no overlaps, no holes.
    std::vector<const TensorInfo*> order;
    for (const auto& t : file.tensors)
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
    std::sort(file.tensors.begin(), file.tensors.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return file;
}

} // namespace kinora::io
