// Tests for core/media: MP4 writing, decoding, probing and the generation record.

#include "media/ffmpeg_log.h"
#include "media/mp4_writer.h"
#include "media/video_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <thread>

#include <sys/stat.h>

namespace kinora {
// Lets QCOMPARE print error codes by name.
char* toString(ErrorCode code)
{
    return qstrdup(errorCodeName(code));
}
} // namespace kinora

using namespace kinora;
using namespace kinora::media;

namespace {

std::filesystem::path pathIn(const QTemporaryDir& dir, const QString& name)
{
    return std::filesystem::path(dir.filePath(name).toStdString());
}

// Smooth gradients that drift over time, plus a red square moving diagonally:
// easy to compress well, but with edges and motion for the encoder to get right.
Video makeClip(int width, int height, int frames, double fps)
{
    Video video;
    video.fps = fps;
    for (int t = 0; t < frames; ++t) {
        Frame frame(width, height);
        const int side = std::max(4, std::min(width, height) / 4);
        const int sx = (t * 5) % std::max(1, width - side);
        const int sy = (t * 3) % std::max(1, height - side);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                std::uint8_t* p = frame.pixel(x, y);
                const bool inSquare = x >= sx && x < sx + side && y >= sy && y < sy + side;
                p[0] = static_cast<std::uint8_t>(
                    inSquare ? 220 : 40 + 150 * x / std::max(1, width - 1) + t * 2);
                p[1] = static_cast<std::uint8_t>(inSquare ? 40 : 30 + 170 * y / std::max(1, height - 1));
                p[2] = static_cast<std::uint8_t>(
                    inSquare ? 50 : 200 - 120 * (x + y) / std::max(1, width + height - 2));
            }
        }
        video.frames.push_back(std::move(frame));
    }
    return video;
}

// Frames of uniform noise: slow to encode, so a cancel always lands mid-way.
Video makeNoise(int width, int height, int frames)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255);
    Video video { 24, {} };
    for (int t = 0; t < frames; ++t) {
        Frame frame(width, height);
        for (auto& v : frame.rgb)
            v = static_cast<std::uint8_t>(byte(rng));
        video.frames.push_back(std::move(frame));
    }
    return video;
}

Frame cropped(const Frame& src, int x0, int y0, int width, int height)
{
    Frame out(width, height);
    for (int y = 0; y < height; ++y)
        std::copy_n(src.pixel(x0, y0 + y), width * 3, out.pixel(0, y));
    return out;
}

