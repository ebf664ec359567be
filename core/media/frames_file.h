#pragma once

// Kinora frames files (.kframes): the studio's takes on disk, losslessly. A 32-byte header
// (magic "KNRFRM01", then little-endian int32 width, height and frame count, an int32 of
// zeros and the fps as a little-endian IEEE double) and raw RGB24 frames, packed rows. The
// studio keeps every take this way so an extension starts from exactly the frames the user
// saw; kinora-cli reads them as sources and writes them (--out X.kframes) so a redo can be
// compared frame for frame. No Qt, no FFmpeg.

#include "media/video.h"
#include "util/result.h"

#include <array>
#include <cstdint>
#include <filesystem>

namespace kinora::media {

inline constexpr char kFramesSuffix[] = ".kframes";
inline constexpr std::size_t kFramesHeaderSize = 32;

struct FramesHeader {
    int width = 0;
    int height = 0;
    int frames = 0;
    double fps = 0;
};

// The header for `video` (frames of one size; checked by checkFramesVideo first).
std::array<char, kFramesHeaderSize> encodeFramesHeader(const FramesHeader& header);
// The header's fields, checked against the file's size (a file cut short or padded is
// refused). Errors: Format, naming `path`.
Result<FramesHeader> decodeFramesHeader(const char* bytes, std::size_t available, std::uint64_t fileSize,
                                        const std::string& path);
// Error unless `video` has frames, all of one size (InvalidArgument).
Result<FramesHeader> checkFramesVideo(const Video& video);

// Whether the file starts with the frames magic (false for anything unreadable).
bool isFramesFile(const std::filesystem::path& path);
Result<FramesHeader> readFramesHeader(const std::filesystem::path& path);
// Frames first .. first + count - 1 (count < 0: to the end).
Result<Video> readFramesFile(const std::filesystem::path& path, int first = 0, int count = -1);
// Written under a temporary name and renamed over `out` when complete; refuses targets
// that are not regular files (checkOutputPath). Nothing is left on failure.
Result<void> writeFramesFile(const std::filesystem::path& out, const Video& video);

} // namespace kinora::media
