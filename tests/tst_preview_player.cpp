// The preview player (offscreen): what reaches its QVideoSink, the keyboard controls,
// marks, loop and timecode.

#include "media/mp4_writer.h"
#include "ui/preview_player.h"

#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVideoFrame>
#include <QVideoSink>

using kinora::ui::PreviewPlayer;

namespace {

QColor colourOf(int frame)
{
    return QColor(QColor::fromHsv((frame * 37) % 360, 200, 220).rgb());
}

QVector<QImage> makeFrames(int count, QSize size = QSize(32, 24))
{
    QVector<QImage> frames;
    for (int i = 0; i < count; ++i) {
        QImage image(size, QImage::Format_RGB32);
        image.fill(colourOf(i));
        frames.push_back(image);
    }
    return frames;
}

// Remembers the last frame the sink received, as an image.
struct SinkProbe {
    explicit SinkProbe(QVideoSink* sink)
    {
        QObject::connect(sink, &QVideoSink::videoFrameChanged, sink, [this](const QVideoFrame& frame) {
            last = frame.toImage();
            ++frames;
        });
    }
    QColor colour() const { return last.isNull() ? QColor() : last.pixelColor(1, 1); }
    QImage last;
    int frames = 0;
};

} // namespace

class TestPreviewPlayer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void setFramesThenSeekShowsFrame();
    void frameStepKeys();
    void marks();
    void marksFromKeys();
    void playStopsAtEnd();
    void loopBetweenMarks();
    void shuttleSpeeds();
    void reverseShuttlePlaysBackwards();
    void timecode_data();
    void timecode();
    void timecodeLabel();
    void showFrameThenBackToTake();
    void fileSourceSeekAndPlay();

private:
    static void activate(PreviewPlayer& player)
    {
        player.resize(400, 360);
        player.show();
        QApplication::setActiveWindow(&player);
        QVERIFY(QTest::qWaitForWindowActive(&player));
        player.setFocus();
    }
};

void TestPreviewPlayer::initTestCase()
{
    // Debian's GStreamer lacks an H.264 decoder unless gstreamer1.0-libav is installed;
    // Qt's FFmpeg backend decodes what kinora_media writes. Chosen before the first sink.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
}

void TestPreviewPlayer::setFramesThenSeekShowsFrame()
{
    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    QSignalSpy moved(&player, &PreviewPlayer::positionChanged);
    player.setFrames(makeFrames(10), 8.0);
    QCOMPARE(player.frameCount(), 10);
    QCOMPARE(player.position(), 0);
    QCOMPARE(probe.colour(), colourOf(0));
    QCOMPARE(probe.last.size(), QSize(32, 24));

    player.seek(5);
    QCOMPARE(player.position(), 5);
    QCOMPARE(probe.colour(), colourOf(5));
    QCOMPARE(moved.last().at(0).toInt(), 5);
    QCOMPARE(player.currentImage().pixelColor(0, 0), colourOf(5));

    player.seek(100); // clamped to the last frame
    QCOMPARE(player.position(), 9);
    QCOMPARE(probe.colour(), colourOf(9));
    player.seek(-4);
    QCOMPARE(player.position(), 0);
    QCOMPARE(probe.colour(), colourOf(0));
}

void TestPreviewPlayer::frameStepKeys()
{
    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    player.setFrames(makeFrames(6), 8.0);
    activate(player);
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(&player, Qt::Key_Right);
    QCOMPARE(player.position(), 3);
    QCOMPARE(probe.colour(), colourOf(3));
    QTest::keyClick(&player, Qt::Key_Left);
    QCOMPARE(player.position(), 2);
    QCOMPARE(probe.colour(), colourOf(2));
    // Stepping stops at the ends.
    for (int i = 0; i < 10; ++i)
        QTest::keyClick(&player, Qt::Key_Right);
    QCOMPARE(player.position(), 5);

    // Space plays and pauses.
    player.seek(0);
    QTest::keyClick(&player, Qt::Key_Space);
    QVERIFY(player.isPlaying());
    QTest::keyClick(&player, Qt::Key_Space);
    QVERIFY(!player.isPlaying());
}

