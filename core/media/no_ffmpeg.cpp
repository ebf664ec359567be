// Video I/O for builds without FFmpeg (e.g. a GPU machine with only a CUDA LibTorch, used
// to train): every call says so instead of failing to link. The real implementation is
// mp4_writer.cpp, video_reader.cpp and media_probe.cpp.

#include "media/ffmpeg_log.h"
#include "media/mp4_writer.h"
#include "media/poster.h"
#include "media/video_reader.h"

namespace kinora::media {

namespace {
Error unavailable(const std::filesystem::path& file)
{
    return Error{ErrorCode::Unsupported, "this build of Kinora has no FFmpeg, so it cannot read or write " + file.string()};
}
} // namespace

void installFfmpegLog() {}

Result<void> writeMp4(const Video&, const std::filesystem::path& out, const EncodeOptions&, const std::atomic<bool>*)
{
    return unavailable(out);
}

Result<Video> readVideo(const std::filesystem::path& in, const DecodeOptions&) { return unavailable(in); }

Result<std::string> readMetadataJson(const std::filesystem::path& in) { return unavailable(in); }

Result<MediaInfo> probe(const std::filesystem::path& in) { return unavailable(in); }

Result<void> writePoster(const Frame&, const std::filesystem::path& out, const PosterOptions&) { return unavailable(out); }

std::optional<std::string> pngComment(const std::filesystem::path&) { return std::nullopt; }

} // namespace kinora::media
