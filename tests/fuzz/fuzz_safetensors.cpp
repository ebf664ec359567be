// The safetensors header of a weights file (core/io/safetensors_header.cpp).
#include "fuzz_util.h"
#include "io/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    auto header = io::parseSafetensorsHeader(data, size, "fuzz.safetensors");
    if (!header)
        return 0;
    // What the loader relies on: every tensor lies inside the data section, and its bytes
    // are what its shape and dtype need.
    fuzz::require(header->dataStart >= 8 && header->dataStart <= size, "data section starts inside the file");
    const std::size_t dataSize = size - header->dataStart;
    for (const auto& t : header->tensors) {
        fuzz::require(t.begin <= t.end && t.end <= dataSize, "tensor inside the data section");
        std::size_t count = 1;
        for (auto d : t.shape)
            count *= static_cast<std::size_t>(d);
        fuzz::require(count * io::dtypeSize(t.dtype) == t.end - t.begin, "tensor bytes match shape and dtype");
    }
    return 0;
}
