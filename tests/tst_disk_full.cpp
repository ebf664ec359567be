// A disk that fills up (RLIMIT_FSIZE, see file_size_limit.h) under every writer Kinora has:
// MP4s and their XMP, posters, take files, project saves and Save As, the recovery copy,
// and kinora-cli generate. Each must fail with a message that says what could not be
// written, leave the previous file exactly as it was, leave no temporary file behind and,
// once there is room again, work.

#include "app/frame_io.h"
#include "app/project.h"
#include "file_size_limit.h"
#include "media/mp4_writer.h"
#include "media/poster.h"
#include "media/video_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <random>
#include <sys/resource.h>

using namespace kinora;
using namespace kinora::app;
using kinora::test::FileSizeLimit;

namespace {

Video noise(int width, int height, int frames, unsigned seed)
{
    std::mt19937 rng(seed);
    Video v;
    v.fps = 8;
    for (int t = 0; t < frames; ++t) {
        Frame f(width, height);
        for (auto& b : f.rgb)
            b = std::uint8_t(rng());
        v.frames.push_back(std::move(f));
    }
    return v;
}

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Temporary files a failed write might have left in a folder.
QStringList leftovers(const QString& dir)
{
    QStringList found;
    for (const auto& name : QDir(dir).entryList(QDir::Files | QDir::Hidden))
        if (name.endsWith(QStringLiteral(".part")) || name.contains(QStringLiteral(".new")) || name.startsWith(QStringLiteral("qt_temp")))
            found << name;
    return found;
}

Take makeTake(const QString& mediaDir, int frames, unsigned seed)
{
    Take t;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.file = t.id + QLatin1String(kFramesSuffix);
    t.frames = frames;
    t.width = t.height = 32;
    t.fps = 8;
    t.record = {{"prompt", QStringLiteral("clip %1").arg(seed)}, {"seed", int(seed)}, {"operation", "generate"}};
    const auto ok = writeFrames(QDir(mediaDir).filePath(t.file), noise(32, 32, frames, seed));
    Q_ASSERT(ok.ok());
    return t;
}

} // namespace

class TestDiskFull : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mp4();
    void mp4FullWhileLabelling();
    void poster();
    void takeFile();
    void projectSaveAndSaveAs();
    void recoveryCopy();
    void cliGenerate();
};

void TestDiskFull::mp4()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("clip.mp4"));
    media::EncodeOptions options;
    options.preset = "ultrafast";
    QVERIFY(media::writeMp4(noise(64, 64, 4, 1), out.toStdString(), options).ok());
    const QByteArray before = bytesOf(out);
    {
        FileSizeLimit full(16 * 1024);
        QVERIFY(full.ok());
        const auto failed = media::writeMp4(noise(96, 96, 12, 2), out.toStdString(), options);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, ErrorCode::Io);
        const QString message = QString::fromStdString(failed.error().message);
        QVERIFY2(message.contains(out) && message.contains(QStringLiteral("too large")), qPrintable(message));
    }
    QCOMPARE(bytesOf(out), before);
    QCOMPARE(leftovers(dir.path()), QStringList());
    QVERIFY(media::writeMp4(noise(96, 96, 12, 2), out.toStdString(), options).ok());
}

void TestDiskFull::mp4FullWhileLabelling()
{
    // Room for the H.264 file but not for its XMP: still an error, still nothing half-done.
    QTemporaryDir dir;
    const QString probe = dir.filePath(QStringLiteral("probe.mp4"));
    media::EncodeOptions options;
    options.preset = "ultrafast";
    options.provenance = media::Provenance { media::SourceKind::TrainedAlgorithmic, std::string(2000, 'x'), "" };
    const Video clip = noise(64, 64, 4, 3);
    QVERIFY(media::writeMp4(clip, probe.toStdString(), options).ok());
    const qint64 labelled = QFileInfo(probe).size();
    const QString out = dir.filePath(QStringLiteral("clip.mp4"));
    {
        FileSizeLimit full(labelled - 1500); // the XMP packet (over 2 KB here) does not fit
        const auto failed = media::writeMp4(clip, out.toStdString(), options);
        QVERIFY(!failed.ok());
        QVERIFY2(QString::fromStdString(failed.error().message).contains(out),
            failed.error().message.c_str());
    }
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(leftovers(dir.path()), QStringList());
}

void TestDiskFull::poster()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("still.png"));
    QVERIFY(media::writePoster(noise(32, 32, 1, 4).frames[0], out.toStdString()).ok());
    const QByteArray before = bytesOf(out);
    {
        FileSizeLimit full(4 * 1024);
        const auto failed = media::writePoster(noise(128, 128, 1, 5).frames[0], out.toStdString());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, ErrorCode::Io);
        QVERIFY2(QString::fromStdString(failed.error().message).contains(out), failed.error().message.c_str());
    }
    QCOMPARE(bytesOf(out), before);
    QCOMPARE(leftovers(dir.path()), QStringList());
}

void TestDiskFull::takeFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("take.kframes"));
    QVERIFY(writeFrames(path, noise(16, 16, 2, 6)).ok());
    const QByteArray before = bytesOf(path);
    {
        FileSizeLimit full(8 * 1024);
        const auto failed = writeFrames(path, noise(64, 64, 8, 7));
        QVERIFY(!failed.ok());
        QVERIFY2(QString::fromStdString(failed.error().message).contains(path), failed.error().message.c_str());
    }
    QCOMPARE(bytesOf(path), before);
    // A take small enough to sit in Qt's write buffer: the short write at the final flush
    // must fail too (Qt 6.4's QSaveFile committed such a truncated file as saved).
    {
        FileSizeLimit full(before.size() + 100);
        const auto failed = writeFrames(path, noise(16, 16, 4, 8));
        QVERIFY(!failed.ok());
    }
    QCOMPARE(bytesOf(path), before);
    QCOMPARE(readFrames(path)->frames.size(), size_t(2));
    QCOMPARE(leftovers(dir.path()), QStringList());
}

