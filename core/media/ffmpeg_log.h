#pragma once

// FFmpeg's log level and callback are process-wide, shared with everything else in the
// process that uses FFmpeg (the studio's Qt Multimedia plays through it). The core never
// sets them: a host program calls installFfmpegLog() once, on purpose, to get Kinora's
// behaviour: FFmpeg silent below errors, and the last error line of each thread kept so
// that media errors say why ("moov atom not found"). Without it FFmpeg logs as its
// host configured it and errors carry FFmpeg's error code text alone.
// KINORA_FFMPEG_LOG=1 leaves FFmpeg's own log on stderr (level info) instead.

namespace kinora::media {

void installFfmpegLog();

} // namespace kinora::media
