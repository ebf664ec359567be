#pragma once

// Writing clips as MP4 files: H.264 (libx264), yuv420p, BT.709, faststart, with
// the clip's generation record embedded so `kinora-cli info` and the studio can
// read it back (see video_reader.h).

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "media/provenance.h"

#include "media/video.h"
#include "util/result.h"

namespace kinora::media {

struct EncodeOptions {
    int crf = 18; // x264 constant rate factor, 0 (lossless) .. 51
    std::string metadataJson; // the clip's generation record; stored as the "comment" tag
    std::string preset = "medium"; // x264 preset: ultrafast .. veryslow
    bool mark = false; // draw the visible provenance mark into every frame (mark.h)
    // The XMP written into the file (provenance.h); unset: derived from metadataJson.
    std::optional<Provenance> provenance;
};

// Refuses an output path that exists but is not a regular file: a folder, a device such as
// /dev/full, a FIFO or a socket, or a symbolic link to one. writeMp4 renames its finished
// temporary file over `out`, which would replace such a node instead of writing into it.
// Errors: InvalidArgument, naming what `out` is.
Result<void> checkOutputPath(const std::filesystem::path& out);

// Encodes `video` to `out`, with XMP provenance (IPTC digital source type, tool, dates,
// prompt) added by exempi before the file takes its name. The file is written under a temporary name in the same
// folder and renamed only on success, so `out` either is the complete new clip or
// is left exactly as it was. Odd widths/heights lose their last column/row (4:2:0
// needs even sizes). `cancel` is polled once per frame.
// Errors: InvalidArgument (empty video, frames of different sizes, fps <= 0, bad
// options, `out` not a regular file: see checkOutputPath), Io (folder not writable,
// disk full), Unsupported (no libx264), Cancelled.
Result<void> writeMp4(const Video& video, const std::filesystem::path& out, const EncodeOptions& options = {},
    const std::atomic<bool>* cancel = nullptr);

} // namespace kinora::media
