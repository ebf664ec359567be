#include "media/mp4_writer.h"

#include "media/ffmpeg_util.h"
#include "media/mark.h"
#include "media/provenance.h"
#include "media/temp_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <new>
#include <string_view>
#include <system_error>
#include <vector>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/rational.h>
}

namespace kinora::media {

using namespace detail;

namespace {

constexpr std::string_view kX264Presets[] = { "ultrafast", "superfast", "veryfast", "faster", "fast",
    "medium", "slow", "slower", "veryslow", "placebo" };

Result<void> validate(const Video& video, const EncodeOptions& options)
{
    if (video.frames.empty())
        return makeError(ErrorCode::InvalidArgument, "cannot write an empty video (no frames)");
    if (!(video.fps > 0) || !std::isfinite(video.fps) || video.fps > 1000) {
        char text[64];
        std::snprintf(text, sizeof(text), "invalid frame rate %g (must be > 0)", video.fps);
        return makeError(ErrorCode::InvalidArgument, text);
    }
    const int width = video.width();
    const int height = video.height();
    if (width < 2 || height < 2)
        return makeError(ErrorCode::InvalidArgument, "frames must be at least 2x2 pixels");
    for (size_t i = 0; i < video.frames.size(); ++i) {
        const Frame& frame = video.frames[i];
        if (frame.width != width || frame.height != height)
            return makeError(ErrorCode::InvalidArgument,
                "frame " + std::to_string(i) + " is " + std::to_string(frame.width) + "x"
                    + std::to_string(frame.height) + ", the first is " + std::to_string(width) + "x"
                    + std::to_string(height));
        if (frame.rgb.size() != static_cast<size_t>(width) * height * 3)
            return makeError(ErrorCode::InvalidArgument,
                "frame " + std::to_string(i) + " has a pixel buffer of the wrong size");
    }
    if (options.crf < 0 || options.crf > 51)
        return makeError(ErrorCode::InvalidArgument, "crf must be between 0 and 51");
    // Checked here because libx264 prints its own complaint straight to stderr.
    if (std::find(std::begin(kX264Presets), std::end(kX264Presets), options.preset) == std::end(kX264Presets))
        return makeError(ErrorCode::InvalidArgument,
            "unknown x264 preset \"" + options.preset + "\" (use ultrafast .. veryslow)");
    return success();
}

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

Error ioError(const std::filesystem::path& file, const std::string& what, int ret)
{
    return makeError(
        ErrorCode::Io, "cannot write " + file.string() + ": " + what + ": " + describeAvError(ret));
}

// Moves every packet the encoder has ready into the muxer.
Result<void> drainEncoder(AVCodecContext* enc, AVFormatContext* fmt, AVStream* stream, AVPacket* packet,
    const std::filesystem::path& out)
{
    for (;;) {
        int ret = avcodec_receive_packet(enc, packet);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return success();
        if (ret < 0)
            return makeError(ErrorCode::Internal, "H.264 encoding failed: " + describeAvError(ret));
        // libx264 leaves durations unset; the muxer needs them for the last frame.
        if (packet->duration <= 0)
            packet->duration = 1;
        av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
        packet->stream_index = stream->index;
        ret = av_interleaved_write_frame(fmt, packet);
        if (ret < 0)
            return ioError(out, "writing a frame failed", ret);
    }
}

Result<void> encode(const Video& video, const std::filesystem::path& out, const EncodeOptions& options,
    const std::atomic<bool>* cancel)
{
    if (auto valid = validate(video, options); !valid)
        return valid;
    if (cancelled(cancel))
        return makeError(ErrorCode::Cancelled, "writing " + out.string() + " was cancelled");

    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        return makeError(ErrorCode::Unsupported, "this FFmpeg has no libx264 H.264 encoder");

    // 4:2:0 chroma needs even sizes: drop the last column/row if odd.
    const int srcWidth = video.width();
    const int width = video.width() & ~1;
    const int height = video.height() & ~1;
    const AVRational frameRate = av_d2q(video.fps, 100000);
    const AVRational timeBase = av_inv_q(frameRate);

    const std::filesystem::path target = absoluteTarget(out);
    if (auto ok = checkOutputPath(out); !ok)
        return ok;
    TempFile temp(temporaryPathFor(target));

    clearLastFfmpegLog();
    AVFormatContext* rawFmt = nullptr;
    int ret = avformat_alloc_output_context2(&rawFmt, nullptr, "mp4", temp.path().string().c_str());
    if (ret < 0 || !rawFmt)
        return makeError(ErrorCode::Internal, "cannot create an MP4 muxer: " + describeAvError(ret));
    OutputContextPtr fmt(rawFmt);

    CodecContextPtr enc(avcodec_alloc_context3(codec));
    if (!enc)
        throw std::bad_alloc();
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->time_base = timeBase;
    enc->framerate = frameRate;
    enc->sample_aspect_ratio = AVRational { 1, 1 };
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    enc->colorspace = AVCOL_SPC_BT709;
    enc->color_range = AVCOL_RANGE_MPEG;
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    // No B-frames: x264's B-frame decisions read memory it never wrote (seen with FFmpeg 5.1
    // and x264 0.164 at 64 and 192 px: the same frames, encoded again, came out different
    // depending on what the heap held before), and a record's redo must make the same file.
    // Measured at crf 18 on 64-256 px clips, the cost is under 2 % in size, none in PSNR.
    enc->max_b_frames = 0;
    av_opt_set(enc->priv_data, "preset", options.preset.c_str(), 0);
    av_opt_set_double(enc->priv_data, "crf", options.crf, 0);
    ret = avcodec_open2(enc.get(), codec, nullptr);
    if (ret < 0)
        return makeError(ErrorCode::InvalidArgument,
            "cannot open the H.264 encoder (preset \"" + options.preset + "\"): " + describeAvError(ret));

    AVStream* stream = avformat_new_stream(fmt.get(), nullptr);
    if (!stream)
        throw std::bad_alloc();
    stream->time_base = timeBase;
    stream->avg_frame_rate = frameRate;
    stream->r_frame_rate = frameRate;
    ret = avcodec_parameters_from_context(stream->codecpar, enc.get());
    if (ret < 0)
        return makeError(ErrorCode::Internal, "cannot set up the video stream: " + describeAvError(ret));

    if (!options.metadataJson.empty())
        av_dict_set(&fmt->metadata, "comment", options.metadataJson.c_str(), 0);

    ret = avio_open(&fmt->pb, temp.path().string().c_str(), AVIO_FLAG_WRITE);
    if (ret < 0)
        return ioError(out, "cannot create a file in " + target.parent_path().string(), ret);

    AVDictionary* muxOptions = nullptr;
    av_dict_set(&muxOptions, "movflags", "+faststart", 0);
    ret = avformat_write_header(fmt.get(), &muxOptions);
    av_dict_free(&muxOptions);
    if (ret < 0)
        return ioError(out, "writing the header failed", ret);

    FramePtr yuv(av_frame_alloc());
    PacketPtr packet(av_packet_alloc());
    if (!yuv || !packet)
        throw std::bad_alloc();
    yuv->format = enc->pix_fmt;
    yuv->width = width;
    yuv->height = height;
    yuv->color_primaries = enc->color_primaries;
    yuv->color_trc = enc->color_trc;
    yuv->colorspace = enc->colorspace;
    yuv->color_range = enc->color_range;
    ret = av_frame_get_buffer(yuv.get(), 0);
    if (ret < 0)
        throw std::bad_alloc();

    SwsPtr sws(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
        SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr, nullptr));
    if (!sws)
        return makeError(ErrorCode::Internal, "cannot create the RGB to YUV converter");
    // RGB in (full range) -> BT.709 limited-range YUV out, matching the stream's tags.
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(sws.get(), bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);

