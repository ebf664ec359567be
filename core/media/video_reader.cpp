#include "media/video_reader.h"

#include "media/ffmpeg_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace kinora::media {

using namespace detail;

namespace {

// Converts decoded frames of any pixel format to RGB24 at the requested size.
class RgbConverter {
public:
    RgbConverter(int targetWidth, int targetHeight)
        : m_targetWidth(targetWidth)
        , m_targetHeight(targetHeight)
    {
    }

    Result<Frame> convert(const AVFrame* src)
    {
        // Scale so the picture covers the target, then cut the centre out.
        int outWidth = src->width;
        int outHeight = src->height;
        if (m_targetWidth > 0 && m_targetHeight > 0) {
            const double srcAspect = static_cast<double>(src->width) / src->height;
            const double dstAspect = static_cast<double>(m_targetWidth) / m_targetHeight;
            if (srcAspect >= dstAspect) {
                outHeight = m_targetHeight;
                outWidth = std::max(m_targetWidth, static_cast<int>(std::lround(m_targetHeight * srcAspect)));
            } else {
                outWidth = m_targetWidth;
                outHeight
                    = std::max(m_targetHeight, static_cast<int>(std::lround(m_targetWidth / srcAspect)));
            }
        }
        const auto format = static_cast<AVPixelFormat>(src->format);
        SwsContext* ctx = sws_getCachedContext(m_sws.release(), src->width, src->height, format, outWidth,
            outHeight, AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
            nullptr, nullptr);
        m_sws.reset(ctx);
        if (!ctx)
            return makeError(ErrorCode::Format,
                std::string("cannot convert pixel format ")
                    + (av_get_pix_fmt_name(format) ? av_get_pix_fmt_name(format) : "unknown"));
        applyColorspace(src);

        const bool crop = outWidth != m_targetWidth || outHeight != m_targetHeight;
        Frame* dst = &m_scaled;
        Frame result;
        if (m_targetWidth > 0 && crop) {
            if (m_scaled.width != outWidth || m_scaled.height != outHeight)
                m_scaled = Frame(outWidth, outHeight);
        } else {
            result = Frame(outWidth, outHeight);
            dst = &result;
        }
        uint8_t* dstData[4] = { dst->rgb.data(), nullptr, nullptr, nullptr };
        int dstStride[4] = { outWidth * 3, 0, 0, 0 };
        sws_scale(ctx, src->data, src->linesize, 0, src->height, dstData, dstStride);
        if (dst == &result)
            return result;

        result = Frame(m_targetWidth, m_targetHeight);
        const int x0 = (outWidth - m_targetWidth) / 2;
        const int y0 = (outHeight - m_targetHeight) / 2;
        for (int y = 0; y < m_targetHeight; ++y)
            std::memcpy(
                result.pixel(0, y), m_scaled.pixel(x0, y0 + y), static_cast<size_t>(m_targetWidth) * 3);
        return result;
    }

private:
    void applyColorspace(const AVFrame* src)
    {
        // FFmpeg assumes BT.601 when told nothing; our own files say BT.709.
        int colorspace = SWS_CS_DEFAULT;
        switch (src->colorspace) {
        case AVCOL_SPC_BT709:
            colorspace = SWS_CS_ITU709;
            break;
        case AVCOL_SPC_FCC:
            colorspace = SWS_CS_FCC;
            break;
        case AVCOL_SPC_SMPTE240M:
            colorspace = SWS_CS_SMPTE240M;
            break;
        case AVCOL_SPC_BT2020_NCL:
        case AVCOL_SPC_BT2020_CL:
            colorspace = SWS_CS_BT2020;
            break;
        case AVCOL_SPC_UNSPECIFIED:
            colorspace = src->height >= 720 ? SWS_CS_ITU709 : SWS_CS_DEFAULT;
            break;
        default:
            colorspace = SWS_CS_ITU601;
            break;
        }
        // RGB, gray and palette sources keep swscale's own defaults.
        const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(src->format));
        if (!desc || desc->nb_components < 3 || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)))
            return;
        // yuvj* formats are full range whatever the tag says.
        const bool jpegFormat = desc && std::strncmp(desc->name, "yuvj", 4) == 0;
        const int srcRange = (src->color_range == AVCOL_RANGE_JPEG || jpegFormat) ? 1 : 0;
        sws_setColorspaceDetails(m_sws.get(), sws_getCoefficients(colorspace), srcRange,
            sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    }

    int m_targetWidth;
    int m_targetHeight;
    SwsPtr m_sws;
    Frame m_scaled;
};

