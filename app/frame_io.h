#pragma once

// Takes on disk, losslessly: a small header and raw RGB24 frames, so an extension
// starts from exactly the frames the user saw. Also the frame <-> QImage bridge.

#include "media/frames_file.h"
#include "media/video.h"
#include "util/result.h"

#include <QImage>
#include <QString>

class QFileDevice;

namespace kinora::app {

// The format is core's (media/frames_file.h), which kinora-cli reads and writes too.
using media::FramesHeader;
using media::kFramesSuffix;

// Why a write to `file` stopped: Qt's reason, or for a short write (which Qt does not
// count as an error: the disk filled up or the file-size limit was reached) that one.
QString writeFailure(const QFileDevice& file);

// Atomic (QSaveFile): the file is either complete or left as it was.
Result<void> writeFrames(const QString& path, const Video& video);
Result<FramesHeader> readFramesHeader(const QString& path);
// Frames first .. first + count - 1 (count < 0: to the end).
Result<Video> readFrames(const QString& path, int first = 0, int count = -1);

QImage toImage(const Frame& frame);
Frame fromImage(const QImage& image);

} // namespace kinora::app
