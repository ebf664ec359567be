// A model pack's model.json (core/io/model_config.cpp): read from any pack a person is
// given. Whatever it holds, reading gives a config or one error; a config it gives
// describes networks within the parameter limit, and writes back to JSON that reads to
// the same config.
#include "fuzz_util.h"
#include "io/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded())
        return 0;
    auto config = io::configFromJson(j);
    if (!config) {
        fuzz::require(!config.error().message.empty(), "a refused model.json says why");
        return 0;
    }
    fuzz::require(io::minimumParameters(*config) <= io::kMaxParameters, "an accepted model.json is within the limit");
    fuzz::require(config->autoencoder.validFrameCount(config->windowFrames), "windows are 1 + 4k frames");
    fuzz::require(config->frameSize % (config->autoencoder.spatialFactor() * config->transformer.patchSize) == 0,
                  "frames divide into patches");
    const auto written = io::configToJson(*config);
    auto again = io::configFromJson(written);
    fuzz::require(again.ok(), "a config written back reads again");
    fuzz::require(io::configToJson(*again) == written, "a config round-trips through JSON");
    return 0;
}