Result<Video> decode(const std::filesystem::path& in, const DecodeOptions& options)
{
    if (options.width < 0 || options.height < 0 || (options.width > 0) != (options.height > 0))
        return makeError(ErrorCode::InvalidArgument, "decode size must be 0x0 (native) or both positive");
    if (options.maxFrames == 0)
        return makeError(
            ErrorCode::InvalidArgument, "maxFrames must be positive, or negative for all frames");

    auto opened = openInput(in);
    if (!opened)
        return opened.error();
    InputContextPtr fmt = std::move(opened.value());
    const std::string name = in.string();
    auto streamIndex = findVideoStream(fmt.get(), in);
    if (!streamIndex)
        return streamIndex.error();
    AVStream* stream = fmt->streams[*streamIndex];
    for (unsigned i = 0; i < fmt->nb_streams; ++i)
        if (static_cast<int>(i) != *streamIndex)
            fmt->streams[i]->discard = AVDISCARD_ALL;

    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return makeError(ErrorCode::Format,
            name + ": no decoder for its video codec \"" + avcodec_get_name(stream->codecpar->codec_id)
                + "\"");
    CodecContextPtr dec(avcodec_alloc_context3(codec));
    if (!dec)
        throw std::bad_alloc();
    int ret = avcodec_parameters_to_context(dec.get(), stream->codecpar);
    if (ret < 0)
        return makeError(ErrorCode::Format, name + ": bad codec parameters: " + describeAvError(ret));
    dec->thread_count = 0; // one per core
    ret = avcodec_open2(dec.get(), codec, nullptr);
    if (ret < 0)
        return makeError(
            ErrorCode::Format, name + ": cannot open the video decoder: " + describeAvError(ret));

    Video video;
    const AVRational rate = streamFrameRate(stream);
    video.fps = rate.num > 0 ? av_q2d(rate) : 25.0;

    RgbConverter converter(options.width, options.height);
    FramePtr frame(av_frame_alloc());
    PacketPtr packet(av_packet_alloc());
    if (!frame || !packet)
        throw std::bad_alloc();
    const auto wantMore
        = [&] { return options.maxFrames < 0 || static_cast<int>(video.frames.size()) < options.maxFrames; };
    auto receiveAll = [&]() -> Result<void> {
        while (wantMore()) {
            ret = avcodec_receive_frame(dec.get(), frame.get());
            if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
                return success();
            if (ret < 0)
                return makeError(
                    ErrorCode::Format, name + " is truncated or corrupt: " + describeAvError(ret));
            auto rgb = converter.convert(frame.get());
            av_frame_unref(frame.get());
            if (!rgb)
                return makeError(ErrorCode::Format, name + ": " + rgb.error().message);
            video.frames.push_back(std::move(rgb.value()));
        }
        return success();
    };

    bool reachedEnd = false;
    while (wantMore()) {
        ret = av_read_frame(fmt.get(), packet.get());
        if (ret == AVERROR_EOF) {
            reachedEnd = true;
            break;
        }
        if (ret < 0)
            return makeError(ErrorCode::Format, name + " is truncated or corrupt: " + describeAvError(ret));
        if (packet->stream_index == *streamIndex) {
            ret = avcodec_send_packet(dec.get(), packet.get());
            // A damaged packet the decoder rejects outright is as bad as a failed read.
            if (ret < 0 && ret != AVERROR(EAGAIN)) {
                av_packet_unref(packet.get());
                return makeError(
                    ErrorCode::Format, name + " is truncated or corrupt: " + describeAvError(ret));
            }
        }
        av_packet_unref(packet.get());
        if (auto received = receiveAll(); !received)
            return received.error();
    }
    if (reachedEnd) {
        avcodec_send_packet(dec.get(), nullptr);
        if (auto received = receiveAll(); !received)
            return received.error();
        // MP4 indexes every frame: fewer decoded than indexed means the data ends early.
        if (stream->nb_frames > 0 && static_cast<int64_t>(video.frames.size()) < stream->nb_frames)
            return makeError(ErrorCode::Format,
                name + " is truncated: " + std::to_string(video.frames.size()) + " of "
                    + std::to_string(stream->nb_frames) + " frames could be decoded");
    }
    if (video.frames.empty())
        return makeError(ErrorCode::Format, name + " contains no decodable video frames");
    return video;
}

} // namespace

Result<Video> readVideo(const std::filesystem::path& in, const DecodeOptions& options)
{
    try {
        return decode(in, options);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading " + in.string());
    }
}

} // namespace kinora::media
