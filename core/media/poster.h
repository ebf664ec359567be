#pragma once

// Posters: one frame of a clip as a PNG that carries the clip's generation record (an
// iTXt "Comment" chunk, UTF-8) and the same XMP provenance as the MP4, so the label
// survives where the video is shared as a still.

#include <filesystem>
#include <optional>
#include <string>

#include "media/provenance.h"
#include "media/video.h"
#include "util/result.h"

namespace kinora::media {

struct PosterOptions {
    std::string recordJson;               // "": no record chunk
    bool mark = false;                    // draw the visible mark (mark.h)
    std::optional<Provenance> provenance; // unset: from recordJson
};

// Writes `frame` to `out` as an 8-bit RGB PNG: under a temporary name, renamed when
// complete, so `out` is either the whole new poster or untouched.
// Errors: InvalidArgument (empty or inconsistent frame, `out` not a regular file), Io.
Result<void> writePoster(const Frame& frame, const std::filesystem::path& out, const PosterOptions& options = {});

// The text of a PNG's "Comment" chunk (iTXt uncompressed, or tEXt); nullopt when the file
// is not a PNG or has none. Reads chunk headers only up to the first image data.
std::optional<std::string> pngComment(const std::filesystem::path& file);

} // namespace kinora::media