QStringList filesIn(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

QByteArray readAll(const std::filesystem::path& path)
{
    QFile file(QString::fromStdString(path.string()));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const std::filesystem::path& path, const QByteArray& bytes)
{
    QFile file(QString::fromStdString(path.string()));
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A generation record of about 12 KB with umlauts, CJK and emoji.
std::string longRecord()
{
    QJsonObject record;
    QString prompt;
    for (int i = 0; i < 200; ++i)
        prompt += QStringLiteral("Ein grüner Würfel überquert die Straße 🚗✨ 立方体 #%1. ").arg(i);
    record["prompt"] = prompt;
    record["negativePrompt"] = QStringLiteral("unscharf, übersättigt 🙈");
    record["seed"] = 1234567;
    record["steps"] = 30;
    record["guidance"] = 6.5;
    record["model"] = QJsonObject { { "name", "kinora-shapes" }, { "hash", "sha256:0123abcd" } };
    record["aiGenerated"] = true;
    record["tags"] = QJsonArray { "ä", "ö", "ü", "ß", "😀" };
    return QJsonDocument(record).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

extern "C" int av_log_get_level(void); // libavutil, linked through kinora_media

class TestMedia : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ffmpegLogIsTheHostsChoice(); // first: before anything could have installed it
    void psnrHelper();
    void roundTrip();
    void frameRates_data();
    void frameRates();
    void metadataRoundTrip();
    void metadataAbsent();
    void oddDimensionsAreCropped();
    void scaleAndCentreCrop();
    void maxFrames();
    void readErrors_data();
    void readErrors();
    void writeErrors_data();
    void writeErrors();
    void cancelBeforeStart();
    void cancelFromSecondThread();
    void successReplacesExistingFile();
    void refusesTargetsThatAreNotFiles_data();
    void refusesTargetsThatAreNotFiles();
};

void TestMedia::psnrHelper()
{
    Frame a(4, 2), b(4, 2);
    QVERIFY(std::isinf(psnr(a, b)));
    std::fill(b.rgb.begin(), b.rgb.end(), 1); // MSE 1
    QVERIFY(std::abs(psnr(a, b) - 10 * std::log10(255.0 * 255.0)) < 1e-9);
    QCOMPARE(psnr(a, Frame(2, 4)), 0.0);
}

void TestMedia::roundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto out = pathIn(dir, "clip.mp4");
    const Video clip = makeClip(128, 128, 17, 8);
    const auto written = writeMp4(clip, out, EncodeOptions {});
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    QCOMPARE(filesIn(dir), QStringList { "clip.mp4" });

    const auto info = probe(out);
    QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
    QCOMPARE(info->width, 128);
    QCOMPARE(info->height, 128);
    QCOMPARE(info->frames, 17);
    QCOMPARE(info->fps, 8.0);
    QVERIFY2(std::abs(info->seconds - 2.125) < 1e-3, qPrintable(QString::number(info->seconds)));
    QCOMPARE(info->codec, std::string("h264"));
    QCOMPARE(info->pixelFormat, std::string("yuv420p"));
    QCOMPARE(info->colorPrimaries, std::string("bt709"));
    QCOMPARE(info->colorTransfer, std::string("bt709"));
    QCOMPARE(info->colorSpace, std::string("bt709"));
    QVERIFY(info->faststart);

    const auto decoded = readVideo(out);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
    QCOMPARE(decoded->fps, 8.0);
    QCOMPARE(static_cast<int>(decoded->frames.size()), 17);
    QCOMPARE(decoded->seconds(), 2.125);

    double sum = 0;
    double worst = std::numeric_limits<double>::infinity();
    QStringList perFrame;
    for (size_t i = 0; i < clip.frames.size(); ++i) {
        const double p = psnr(clip.frames[i], decoded->frames[i]);
        perFrame << QString::number(p, 'f', 1);
        sum += p;
        worst = std::min(worst, p);
    }
    const double mean = sum / clip.frames.size();
    qInfo("PSNR per frame (dB): %s", qPrintable(perFrame.join(' ')));
    qInfo("PSNR mean %.2f dB, worst %.2f dB at crf 18", mean, worst);
    QVERIFY2(mean >= 35.0, qPrintable(QString("mean PSNR %1 dB").arg(mean)));
    QVERIFY2(worst >= 32.0, qPrintable(QString("worst PSNR %1 dB").arg(worst)));
}

void TestMedia::frameRates_data()
{
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("frames");
    QTest::newRow("8") << 8.0 << 17;
    QTest::newRow("24") << 24.0 << 30;
    QTest::newRow("30000/1001") << 30000.0 / 1001.0 << 30;
    QTest::newRow("12.5") << 12.5 << 10;
}

void TestMedia::frameRates()
{
    QFETCH(double, fps);
    QFETCH(int, frames);
    QTemporaryDir dir;
    const auto out = pathIn(dir, "rate.mp4");
    const auto written = writeMp4(makeClip(64, 48, frames, fps), out, EncodeOptions { 23, {}, "veryfast" });
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    const auto info = probe(out);
    QVERIFY(info.ok());
    QCOMPARE(info->frames, frames);
    QVERIFY2(std::abs(info->fps - fps) < 1e-6, qPrintable(QString::number(info->fps, 'g', 12)));
    QVERIFY2(std::abs(info->seconds - frames / fps) < 1e-3, qPrintable(QString::number(info->seconds)));
}

void TestMedia::metadataRoundTrip()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "record.mp4");
    const std::string record = longRecord();
    QVERIFY(record.size() > 10 * 1024);
    EncodeOptions options;
    options.metadataJson = record;
    const auto written = writeMp4(makeClip(64, 64, 4, 8), out, options);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

    const auto back = readMetadataJson(out);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    QCOMPARE(*back, record);
    // The record must not cost the streaming layout.
    QVERIFY(probe(out)->faststart);
}

