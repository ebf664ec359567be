#include "media/video_reader.h"
#include "media/poster.h"

#include "media/ffmpeg_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <limits>
#include <new>

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace kinora::media {

using namespace detail;

namespace {

// Walks the top-level ISO-BMFF boxes: a file is "faststart" when its index
// (moov) comes before the media data (mdat), so playback can begin while loading.
bool moovBeforeMdat(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::uint64_t offset = 0;
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec)
        return false;
    while (file && offset + 8 <= size) {
        std::array<unsigned char, 16> header {};
        file.seekg(static_cast<std::streamoff>(offset));
        if (!file.read(reinterpret_cast<char*>(header.data()), 8))
            return false;
        std::uint64_t boxSize
            = (std::uint64_t(header[0]) << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
        const std::string type(reinterpret_cast<const char*>(header.data()) + 4, 4);
        if (type == "moov")
            return true;
        if (type == "mdat")
            return false;
        if (boxSize == 1) {
            if (!file.read(reinterpret_cast<char*>(header.data()) + 8, 8))
                return false;
            boxSize = 0;
            for (int i = 8; i < 16; ++i)
                boxSize = (boxSize << 8) | header[i];
        } else if (boxSize == 0) {
            return false; // the last box runs to the end and it is neither
        }
        if (boxSize < 8)
            return false;
        offset += boxSize;
    }
    return false;
}

std::string orUnknown(const char* name)
{
    return name ? name : "unknown";
}

Result<MediaInfo> probeFile(const std::filesystem::path& in)
{
    auto opened = openInput(in);
    if (!opened)
        return opened.error();
    InputContextPtr fmt = std::move(opened.value());
    auto streamIndex = findVideoStream(fmt.get(), in);
    if (!streamIndex)
        return streamIndex.error();
    AVStream* stream = fmt->streams[*streamIndex];
    const AVCodecParameters* par = stream->codecpar;

    // A damaged header can claim any size: what cannot be a picture is refused here,
    // before a caller sizes anything by it.
    if (par->width <= 0 || par->height <= 0 || par->width > kMaxPictureSide || par->height > kMaxPictureSide)
        return makeError(ErrorCode::Format, in.string() + ": the video stream's picture size (" +
                                                std::to_string(par->width) + " x " + std::to_string(par->height) +
                                                ") is not one Kinora can read");
    MediaInfo info;
    info.width = par->width;
    info.height = par->height;
    const AVRational rate = streamFrameRate(stream);
    info.fps = rate.num > 0 ? av_q2d(rate) : 0.0;
    info.codec = avcodec_get_name(par->codec_id);
    info.pixelFormat = orUnknown(av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format)));
    info.colorPrimaries = orUnknown(av_color_primaries_name(par->color_primaries));
    info.colorTransfer = orUnknown(av_color_transfer_name(par->color_trc));
    info.colorSpace = orUnknown(av_color_space_name(par->color_space));

    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        info.seconds = stream->duration * av_q2d(stream->time_base);
    else if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        info.seconds = static_cast<double>(fmt->duration) / AV_TIME_BASE;

    if (stream->nb_frames > 0) {
        info.frames = static_cast<int>(std::min<int64_t>(stream->nb_frames, std::numeric_limits<int>::max()));
    } else {
        // Containers without a frame index (Matroska, raw streams): count packets.
        for (unsigned i = 0; i < fmt->nb_streams; ++i)
            fmt->streams[i]->discard
                = static_cast<int>(i) == *streamIndex ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
        PacketPtr packet(av_packet_alloc());
        if (!packet)
            throw std::bad_alloc();
        while (av_read_frame(fmt.get(), packet.get()) >= 0) {
            if (packet->stream_index == *streamIndex && info.frames < std::numeric_limits<int>::max())
                ++info.frames;
            av_packet_unref(packet.get());
        }
    }
    if (info.seconds <= 0 && info.fps > 0)
        info.seconds = info.frames / info.fps;

    const std::string demuxer = fmt->iformat->name;
    if (demuxer.find("mp4") != std::string::npos || demuxer.find("mov") != std::string::npos)
        info.faststart = moovBeforeMdat(in);
    return info;
}

Result<std::string> readRecord(const std::filesystem::path& in)
{
    // Posters (poster.h) keep the record in a PNG text chunk.
    if (auto comment = pngComment(in)) {
        if (!nlohmann::json::accept(*comment))
            return makeError(ErrorCode::NotFound, "no Kinora generation record in " + in.string());
        return std::move(*comment);
    }
    auto opened = openInput(in);
    if (!opened)
        return opened.error();
    const AVDictionaryEntry* entry = av_dict_get(opened.value()->metadata, "comment", nullptr, 0);
    // Other tools put free text into "comment" too; only JSON is a Kinora record.
    if (!entry || !entry->value || !nlohmann::json::accept(entry->value))
        return makeError(ErrorCode::NotFound, "no Kinora generation record in " + in.string());
    return std::string(entry->value);
}

} // namespace

Result<MediaInfo> probe(const std::filesystem::path& in)
{
    try {
        return probeFile(in);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading " + in.string());
    }
}

Result<std::string> readMetadataJson(const std::filesystem::path& in)
{
    try {
        return readRecord(in);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading " + in.string());
    }
}

} // namespace kinora::media
