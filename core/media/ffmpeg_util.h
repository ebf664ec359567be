#pragma once

// Private helpers shared by the media sources: RAII owners for FFmpeg objects,
// error texts and the process-wide logging policy. Not part of the public API.

#include "util/result.h"

#include <filesystem>
#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace kinora::media::detail {

struct InputContextDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
struct OutputContextDeleter {
    // Closes the file too, so an error path never leaves a descriptor open.
    void operator()(AVFormatContext* ctx) const;
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct SwsDeleter {
    void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};

using InputContextPtr = std::unique_ptr<AVFormatContext, InputContextDeleter>;
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

// Forgets the remembered line (kept once the host installed Kinora's FFmpeg log:
// media/ffmpeg_log.h); call before an operation whose failure you report.
void clearLastFfmpegLog();

// "Invalid data found when processing input (moov atom not found)".
std::string describeAvError(int errnum);

// Opens a file for demuxing and reads its stream info. Missing file -> NotFound,
// unreadable -> Io, anything FFmpeg cannot parse -> Format; messages name the file.
Result<InputContextPtr> openInput(const std::filesystem::path& path);

// The first (best) video stream, or a Format error naming the file.
Result<int> findVideoStream(AVFormatContext* ctx, const std::filesystem::path& path);

// Frames per second of a stream: avg_frame_rate, else r_frame_rate, else 0.
AVRational streamFrameRate(const AVStream* stream);

} // namespace kinora::media::detail