void TestMedia::metadataAbsent()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "plain.mp4");
    QVERIFY(writeMp4(makeClip(32, 32, 2, 8), out).ok());
    const auto none = readMetadataJson(out);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, ErrorCode::NotFound);
    QCOMPARE(none.error().message, "no Kinora generation record in " + out.string());

    const auto garbage = pathIn(dir, "notes.txt");
    QVERIFY(writeBytes(garbage, "{\"prompt\": \"this is JSON but not a video\"}"));
    const auto foreign = readMetadataJson(garbage);
    QVERIFY(!foreign.ok());
    QCOMPARE(foreign.error().code, ErrorCode::Format);
}

void TestMedia::oddDimensionsAreCropped()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "odd.mp4");
    Video clip = makeClip(67, 37, 5, 8);
    for (Frame& frame : clip.frames) {
        for (int y = 0; y < 37; ++y)
            std::fill_n(frame.pixel(66, y), 3, 255);
        std::fill_n(frame.pixel(0, 36), 67 * 3, 255);
    }
    const auto written = writeMp4(clip, out);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    const auto info = probe(out);
    QVERIFY(info.ok());
    QCOMPARE(info->width, 66);
    QCOMPARE(info->height, 36);

    const auto decoded = readVideo(out);
    QVERIFY(decoded.ok()); // psnr() is 0 for frames of another size
    // The kept part is the top-left 66x36 of the input, not a rescale of it: the
    // white last column and row must not bleed in.
    for (size_t i = 0; i < clip.frames.size(); ++i) {
        const Frame& frame = decoded->frames[i];
        const double p = psnr(cropped(clip.frames[i], 0, 0, 66, 36), frame);
        QVERIFY2(p >= 30.0, qPrintable(QString("frame %1: %2 dB").arg(i).arg(p)));
        const double column = psnr(cropped(clip.frames[i], 65, 0, 1, 36), cropped(frame, 65, 0, 1, 36));
        const double row = psnr(cropped(clip.frames[i], 0, 35, 66, 1), cropped(frame, 0, 35, 66, 1));
        QVERIFY2(column >= 26 && row >= 26,
            qPrintable(QString("frame %1: edges %2/%3 dB").arg(i).arg(column).arg(row)));
    }
}

void TestMedia::scaleAndCentreCrop()
{
    // 192x128: magenta bands at both sides, a gradient in the centre 128x128.
    Video clip;
    clip.fps = 8;
    Frame source(192, 128);
    for (int y = 0; y < 128; ++y) {
        for (int x = 0; x < 192; ++x) {
            std::uint8_t* p = source.pixel(x, y);
            const bool centre = x >= 32 && x < 160;
            p[0] = centre ? static_cast<std::uint8_t>(40 + (x - 32)) : 255;
            p[1] = centre ? static_cast<std::uint8_t>(60 + y) : 0;
            p[2] = centre ? 90 : 255;
        }
    }
    clip.frames = { source, source, source };
    QTemporaryDir dir;
    const auto out = pathIn(dir, "wide.mp4");
    QVERIFY(writeMp4(clip, out).ok());

    const auto decoded = readVideo(out, DecodeOptions { 64, 64, -1 });
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
    QCOMPARE(static_cast<int>(decoded->frames.size()), 3);
    const Frame& frame = decoded->frames.front();
    QCOMPARE(frame.width, 64);
    QCOMPARE(frame.height, 64);

    // Expected: the centre square halved (its 2x2 averages, rounded up). The outermost
    // pixels may pick up some magenta through the scaler's filter taps, so skip them.
    Frame expected(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            std::copy_n(
                std::array<std::uint8_t, 3> { std::uint8_t(41 + 2 * x), std::uint8_t(61 + 2 * y), 90 }.data(),
                3, expected.pixel(x, y));
    const double p = psnr(cropped(expected, 3, 3, 58, 58), cropped(frame, 3, 3, 58, 58));
    qInfo("centre crop PSNR %.2f dB", p);
    QVERIFY2(p >= 30.0, qPrintable(QString("%1 dB").arg(p)));
    for (int y = 0; y < 64; ++y)
        QVERIFY2(
            frame.pixel(1, y)[1] > 40 && frame.pixel(62, y)[1] > 40, "a magenta band shows: crop off-centre");
}

void TestMedia::maxFrames()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "long.mp4");
    QVERIFY(writeMp4(makeClip(48, 32, 12, 8), out).ok());
    const auto decoded = readVideo(out, DecodeOptions { 0, 0, 5 });
    QVERIFY(decoded.ok());
    QCOMPARE(static_cast<int>(decoded->frames.size()), 5);
}

