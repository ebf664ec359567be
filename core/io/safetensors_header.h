#pragma once

// The safetensors header, without LibTorch: an 8-byte little-endian header length, then a
// JSON object {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the data
// section. SafetensorsFile maps a file and hands the mapping's bytes to this parser; the
// fuzzer hands it anything at all.

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kinora::io {

struct TensorInfo {
    std::string name;
    std::string dtype; // "F32", "F16", "BF16", "I64", ...
    std::vector<std::int64_t> shape;
    std::size_t begin = 0; // byte offsets into the data section
    std::size_t end = 0;
};

// Bytes per element for a safetensors dtype string; 0 if unknown.
std::size_t dtypeSize(const std::string& dtype);

struct SafetensorsHeader {
    std::vector<TensorInfo> tensors; // sorted by name
    std::map<std::string, std::string> metadata;
    std::size_t dataStart = 0; // offset of the data section in the file
};

// Validates everything a corrupt or foreign file could get wrong: the header length, the
// JSON, each entry's dtype, shape and offsets, and that the data section (the bytes after
// the header, up to `size`) is covered exactly, without overlaps. `name` goes into the
// messages.
Result<SafetensorsHeader> parseSafetensorsHeader(const std::uint8_t* bytes, std::size_t size, const std::string& name);

} // namespace kinora::io
