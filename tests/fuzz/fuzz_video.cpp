// Video import and the record reader (core/media/video_reader.cpp): any file a user
// drops on the studio or passes to --from / --source goes through these.
#include "fuzz_util.h"
#include "media/video_reader.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    fuzz::MemoryFile file(data, size);
    if (auto info = media::probe(file.path()))
        fuzz::require(info->width >= 0 && info->height >= 0 && info->frames >= 0, "probe sizes are not negative");
    media::DecodeOptions options;
    options.width = 32;
    options.height = 32;
    options.maxFrames = 8;
    if (auto video = media::readVideo(file.path(), options)) {
        fuzz::require(video->frames.size() <= 8, "at most maxFrames frames");
        for (const auto& f : video->frames)
            fuzz::require(f.width == 32 && f.height == 32 && f.rgb.size() == 32u * 32u * 3u, "frames at the asked size");
    }
    if (auto json = media::readMetadataJson(file.path()))
        (void)nlohmann::json::parse(*json, nullptr, false);
    return 0;
}
