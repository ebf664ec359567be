// The studio's lossless take files (app/frame_io.cpp), read when a project opens and
// whenever a take is extended.
#include "fuzz_util.h"
#include "app/frame_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    fuzz::MemoryFile file(data, size);
    const QString path = QString::fromStdString(file.path());
    auto header = app::readFramesHeader(path);
    auto video = app::readFrames(path, 0, 4);
    if (video) {
        fuzz::require(static_cast<bool>(header), "frames that read have a header that reads");
        fuzz::require(video->frames.size() <= 4, "at most the frames asked for");
        for (const auto& f : video->frames)
            fuzz::require(f.width == header->width && f.height == header->height &&
                              f.rgb.size() == static_cast<std::size_t>(f.width) * f.height * 3,
                          "frames of the header's size");
    }
    (void)app::readFrames(path, 2, -1);
    return 0;
}