// The core leaves FFmpeg's process-wide log alone; the host installs Kinora's on purpose,
// and only then do errors carry FFmpeg's own explanation.
void TestMedia::ffmpegLogIsTheHostsChoice()
{
    if (qEnvironmentVariableIsSet("KINORA_FFMPEG_LOG"))
        QSKIP("KINORA_FFMPEG_LOG asks for FFmpeg's own log");
    const int initial = av_log_get_level();
    QTemporaryDir dir;
    const auto real = pathIn(dir, "real.mp4"), tail = pathIn(dir, "tail.mp4");
    QVERIFY(writeMp4(makeNoise(96, 64, 12), real, EncodeOptions { 18, {}, "ultrafast" }).ok());
    QVERIFY(readVideo(real).ok());
    const QByteArray bytes = readAll(real);
    QVERIFY(writeBytes(tail, bytes.mid(bytes.size() / 2)));
    const auto before = readVideo(tail);
    QVERIFY(!before.ok());
    QCOMPARE(av_log_get_level(), initial);

    installFfmpegLog();
    QCOMPARE(av_log_get_level(), 16); // AV_LOG_ERROR
    const auto after = readVideo(tail);
    QVERIFY(!after.ok());
    qInfo("without the host's log: %s; with it: %s", before.error().message.c_str(), after.error().message.c_str());
    QVERIFY(after.error().message.find("moov atom not found") != std::string::npos);
    QVERIFY(before.error().message.find("moov atom not found") == std::string::npos);
}

void TestMedia::readErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<ErrorCode>("readCode");
    QTest::addColumn<bool>("probeFails");
    QTest::newRow("missing file") << "missing" << ErrorCode::NotFound << true;
    QTest::newRow("garbage") << "garbage" << ErrorCode::Format << true;
    QTest::newRow("empty file") << "empty" << ErrorCode::Format << true;
    // The index survives in the first half (faststart), the pictures do not.
    QTest::newRow("truncated mp4") << "truncated" << ErrorCode::Format << false;
    QTest::newRow("mp4 without its index") << "tail" << ErrorCode::Format << true;
}