void TestDiskFull::projectSaveAndSaveAs()
{
    QTemporaryDir dir;
    const QString media = dir.filePath(QStringLiteral("scratch_media"));
    QDir().mkpath(media);
    ProjectDocument doc;
    doc.clear(media);
    Clip a;
    a.id = QStringLiteral("a");
    a.takes = {makeTake(media, 6, 10)};
    QVERIFY(doc.requestAddClip(a));
    const QString path = dir.filePath(QStringLiteral("film.kinora"));
    QVERIFY(doc.save(path).ok());
    const QByteArray saved = bytesOf(path);

    // More work, then a save on a full disk: a message, the last good file, still modified.
    Clip b;
    b.id = QStringLiteral("b");
    b.takes = {makeTake(doc.mediaDir(), 6, 11)};
    QVERIFY(doc.requestAddClip(b));
    {
        FileSizeLimit full(saved.size() - 1);
        QVERIFY(full.ok());
        const auto failed = doc.save(path);
        QVERIFY2(!failed.ok(), qPrintable(QStringLiteral("%1 -> %2 bytes").arg(saved.size()).arg(bytesOf(path).size())));
        QVERIFY2(QString::fromStdString(failed.error().message).contains(QStringLiteral("film.kinora")),
            failed.error().message.c_str());
    }
    QCOMPARE(bytesOf(path), saved);
    QVERIFY(doc.isModified());
    QCOMPARE(leftovers(dir.path()), QStringList());

    // Save As into a new folder whose takes do not fit: the takes stay where they were,
    // nothing points at a half-copied one, and a retry with room copies them whole.
    const QString other = dir.filePath(QStringLiteral("copy/film.kinora"));
    {
        FileSizeLimit full(2 * 1024); // a take file is 6 x 32 x 32 x 3 bytes and more
        const auto failed = doc.save(other);
        QVERIFY(!failed.ok());
        QVERIFY2(QString::fromStdString(failed.error().message).contains(QStringLiteral("disk full")),
            failed.error().message.c_str());
    }
    QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(!QFileInfo::exists(other));
    QVERIFY(doc.missingMedia().isEmpty());
    QCOMPARE(leftovers(dir.filePath(QStringLiteral("copy/film_media"))), QStringList());
    QVERIFY(doc.save(other).ok());
    for (const auto& clip : doc.clips()) {
        auto frames = readFrames(doc.mediaPath(clip.take()));
        QVERIFY2(frames.ok(), frames.ok() ? "" : frames.error().message.c_str());
        QCOMPARE(int(frames->frames.size()), 6);
    }
}

void TestDiskFull::recoveryCopy()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("recovery.json"));
    QJsonObject small {{"clips", QJsonArray()}};
    QVERIFY(ProjectDocument::writeRecoveryJson(path, small).ok());
    const QByteArray before = bytesOf(path);
    QJsonObject big {{"draft", QString(20000, QLatin1Char('x'))}};
    {
        FileSizeLimit full(4 * 1024);
        const auto failed = ProjectDocument::writeRecoveryJson(path, big);
        QVERIFY(!failed.ok());
        QVERIFY2(QString::fromStdString(failed.error().message).contains(QStringLiteral("recovery.json")),
            failed.error().message.c_str());
    }
    QCOMPARE(bytesOf(path), before);
    QCOMPARE(leftovers(dir.path()), QStringList());
}

void TestDiskFull::cliGenerate()
{
    const QString cli = qEnvironmentVariable("KINORA_CLI");
    if (cli.isEmpty())
        QSKIP("KINORA_CLI is not set (CTest sets it)");
    QTemporaryDir dir;
    QProcess init;
    init.setWorkingDirectory(dir.path());
    init.start(cli, {"init-model", "--config", "tiny", "--out", "pack", "--seed", "3"});
    QVERIFY(init.waitForFinished(120000) && init.exitCode() == 0);
    QFile::remove(dir.filePath(QStringLiteral("clip.mp4")));
    // The limit for the child alone; kinora-cli ignores SIGXFSZ itself, so the write fails
    // with a message instead of the process being killed.
    QProcess run;
    run.setWorkingDirectory(dir.path());
    run.setChildProcessModifier([] {
        const rlimit limit {8 * 1024, RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &limit);
        std::signal(SIGXFSZ, SIG_DFL);
    });
    run.start(cli, {"generate", "--prompt", "a red ball", "--out", "clip.mp4", "--model", "pack", "--steps", "1",
                       "--seconds", "2", "--threads", "1", "--poster", "still.png"});
    QVERIFY(run.waitForFinished(120000));
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QVERIFY(run.exitCode() != 0);
    const QString err = QString::fromUtf8(run.readAllStandardError()).trimmed();
    QVERIFY2(err.startsWith(QStringLiteral("kinora-cli: error: cannot write clip.mp4")) && err.contains(QStringLiteral("too large")),
        qPrintable(err));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("clip.mp4"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("still.png"))));
    QCOMPARE(leftovers(dir.path()), QStringList());
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
