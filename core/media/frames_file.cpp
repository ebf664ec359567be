#include "media/frames_file.h"

#include "media/mp4_writer.h" // checkOutputPath
#include "media/temp_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace kinora::media {

namespace {

constexpr char kMagic[8] = {'K', 'N', 'R', 'F', 'R', 'M', '0', '1'};

void putLe(char* out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t getLe(const char* in, int bytes)
{
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t(static_cast<unsigned char>(in[i])) << (8 * i);
    return v;
}

Error cannotRead(const std::filesystem::path& path)
{
    return makeError(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                     "cannot read " + path.string() + ": " + std::strerror(errno ? errno : EIO));
}

} // namespace

std::array<char, kFramesHeaderSize> encodeFramesHeader(const FramesHeader& h)
{
    std::array<char, kFramesHeaderSize> out{};
    std::memcpy(out.data(), kMagic, 8);
    putLe(out.data() + 8, std::uint32_t(h.width), 4);
    putLe(out.data() + 12, std::uint32_t(h.height), 4);
    putLe(out.data() + 16, std::uint32_t(h.frames), 4);
    std::uint64_t bits;
    std::memcpy(&bits, &h.fps, 8);
    putLe(out.data() + 24, bits, 8);
    return out;
}

Result<FramesHeader> decodeFramesHeader(const char* bytes, std::size_t available, std::uint64_t fileSize,
                                        const std::string& path)
{
    if (available < kFramesHeaderSize || std::memcmp(bytes, kMagic, 8) != 0)
        return makeError(ErrorCode::Format, path + " is not a Kinora frames file");
    FramesHeader h;
    h.width = static_cast<std::int32_t>(getLe(bytes + 8, 4));
    h.height = static_cast<std::int32_t>(getLe(bytes + 12, 4));
    h.frames = static_cast<std::int32_t>(getLe(bytes + 16, 4));
    const std::uint64_t bits = getLe(bytes + 24, 8);
    std::memcpy(&h.fps, &bits, 8);
    // Sizes first: only then is the product below sure to fit (8192 * 8192 * 3 * 2^31 < 2^63).
    if (h.width <= 0 || h.height <= 0 || h.frames <= 0 || h.width > 8192 || h.height > 8192 || !(h.fps > 0) ||
        h.fps > 1000 || fileSize != kFramesHeaderSize + std::uint64_t(h.width) * h.height * 3 * h.frames)
        return makeError(ErrorCode::Format, path + " is truncated or corrupt");
    return h;
}

Result<FramesHeader> checkFramesVideo(const Video& video)
{
    if (video.frames.empty())
        return makeError(ErrorCode::InvalidArgument, "no frames to store");
    const int w = video.width(), h = video.height();
    for (const auto& f : video.frames)
        if (f.width != w || f.height != h || f.rgb.size() != static_cast<std::size_t>(w) * h * 3)
            return makeError(ErrorCode::InvalidArgument, "frames of different sizes");
    return FramesHeader{w, h, int(video.frames.size()), video.fps};
}

bool isFramesFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[8];
    return in.read(magic, 8) && std::memcmp(magic, kMagic, 8) == 0;
}

namespace {

Result<FramesHeader> openFrames(std::ifstream& in, const std::filesystem::path& path)
{
    errno = 0;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return makeError(ErrorCode::Format, path.string() + " is a folder, not a Kinora frames file");
    in.open(path, std::ios::binary);
    if (!in)
        return cannotRead(path);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot read " + path.string() + ": " + ec.message());
    char header[kFramesHeaderSize] = {};
    in.read(header, kFramesHeaderSize);
    return decodeFramesHeader(header, std::size_t(in.gcount()), size, path.string());
}

} // namespace

Result<FramesHeader> readFramesHeader(const std::filesystem::path& path)
{
    std::ifstream in;
    return openFrames(in, path);
}

Result<Video> readFramesFile(const std::filesystem::path& path, int first, int count)
{
    std::ifstream in;
    auto header = openFrames(in, path);
    if (!header)
        return header.error();
    if (count < 0)
        count = header->frames - first;
    if (first < 0 || count <= 0 || std::int64_t(first) + count > header->frames)
        return makeError(ErrorCode::InvalidArgument, "frame range outside the take");
    const std::int64_t frameBytes = std::int64_t(header->width) * header->height * 3;
    in.seekg(std::streamoff(kFramesHeaderSize + frameBytes * first));
    Video video;
    video.fps = header->fps;
    video.frames.reserve(count);
    for (int i = 0; i < count; ++i) {
        Frame f(header->width, header->height);
        if (!in.read(reinterpret_cast<char*>(f.rgb.data()), frameBytes))
            return makeError(ErrorCode::Format, path.string() + " is truncated");
        video.frames.push_back(std::move(f));
    }
    return video;
}

Result<void> writeFramesFile(const std::filesystem::path& out, const Video& video)
{
    auto header = checkFramesVideo(video);
    if (!header)
        return header.error();
    if (auto ok = checkOutputPath(out); !ok)
        return ok;
    const auto target = detail::absoluteTarget(out);
    detail::TempFile temp(detail::temporaryPathFor(target));
    {
        std::ofstream file(temp.path(), std::ios::binary | std::ios::trunc);
        if (!file)
            return makeError(ErrorCode::Io, "cannot write " + out.string() + ": " + std::strerror(errno ? errno : EIO));
        const auto bytes = encodeFramesHeader(header.value());
        file.write(bytes.data(), std::streamsize(bytes.size()));
        for (const auto& f : video.frames)
            file.write(reinterpret_cast<const char*>(f.rgb.data()), std::streamsize(f.rgb.size()));
        file.flush();
        if (!file)
            return makeError(ErrorCode::Io, "cannot write " + out.string() + ": the disk is full or the file is too large");
    }
    return temp.commit(target, out);
}

} // namespace kinora::media