void TestMedia::readErrors()
{
    QFETCH(QString, kind);
    QFETCH(ErrorCode, readCode);
    QFETCH(bool, probeFails);
    QTemporaryDir dir;
    const auto file = pathIn(dir, "input.mp4");
    if (kind == "garbage") {
        QVERIFY(writeBytes(file, QByteArray("\x13\x7f garbage, not a video \xff\x42").repeated(300)));
    } else if (kind == "empty") {
        QVERIFY(writeBytes(file, {}));
    } else if (kind == "truncated" || kind == "tail") {
        const auto real = pathIn(dir, "real.mp4");
        QVERIFY(writeMp4(makeNoise(96, 64, 12), real, EncodeOptions { 18, {}, "ultrafast" }).ok());
        const QByteArray bytes = readAll(real);
        QVERIFY(writeBytes(
            file, kind == "truncated" ? bytes.left(bytes.size() / 2) : bytes.mid(bytes.size() / 2)));
    }

    const auto video = readVideo(file);
    QVERIFY(!video.ok());
    qInfo("%s", video.error().message.c_str());
    QCOMPARE(video.error().code, readCode);
    QVERIFY2(video.error().message.find(file.string()) != std::string::npos, "the message names the file");

    const auto info = probe(file);
    QCOMPARE(!info.ok(), probeFails);
    if (probeFails) {
        QCOMPARE(info.error().code, readCode);
        QCOMPARE(readMetadataJson(file).error().code, readCode);
    }
}

using Spoil = std::function<void(Video&, EncodeOptions&, std::filesystem::path& out)>;

void TestMedia::writeErrors_data()
{
    QTest::addColumn<Spoil>("spoil");
    QTest::addColumn<ErrorCode>("code");
    const auto invalid = ErrorCode::InvalidArgument;
    QTest::newRow("empty video") << Spoil([](Video& v, auto&, auto&) { v.frames.clear(); }) << invalid;
    QTest::newRow("mismatched sizes")
        << Spoil([](Video& v, auto&, auto&) { v.frames[1] = Frame(32, 30); }) << invalid;
    QTest::newRow("short pixel buffer")
        << Spoil([](Video& v, auto&, auto&) { v.frames[2].rgb.resize(10); }) << invalid;
    QTest::newRow("zero fps") << Spoil([](Video& v, auto&, auto&) { v.fps = 0; }) << invalid;
    QTest::newRow("negative fps") << Spoil([](Video& v, auto&, auto&) { v.fps = -8; }) << invalid;
    QTest::newRow("crf out of range") << Spoil([](auto&, EncodeOptions& o, auto&) { o.crf = 60; }) << invalid;
    QTest::newRow("unknown preset") << Spoil([](auto&, EncodeOptions& o, auto&) { o.preset = "warp"; })
                                    << invalid;
    // Runs as root in CI, where permissions block nothing: use a folder that is a file.
    QTest::newRow("folder is a file")
        << Spoil([](auto&, auto&, std::filesystem::path& out) { out /= "clip.mp4"; }) << ErrorCode::Io;
    QTest::newRow("folder missing") << Spoil([](auto&, auto&, std::filesystem::path& out) {
        out = out.parent_path() / "no/such/dir/clip.mp4";
    }) << ErrorCode::Io;
}

void TestMedia::writeErrors()
{
    QFETCH(Spoil, spoil);
    QFETCH(ErrorCode, code);
    QTemporaryDir dir;
    const auto existing = pathIn(dir, "out.mp4");
    // An earlier clip at the target must come through a failed write untouched.
    const QByteArray previous("an earlier clip");
    QVERIFY(writeBytes(existing, previous));
    Video video = makeClip(32, 32, 3, 8);
    EncodeOptions options;
    auto out = existing;
    spoil(video, options, out);

    const auto written = writeMp4(video, out, options);
    QVERIFY(!written.ok());
    qInfo("%s", written.error().message.c_str());
    QCOMPARE(written.error().code, code);
    QCOMPARE(filesIn(dir), QStringList { "out.mp4" });
    QCOMPARE(readAll(existing), previous);
}

void TestMedia::cancelBeforeStart()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "cancelled.mp4");
    const std::atomic<bool> cancel { true };
    const auto written = writeMp4(makeClip(32, 32, 3, 8), out, {}, &cancel);
    QVERIFY(!written.ok());
    QCOMPARE(written.error().code, ErrorCode::Cancelled);
    QVERIFY(filesIn(dir).isEmpty());
}