void TestPreviewPlayer::marks()
{
    PreviewPlayer player;
    QSignalSpy inSpy(&player, &PreviewPlayer::markInChanged);
    QSignalSpy outSpy(&player, &PreviewPlayer::markOutChanged);
    player.setFrames(makeFrames(12), 8.0);
    QCOMPARE(player.markIn(), -1);
    QCOMPARE(player.markOut(), -1);

    player.seek(3);
    player.markInHere();
    player.seek(8);
    player.markOutHere();
    QCOMPARE(player.markIn(), 3);
    QCOMPARE(player.markOut(), 8);
    QCOMPARE(inSpy.last().at(0).toInt(), 3);
    QCOMPARE(outSpy.last().at(0).toInt(), 8);
    auto* label = player.findChild<QLabel*>(QStringLiteral("marksLabel"));
    QVERIFY2(label->text().contains(QLatin1String("00:00:00:03")), qPrintable(label->text()));

    // An in after the out clears the out.
    player.seek(10);
    player.markInHere();
    QCOMPARE(player.markIn(), 10);
    QCOMPARE(player.markOut(), -1);
    QCOMPARE(outSpy.last().at(0).toInt(), -1);

    // A new take clears the marks.
    player.setFrames(makeFrames(4), 8.0);
    QCOMPARE(player.markIn(), -1);
    QCOMPARE(inSpy.last().at(0).toInt(), -1);
}

void TestPreviewPlayer::marksFromKeys()
{
    PreviewPlayer player;
    player.setFrames(makeFrames(12), 8.0);
    activate(player);
    QTest::keyClick(&player, Qt::Key_Right);
    QTest::keyClick(&player, Qt::Key_Right);
    QTest::keyClick(&player, Qt::Key_I);
    QTest::keyClick(&player, Qt::Key_Right);
    QTest::keyClick(&player, Qt::Key_O);
    QCOMPARE(player.markIn(), 2);
    QCOMPARE(player.markOut(), 3);
}

void TestPreviewPlayer::playStopsAtEnd()
{
    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    player.setFrames(makeFrames(8), 50.0);
    QSignalSpy playing(&player, &PreviewPlayer::playingChanged);
    player.play();
    QVERIFY(player.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 5000);
    QCOMPARE(player.position(), 7);
    QCOMPARE(probe.colour(), colourOf(7));
    QCOMPARE(playing.size(), 2);
    // Playing again from the end starts over.
    player.play();
    QCOMPARE(player.position(), 0);
    player.pause();
}

void TestPreviewPlayer::loopBetweenMarks()
{
    PreviewPlayer player;
    player.setFrames(makeFrames(10), 50.0);
    player.setMarkIn(2);
    player.setMarkOut(4);
    player.setLoop(true);
    player.seek(2);
    QList<int> seen;
    connect(&player, &PreviewPlayer::positionChanged, &player, [&seen](int frame) { seen << frame; });
    player.play();
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 8, 5000);
    player.pause();
    QVERIFY(player.loop());
    // 3, 4, 2, 3, 4, 2, ...: never outside the marks, and it wraps.
    for (int frame : seen)
        QVERIFY2(frame >= 2 && frame <= 4, qPrintable(QString::number(frame)));
    QCOMPARE(seen.mid(0, 4), (QList<int> { 3, 4, 2, 3 }));

    // Without loop it runs to the end and stops.
    player.setLoop(false);
    player.play();
    QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 5000);
    QCOMPARE(player.position(), 9);
}

void TestPreviewPlayer::shuttleSpeeds()
{
    PreviewPlayer player;
    player.setFrames(makeFrames(200), 8.0);
    activate(player);
    player.seek(100);
    QTest::keyClick(&player, Qt::Key_L);
    QCOMPARE(player.shuttleSpeed(), 1);
    QTest::keyClick(&player, Qt::Key_L);
    QCOMPARE(player.shuttleSpeed(), 2);
    QTest::keyClick(&player, Qt::Key_L);
    QTest::keyClick(&player, Qt::Key_L);
    QTest::keyClick(&player, Qt::Key_L);
    QCOMPARE(player.shuttleSpeed(), PreviewPlayer::kMaxShuttleSpeed);
    QTest::keyClick(&player, Qt::Key_K);
    QCOMPARE(player.shuttleSpeed(), 0);
    QVERIFY(!player.isPlaying());
    QTest::keyClick(&player, Qt::Key_J);
    QCOMPARE(player.shuttleSpeed(), -1);
    QTest::keyClick(&player, Qt::Key_J);
    QCOMPARE(player.shuttleSpeed(), -2);
    QTest::keyClick(&player, Qt::Key_L); // the other way starts at normal speed again
    QCOMPARE(player.shuttleSpeed(), 1);
    QTest::keyClick(&player, Qt::Key_K);
}

void TestPreviewPlayer::reverseShuttlePlaysBackwards()
{
    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    player.setFrames(makeFrames(12), 40.0);
    player.seek(11);
    QList<int> seen;
    connect(&player, &PreviewPlayer::positionChanged, &player, [&seen](int frame) { seen << frame; });
    player.shuttleReverse();
    QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 5000);
    QCOMPARE(player.position(), 0);
    QCOMPARE(probe.colour(), colourOf(0));
    QCOMPARE(seen.first(), 10);
    for (int i = 1; i < seen.size(); ++i)
        QVERIFY(seen[i] < seen[i - 1]);
}

