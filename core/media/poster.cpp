#include "media/poster.h"

#include "media/ffmpeg_util.h"
#include "media/mark.h"
#include "media/mp4_writer.h"
#include "media/temp_file.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <new>
#include <vector>

namespace kinora::media {

using namespace detail;

namespace {

constexpr std::uint8_t kPngSignature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
constexpr std::uint32_t kMaxCommentBytes = 16u << 20; // a record is a few KiB

std::uint32_t crc32(const std::uint8_t* data, size_t size, std::uint32_t crc = 0xFFFFFFFFu)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t {};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

void putBE32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(std::uint8_t(v >> shift));
}

std::uint32_t getBE32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

// An uncompressed iTXt chunk: keyword, compression flag and method, no language tag, no
// translated keyword, UTF-8 text.
std::vector<std::uint8_t> itxtChunk(const std::string& keyword, const std::string& text)
{
    // Keyword end, compression flag and method, empty language tag and translated keyword.
    const std::string body = "iTXt" + keyword + std::string(5, '\0') + text;
    const auto* data = reinterpret_cast<const std::uint8_t*>(body.data());
    std::vector<std::uint8_t> chunk;
    chunk.reserve(body.size() + 8);
    putBE32(chunk, std::uint32_t(body.size() - 4));
    chunk.insert(chunk.end(), data, data + body.size());
    putBE32(chunk, crc32(data, body.size()) ^ 0xFFFFFFFFu);
    return chunk;
}

Result<std::vector<std::uint8_t>> encodePng(const Frame& frame)
{
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    if (!codec)
        return makeError(ErrorCode::Unsupported, "this FFmpeg has no PNG encoder");
    CodecContextPtr enc(avcodec_alloc_context3(codec));
    FramePtr picture(av_frame_alloc());
    PacketPtr packet(av_packet_alloc());
    if (!enc || !picture || !packet)
        throw std::bad_alloc();
    enc->width = frame.width;
    enc->height = frame.height;
    enc->pix_fmt = AV_PIX_FMT_RGB24;
    enc->time_base = AVRational { 1, 1 };
    int ret = avcodec_open2(enc.get(), codec, nullptr);
    if (ret < 0)
        return makeError(ErrorCode::Internal, "cannot open the PNG encoder: " + describeAvError(ret));
    picture->format = AV_PIX_FMT_RGB24;
    picture->width = frame.width;
    picture->height = frame.height;
    if (av_frame_get_buffer(picture.get(), 0) < 0)
        throw std::bad_alloc();
    for (int y = 0; y < frame.height; ++y)
        std::memcpy(picture->data[0] + static_cast<size_t>(y) * picture->linesize[0], frame.pixel(0, y),
            static_cast<size_t>(frame.width) * 3);
    ret = avcodec_send_frame(enc.get(), picture.get());
    if (ret >= 0)
        ret = avcodec_send_frame(enc.get(), nullptr);
    if (ret >= 0)
        ret = avcodec_receive_packet(enc.get(), packet.get());
    if (ret < 0)
        return makeError(ErrorCode::Internal, "PNG encoding failed: " + describeAvError(ret));
    return std::vector<std::uint8_t>(packet->data, packet->data + packet->size);
}

Result<void> write(const Frame& source, const std::filesystem::path& out, const PosterOptions& options)
{
    if (source.width < 1 || source.height < 1 || source.width > 16384 || source.height > 16384
        || source.rgb.size() != static_cast<size_t>(source.width) * source.height * 3)
        return makeError(ErrorCode::InvalidArgument, "cannot write a poster of an empty or malformed frame");
    if (auto ok = checkOutputPath(out); !ok)
        return ok;
    Frame frame = source;
    if (options.mark)
        drawMark(frame);
    auto png = encodePng(frame);
    if (!png)
        return png.error();
    auto& bytes = png.value();
    // The record goes right after IHDR (8-byte signature, then 25 bytes of IHDR chunk).
    constexpr size_t kAfterIhdr = 8 + 25;
    if (bytes.size() < kAfterIhdr || std::memcmp(bytes.data(), kPngSignature, 8) != 0)
        return makeError(ErrorCode::Internal, "the PNG encoder wrote something that is not a PNG");
    if (!options.recordJson.empty()) {
        const auto chunk = itxtChunk("Comment", options.recordJson);
        bytes.insert(bytes.begin() + kAfterIhdr, chunk.begin(), chunk.end());
    }

    const auto target = absoluteTarget(out);
    TempFile temp(temporaryPathFor(target));
    {
        std::ofstream file(temp.path(), std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        file.close();
        if (!file)
            return makeError(ErrorCode::Io,
                "cannot write " + out.string() + ": the folder is not writable or the disk is full");
    }
    return temp.labelAndCommit(target, out,
        options.provenance ? *options.provenance : provenanceFromRecord(options.recordJson));
}

} // namespace

Result<void> writePoster(const Frame& frame, const std::filesystem::path& out, const PosterOptions& options)
{
    try {
        return write(frame, out, options);
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while writing " + out.string());
    }
}

std::optional<std::string> pngComment(const std::filesystem::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::uint8_t signature[8];
    if (!file.read(reinterpret_cast<char*>(signature), 8) || std::memcmp(signature, kPngSignature, 8) != 0)
        return std::nullopt;
    for (;;) {
        std::uint8_t header[8];
        if (!file.read(reinterpret_cast<char*>(header), 8))
            return std::nullopt;
        const std::uint32_t length = getBE32(header);
        const std::string type(reinterpret_cast<const char*>(header + 4), 4);
        if (type == "IDAT" || type == "IEND" || length > 0x7FFFFFFFu)
            return std::nullopt;
        if ((type == "iTXt" || type == "tEXt") && length <= kMaxCommentBytes) {
            std::string body(length, '\0');
            if (!file.read(body.data(), length))
                return std::nullopt;
            const auto nul = body.find('\0');
            if (nul != std::string::npos && body.compare(0, nul, "Comment") == 0) {
                if (type == "tEXt")
                    return body.substr(nul + 1);
                // iTXt: flag, method, language\0, translated keyword\0, text (uncompressed only).
                if (nul + 2 < body.size() && body[nul + 1] == 0) {
                    const auto lang = body.find('\0', nul + 3);
                    const auto translated = lang == std::string::npos ? lang : body.find('\0', lang + 1);
                    if (translated != std::string::npos)
                        return body.substr(translated + 1);
                }
            }
            file.seekg(4, std::ios::cur); // CRC
        } else {
            file.seekg(std::streamoff(length) + 4, std::ios::cur);
        }
        if (!file)
            return std::nullopt;
    }
}

} // namespace kinora::media
