#include "app/frame_io.h"

#include <QFile>
#include <QSaveFile>
#include <QtEndian>

#include <cstring>

namespace kinora::app {

namespace {

constexpr char kMagic[8] = {'K', 'N', 'R', 'F', 'R', 'M', '0', '1'};
constexpr qint64 kHeaderSize = 32;

} // namespace

Result<void> writeFrames(const QString& path, const Video& video)
{
    if (video.frames.empty())
        return makeError(ErrorCode::InvalidArgument, "no frames to store");
    const int w = video.width(), h = video.height();
    for (const auto& f : video.frames)
        if (f.width != w || f.height != h || f.rgb.size() != static_cast<size_t>(w) * h * 3)
            return makeError(ErrorCode::InvalidArgument, "frames of different sizes");
    QSaveFile file(path);
    // Unbuffered: Qt 6.4's QSaveFile::commit() renames the file into place even when the
    // flush of its buffer stops short (a full disk), leaving a truncated file that passed
    // for saved (tests/tst_disk_full.cpp); written directly, the short write shows here.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return makeError(ErrorCode::Io, ("cannot write " + path + ": " + file.errorString()).toStdString());
    char header[kHeaderSize] = {};
    std::memcpy(header, kMagic, 8);
    qToLittleEndian<qint32>(w, header + 8);
    qToLittleEndian<qint32>(h, header + 12);
    qToLittleEndian<qint32>(static_cast<qint32>(video.frames.size()), header + 16);
    double fps = video.fps;
    quint64 bits;
    std::memcpy(&bits, &fps, 8);
    qToLittleEndian<quint64>(bits, header + 24);
    bool ok = file.write(header, kHeaderSize) == kHeaderSize;
    for (const auto& f : video.frames) {
        if (!ok)
            break;
        ok = file.write(reinterpret_cast<const char*>(f.rgb.data()), qint64(f.rgb.size())) == qint64(f.rgb.size());
    }
    if (!ok || !file.commit())
        return makeError(ErrorCode::Io, ("cannot write " + path + ": " + writeFailure(file)).toStdString());
    return success();
}

QString writeFailure(const QFileDevice& file)
{
    if (file.error() == QFileDevice::NoError || file.errorString() == QLatin1String("Unknown error"))
        return QObject::tr("the disk is full or the file is too large");
    return file.errorString();
}

static Result<FramesHeader> parseHeader(QFile& file, const QString& path)
{
    char header[kHeaderSize];
    if (file.read(header, kHeaderSize) != kHeaderSize || std::memcmp(header, kMagic, 8) != 0)
        return makeError(ErrorCode::Format, (path + " is not a Kinora frames file").toStdString());
    FramesHeader h;
    h.width = qFromLittleEndian<qint32>(header + 8);
    h.height = qFromLittleEndian<qint32>(header + 12);
    h.frames = qFromLittleEndian<qint32>(header + 16);
    const quint64 bits = qFromLittleEndian<quint64>(header + 24);
    std::memcpy(&h.fps, &bits, 8);
    // Sizes first: only then is the product below sure to fit (8192 * 8192 * 3 * 2^31 < 2^63).
    if (h.width <= 0 || h.height <= 0 || h.frames <= 0 || h.width > 8192 || h.height > 8192 || !(h.fps > 0) ||
        file.size() != kHeaderSize + qint64(h.width) * h.height * 3 * h.frames)
        return makeError(ErrorCode::Format, (path + " is truncated or corrupt").toStdString());
    return h;
}

Result<FramesHeader> readFramesHeader(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, ("cannot read " + path + ": " + file.errorString()).toStdString());
    return parseHeader(file, path);
}

Result<Video> readFrames(const QString& path, int first, int count)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, ("cannot read " + path + ": " + file.errorString()).toStdString());
    auto header = parseHeader(file, path);
    if (!header)
        return header.error();
    if (count < 0)
        count = header->frames - first;
    if (first < 0 || count <= 0 || qint64(first) + count > header->frames)
        return makeError(ErrorCode::InvalidArgument, "frame range outside the take");
    const qint64 frameBytes = qint64(header->width) * header->height * 3;
    if (!file.seek(kHeaderSize + frameBytes * first))
        return makeError(ErrorCode::Io, ("cannot read " + path).toStdString());
    Video video;
    video.fps = header->fps;
    video.frames.reserve(count);
    for (int i = 0; i < count; ++i) {
        Frame f(header->width, header->height);
        if (file.read(reinterpret_cast<char*>(f.rgb.data()), frameBytes) != frameBytes)
            return makeError(ErrorCode::Format, (path + " is truncated").toStdString());
        video.frames.push_back(std::move(f));
    }
    return video;
}

QImage toImage(const Frame& frame)
{
    if (frame.width <= 0 || frame.height <= 0)
        return {};
    QImage image(frame.width, frame.height, QImage::Format_RGB888);
    for (int y = 0; y < frame.height; ++y)
        std::memcpy(image.scanLine(y), frame.pixel(0, y), static_cast<size_t>(frame.width) * 3);
    return image;
}

Frame fromImage(const QImage& source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB888);
    Frame frame(image.width(), image.height());
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(frame.pixel(0, y), image.constScanLine(y), static_cast<size_t>(image.width()) * 3);
    return frame;
}

} // namespace kinora::app
