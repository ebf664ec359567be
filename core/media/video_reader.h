#pragma once

// Reading clips: decoding any video FFmpeg understands into RGB24 frames, probing
// a file's stream properties, and reading back the generation record that
// writeMp4() embeds.

#include <cstddef>
#include <filesystem>
#include <string>

#include "media/video.h"
#include "util/result.h"

namespace kinora::media {

// The largest picture side Kinora reads (8K); larger, zero or negative sizes in a file's
// header are refused as damaged.
inline constexpr int kMaxPictureSide = 8192;

struct DecodeOptions {
    // 0 x 0 keeps the native size. Otherwise the picture is scaled (keeping its
    // aspect) until it covers width x height, then centre-cropped to exactly that.
    int width = 0;
    int height = 0;
    int maxFrames = -1; // < 0: all frames
};

// Missing file -> NotFound; not a video, truncated or corrupt -> Format. The frame
// rate comes from the stream (average rate, else the base rate).
Result<Video> readVideo(const std::filesystem::path& in, const DecodeOptions& options = {});

// The JSON generation record a Kinora MP4 carries. NotFound ("no Kinora generation
// record in <file>") when the file has none; Format when it is not a media file.
Result<std::string> readMetadataJson(const std::filesystem::path& in);

struct MediaInfo {
    int width = 0;
    int height = 0;
    double fps = 0;
    int frames = 0;
    double seconds = 0;
    std::string codec; // "h264"
    std::string pixelFormat; // "yuv420p"
    bool faststart = false; // MP4/MOV: the moov atom precedes mdat (streamable)
    std::string colorPrimaries, colorTransfer, colorSpace; // "bt709", or "unknown"
};

// Properties of the file's main video stream, without decoding it.
Result<MediaInfo> probe(const std::filesystem::path& in);

// Peak signal-to-noise ratio over all RGB samples, in dB; +inf for identical
// frames, 0 when the sizes differ (nothing comparable).
double psnr(const Frame& a, const Frame& b);
// Mean absolute difference of two frames of one size, on the 0-255 scale (0 otherwise).
double meanChange(const Frame& a, const Frame& b);
// How visible the join of `before` and `after` is: the change from before's last frame to
// after's first against the median frame-to-frame change inside both clips (at least 0.5,
// so still clips do not divide by nothing). About 1 for a join that does not show; a cut to
// another scene is many times that. 0 when either clip has no frames.
double seamRatio(const Video& before, const Video& after);

} // namespace kinora::media