void TestMedia::cancelFromSecondThread()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "clip.mp4");
    const QByteArray previous("an earlier clip");
    QVERIFY(writeBytes(out, previous));
    const Video noise = makeNoise(320, 240, 240);
    // Cancel as soon as the temporary file exists: encoding has begun, and 240
    // frames of noise take far longer than the watcher needs to react.
    std::atomic<bool> cancel { false };
    std::atomic<bool> done { false };
    bool sawTemporary = false;
    std::thread watcher([&] {
        while (!done.load()) {
            if (filesIn(dir).size() > 1) {
                sawTemporary = true;
                cancel = true;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    const auto written = writeMp4(noise, out, EncodeOptions { 18, {}, "medium" }, &cancel);
    done = true;
    watcher.join();

    QVERIFY(sawTemporary);
    QVERIFY(!written.ok());
    QCOMPARE(written.error().code, ErrorCode::Cancelled);
    QCOMPARE(filesIn(dir), QStringList { "clip.mp4" });
    QCOMPARE(readAll(out), previous);
}

void TestMedia::successReplacesExistingFile()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "clip.mp4");
    QVERIFY(writeBytes(out, "an earlier clip"));
    QVERIFY(writeMp4(makeClip(32, 32, 3, 8), out).ok());
    QCOMPARE(filesIn(dir), QStringList { "clip.mp4" });
    QCOMPARE(probe(out)->frames, 3);
}

void TestMedia::refusesTargetsThatAreNotFiles_data()
{
    QTest::addColumn<QString>("target"); // made by the test in a folder of its own
    QTest::addColumn<QString>("what");
    QTest::newRow("FIFO") << "fifo"
                          << "it is a FIFO (named pipe), not a regular file";
    QTest::newRow("folder") << "folder"
                            << "it is a folder, not a regular file";
    QTest::newRow("link to a FIFO") << "link-to-fifo"
                                    << "it links to a FIFO (named pipe), not a regular file";
    // Were the link replaced, only the link would go; the device itself is never at risk.
    QTest::newRow("link to a device") << "link-to-device"
                                      << "it links to a device, not a regular file";
    QTest::newRow("link to a folder") << "link-to-folder"
                                      << "it links to a folder, not a regular file";
}

void TestMedia::refusesTargetsThatAreNotFiles()
{
    // The clip is renamed over `out`, which would replace a device or a FIFO instead of
    // writing into it (as root, --out /dev/full left a regular file where the device was).
    QFETCH(QString, target);
    QFETCH(QString, what);
    namespace fs = std::filesystem;
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    QCOMPARE(::mkfifo((root / "fifo").c_str(), 0644), 0);
    fs::create_directory(root / "folder");
    fs::create_symlink(root / "fifo", root / "link-to-fifo");
    fs::create_symlink("/dev/null", root / "link-to-device");
    fs::create_directory_symlink(root / "folder", root / "link-to-folder");
    const fs::path out = root / target.toStdString();
    const int before = int(fs::symlink_status(out).type());
    auto listing = [&] {
        return QDir(dir.path())
            .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    };
    const QStringList entries = listing();

    QVERIFY(!checkOutputPath(out).ok());
    const auto written = writeMp4(makeClip(32, 32, 3, 8), out);
    QVERIFY(!written.ok());
    QCOMPARE(written.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(written.error().message),
        "cannot write " + QString::fromStdString(out.string()) + ": " + what);
    QCOMPARE(written.error().message, checkOutputPath(out).error().message);
    QCOMPARE(int(fs::symlink_status(out).type()), before);
    QCOMPARE(listing(), entries); // no temporary left behind
    // A regular file, a link to one and a new name are fine.
    QVERIFY(writeBytes(root / "file.mp4", "an earlier clip"));
    fs::create_symlink(root / "file.mp4", root / "link-to-file.mp4");
    for (const char* name : { "file.mp4", "link-to-file.mp4", "new.mp4" })
        QVERIFY2(checkOutputPath(root / name).ok(), name);
}

QTEST_GUILESS_MAIN(TestMedia)
#include "tst_media.moc"
