#include "media/ffmpeg_util.h"
#include "media/ffmpeg_log.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <system_error>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace kinora::media::detail {

namespace {

thread_local std::string t_lastLog;

void logCallback(void* avcl, int level, const char* format, va_list args)
{
    if (level > AV_LOG_ERROR)
        return;
    char line[1024];
    int printPrefix = 0; // no "[mov,mp4,... @ 0x...]": the message names the file itself
    av_log_format_line2(avcl, level, format, args, line, sizeof(line), &printPrefix);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    if (!text.empty())
        t_lastLog = std::move(text);
}

} // namespace

void OutputContextDeleter::operator()(AVFormatContext* ctx) const
{
    if (ctx->pb && !(ctx->oformat->flags & AVFMT_NOFILE))
        avio_closep(&ctx->pb);
    avformat_free_context(ctx);
}

void clearLastFfmpegLog()
{
    t_lastLog.clear();
}

std::string describeAvError(int errnum)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(errnum, buffer, sizeof(buffer));
    std::string text(buffer);
    // The log line usually says more than the code ("moov atom not found").
    if (!t_lastLog.empty() && t_lastLog != text)
        text += " (" + t_lastLog + ")";
    return text;
}

Result<InputContextPtr> openInput(const std::filesystem::path& path)
{
    clearLastFfmpegLog();
    const std::string name = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        return makeError(ErrorCode::NotFound, "no such file: " + name);
    if (std::filesystem::is_directory(status))
        return makeError(ErrorCode::InvalidArgument, name + " is a folder, not a video file");

    AVFormatContext* raw = nullptr;
    int ret = avformat_open_input(&raw, name.c_str(), nullptr, nullptr);
    if (ret < 0) {
        if (ret == AVERROR(ENOENT))
            return makeError(ErrorCode::NotFound, "no such file: " + name);
        if (ret == AVERROR(EACCES) || ret == AVERROR(EPERM) || ret == AVERROR(EIO))
            return makeError(ErrorCode::Io, "cannot read " + name + ": " + describeAvError(ret));
        return makeError(
            ErrorCode::Format, name + " is not a media file FFmpeg can read: " + describeAvError(ret));
    }
    InputContextPtr ctx(raw);
    ret = avformat_find_stream_info(ctx.get(), nullptr);
    if (ret < 0)
        return makeError(
            ErrorCode::Format, "cannot read the streams of " + name + ": " + describeAvError(ret));
    return ctx;
}

Result<int> findVideoStream(AVFormatContext* ctx, const std::filesystem::path& path)
{
    const int index = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0)
        return makeError(ErrorCode::Format, path.string() + " has no video stream");
    const AVCodecParameters* par = ctx->streams[index]->codecpar;
    if (par->width <= 0 || par->height <= 0)
        return makeError(ErrorCode::Format, path.string() + " has a video stream without a frame size");
    return index;
}

AVRational streamFrameRate(const AVStream* stream)
{
    if (stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0)
        return stream->avg_frame_rate;
    if (stream->r_frame_rate.num > 0 && stream->r_frame_rate.den > 0)
        return stream->r_frame_rate;
    return AVRational { 0, 1 };
}

} // namespace kinora::media::detail

namespace kinora::media {

void installFfmpegLog()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const char* verbose = std::getenv("KINORA_FFMPEG_LOG");
        if (verbose && *verbose && std::string(verbose) != "0") {
            av_log_set_level(AV_LOG_INFO);
            return;
        }
        av_log_set_level(AV_LOG_ERROR);
        av_log_set_callback(&detail::logCallback);
    });
}

} // namespace kinora::media
