#pragma once

// Reader and writer of the safetensors format: an 8-byte little-endian header
// length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}
// and the raw tensor bytes. Files are memory-mapped; tensors handed out are views
// of the mapping that keep it alive.

#include "io/safetensors_header.h"
#include "util/result.h"

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kinora::io {

// The dtype's LibTorch type, and the reverse (TensorInfo and dtypeSize: safetensors_header.h).
Result<torch::ScalarType> scalarTypeFor(const std::string& dtype);
Result<std::string> dtypeNameFor(torch::ScalarType type);

class SafetensorsFile {
public:
    // Validates everything a corrupt or foreign file could get wrong: the header length,
    // the JSON, each entry's dtype, shape and offsets, and that the data section is covered
    // exactly, without overlaps.
    static Result<SafetensorsFile> open(const std::filesystem::path& path);

    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    const TensorInfo* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    std::size_t fileSize() const;

    // A CPU tensor viewing the mapped bytes (read-only: copy before writing to it).
    torch::Tensor tensor(const TensorInfo& info) const;

    // 64-bit FNV-1a of the whole file, hex: identifies the weights in generation records.
    std::string contentHash() const;

private:
    struct Mapping;
    std::shared_ptr<Mapping> m_mapping;
    std::vector<TensorInfo> m_tensors;
    std::map<std::string, std::string> m_metadata;
    std::size_t m_dataStart = 0;
};

// Writes tensors (any device, contiguous or not) atomically: to a temporary file that is
// renamed over `path` only when everything was written.
Result<void> writeSafetensors(const std::filesystem::path& path,
                              const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                              const std::map<std::string, std::string>& metadata = {});

} // namespace kinora::io