void TestPreviewPlayer::timecode_data()
{
    QTest::addColumn<int>("frame");
    QTest::addColumn<double>("fps");
    QTest::addColumn<QString>("expected");
    QTest::newRow("start") << 0 << 8.0 << "00:00:00:00";
    QTest::newRow("one second and three frames") << 11 << 8.0 << "00:00:01:03";
    QTest::newRow("hour") << (3600 + 61) * 25 + 7 << 25.0 << "01:01:01:07";
    QTest::newRow("ntsc counts 30") << 59 << 29.97 << "00:00:01:29";
}

void TestPreviewPlayer::timecode()
{
    QFETCH(int, frame);
    QFETCH(double, fps);
    QFETCH(QString, expected);
    QCOMPARE(PreviewPlayer::formatTimecode(frame, fps), expected);
}

void TestPreviewPlayer::timecodeLabel()
{
    PreviewPlayer player;
    player.setFrames(makeFrames(30), 8.0);
    player.seek(11);
    QCOMPARE(player.timecode(), QStringLiteral("00:00:01:03"));
    auto* label = player.findChild<QLabel*>(QStringLiteral("timecodeLabel"));
    QVERIFY2(label->text().contains(QLatin1String("00:00:01:03")), qPrintable(label->text()));
    QVERIFY2(
        label->text().contains(QLatin1String("00:00:03:05")), qPrintable(label->text())); // last frame, 29
}

void TestPreviewPlayer::showFrameThenBackToTake()
{
    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    player.setFrames(makeFrames(5), 8.0);
    player.seek(2);
    QImage preview(64, 64, QImage::Format_RGB32);
    preview.fill(QColor(10, 200, 30));
    player.showFrame(preview);
    QCOMPARE(probe.colour(), QColor(10, 200, 30));
    QCOMPARE(probe.last.size(), QSize(64, 64));
    QCOMPARE(player.frameCount(), 5); // the take stays loaded
    player.seek(3);
    QCOMPARE(probe.colour(), colourOf(3));
}

void TestPreviewPlayer::fileSourceSeekAndPlay()
{
    // Eight red frames, then eight blue ones, at 8 fps, written by kinora_media.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    kinora::Video video;
    video.fps = 8.0;
    for (int i = 0; i < 16; ++i) {
        kinora::Frame frame(64, 48);
        for (int p = 0; p < 64 * 48; ++p) {
            frame.rgb[p * 3 + 0] = i < 8 ? 220 : 40;
            frame.rgb[p * 3 + 1] = i < 8 ? 38 : 80;
            frame.rgb[p * 3 + 2] = i < 8 ? 38 : 230;
        }
        video.frames.push_back(std::move(frame));
    }
    const QString path = dir.filePath(QStringLiteral("clip.mp4"));
    const auto written = kinora::media::writeMp4(video, path.toStdString());
    if (!written.ok())
        QSKIP(qPrintable(QStringLiteral("cannot write MP4 here: %1")
                             .arg(QString::fromStdString(written.error().message))));

    PreviewPlayer player;
    SinkProbe probe(player.videoSink());
    QSignalSpy errors(&player, &PreviewPlayer::errorOccurred);
    player.setSource(QUrl::fromLocalFile(path));
    QTRY_VERIFY_WITH_TIMEOUT(player.frameCount() == 16 || !errors.isEmpty(), 10000);
    if (!errors.isEmpty())
        QSKIP(qPrintable(
            QStringLiteral("no media backend decodes H.264 here: %1").arg(errors.first().at(0).toString())));
    QCOMPARE(player.fps(), 8.0);

    const auto near = [](const QColor& a, const QColor& b) {
        return qAbs(a.red() - b.red()) + qAbs(a.green() - b.green()) + qAbs(a.blue() - b.blue()) < 40;
    };
    QTRY_VERIFY_WITH_TIMEOUT(near(probe.colour(), QColor(220, 38, 38)), 10000);
    player.seek(12);
    QCOMPARE(player.position(), 12);
    QTRY_VERIFY_WITH_TIMEOUT(near(probe.colour(), QColor(40, 80, 230)), 10000);
    QCOMPARE(player.timecode(), QStringLiteral("00:00:01:04"));

    player.play();
    QVERIFY(player.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
    QCOMPARE(player.position(), 15);
}

QTEST_MAIN(TestPreviewPlayer)
#include "tst_preview_player.moc"