    // swscale's SIMD code reads a little past the end of the last source row (valgrind
    // shows 16 bytes), so each frame is converted from a copy with room to spare.
    std::vector<uint8_t> padded;
    for (size_t i = 0; i < video.frames.size(); ++i) {
        if (cancelled(cancel))
            return makeError(ErrorCode::Cancelled, "writing " + out.string() + " was cancelled");
        ret = av_frame_make_writable(yuv.get());
        if (ret < 0)
            throw std::bad_alloc();
        const auto& rgb = video.frames[i].rgb;
        padded.resize(rgb.size() + 64);
        std::copy(rgb.begin(), rgb.end(), padded.begin());
        if (options.mark)
            drawMark(padded.data(), srcWidth, video.height());
        // The source stride stays the full row, which crops an odd last column.
        const uint8_t* srcData[1] = { padded.data() };
        const int srcStride[1] = { srcWidth * 3 };
        sws_scale(sws.get(), srcData, srcStride, 0, height, yuv->data, yuv->linesize);
        yuv->pts = static_cast<int64_t>(i);
        ret = avcodec_send_frame(enc.get(), yuv.get());
        if (ret < 0)
            return makeError(ErrorCode::Internal, "H.264 encoding failed: " + describeAvError(ret));
        if (auto drained = drainEncoder(enc.get(), fmt.get(), stream, packet.get(), out); !drained)
            return drained;
    }
    ret = avcodec_send_frame(enc.get(), nullptr);
    if (ret < 0)
        return makeError(ErrorCode::Internal, "H.264 encoding failed: " + describeAvError(ret));
    if (auto drained = drainEncoder(enc.get(), fmt.get(), stream, packet.get(), out); !drained)
        return drained;
    if (cancelled(cancel))
        return makeError(ErrorCode::Cancelled, "writing " + out.string() + " was cancelled");

    ret = av_write_trailer(fmt.get());
    if (ret < 0)
        return ioError(out, "finishing the file failed", ret);
    ret = avio_closep(&fmt->pb);
    if (ret < 0)
        return ioError(out, "closing the file failed", ret);

    return temp.labelAndCommit(target, out,
        options.provenance ? *options.provenance : provenanceFromRecord(options.metadataJson));
}

} // namespace

Result<void> writeMp4(const Video& video, const std::filesystem::path& out, const EncodeOptions& options,
    const std::atomic<bool>* cancel)
{
    try {
        return encode(video, out, options, cancel);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while writing " + out.string());
    }
}

} // namespace kinora::media
