#include "app/frame_io.h"

#include <QFile>
#include <QSaveFile>

#include <cstring>

namespace kinora::app {

Result<void> writeFrames(const QString& path, const Video& video)
{
    auto header = media::checkFramesVideo(video);
    if (!header)
        return header.error();
    QSaveFile file(path);
    // Unbuffered: Qt 6.4's QSaveFile::commit() renames the file into place even when the
    // flush of its buffer stops short (a full disk), leaving a truncated file that passed
    // for saved (tests/tst_disk_full.cpp); written directly, the short write shows here.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return makeError(ErrorCode::Io, ("cannot write " + path + ": " + file.errorString()).toStdString());
    const auto bytes = media::encodeFramesHeader(header.value());
    bool ok = file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
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

Result<FramesHeader> readFramesHeader(const QString& path)
{
    return media::readFramesHeader(QFile::encodeName(path).toStdString());
}

Result<Video> readFrames(const QString& path, int first, int count)
{
    return media::readFramesFile(QFile::encodeName(path).toStdString(), first, count);
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
