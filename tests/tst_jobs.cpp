// Tests for the job manager and the Studio's job glue (app/job_manager.h, app/studio.h)
// with a real engine on a tiny random model pack: generation with progress and
// previews, cancellation mid-way (document unchanged), failure and retry, queue order,
// persistence of queued jobs, and what extend, bridge, fill, import and export produce.

#include "app/frame_io.h"
#include "file_size_limit.h"
#include "app/job_manager.h"
#include "app/studio.h"
#include "media/mark.h"
#include "media/mp4_writer.h"
#include "media/provenance.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace kinora;
using namespace kinora::app;

namespace {

QByteArray snapshot(ProjectDocument* doc) { return QJsonDocument(doc->toJson({})).toJson(); }

bool waitForJob(JobManager* jobs, int id, int timeoutMs = 120000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const Job* j = jobs->job(id);
        if (!j || j->finished())
            return true;
        QTest::qWait(20);
    }
    return false;
}

// exiftool's reading of a file's IPTC digital source type.
QString exiftoolSourceType(const QString& file)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(QStringLiteral("exiftool")),
            {QStringLiteral("-s3"), QStringLiteral("-XMP-iptcExt:DigitalSourceType"), file});
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Mean absolute difference of two frames over a rectangle.
double differenceIn(const Frame& a, const Frame& b, const media::MarkBox& box)
{
    double sum = 0;
    for (int y = box.y; y < box.y + box.height; ++y)
        for (int x = box.x; x < box.x + box.width; ++x)
            for (int c = 0; c < 3; ++c)
                sum += std::abs(int(a.pixel(x, y)[c]) - int(b.pixel(x, y)[c]));
    return sum / (3.0 * box.width * box.height);
}

} // namespace

class TestJobs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void generateWithProgressAndPreviews();
    void longClipHandsOnItsFirstWindow();
    void cancelMidwayLeavesDocumentUnchanged();
    void cancelQueuedJob();
    void failureAndRetry();
    void samplingLimitsAreTheCliOnes();
    void queueOrderRemoveAndReorder();
    void queuedJobsPersist();
    void jobFinishingAfterSaveAs();
    void rerollExtendBridgeFill();
    void studioTakesRedoneByTheCli();
    void importAndExport();
    void exportLabelsProvenance();
    void fullDisk();
    void takeLandsBeforeTheQueueChanges();
    void restoredQueueIsOneChange();
    void brokenModelPack();

private:
    int generate(const QString& prompt, double seconds = 1.0, int steps = 0);
    QTemporaryDir m_packDir;
    QString m_pack;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Studio> m_studio;
};

void TestJobs::initTestCase()
{
    m_pack = m_packDir.filePath(QStringLiteral("tiny"));
    auto ok = pipeline::Engine::initModel("tiny", m_pack.toStdString(), 7, true);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
}

void TestJobs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("kinora.ini")), m_dir->filePath(QStringLiteral("data")));
    m_studio = std::make_unique<Studio>(m_settings.get());
    QSignalSpy ready(m_studio->jobs(), &JobManager::modelReady);
    m_studio->loadModel(m_pack);
    QVERIFY(ready.wait(60000));
    QCOMPARE(m_studio->jobs()->model().frameSize, 64);
}

void TestJobs::cleanup()
{
    m_studio.reset();
    m_settings.reset();
    m_dir.reset();
}

int TestJobs::generate(const QString& prompt, double seconds, int steps)
{
    GenerateParams p;
    p.prompt = prompt;
    p.seed = 42;
    p.seconds = seconds;
    p.steps = steps;
    return m_studio->queueGenerate(p);
}

void TestJobs::generateWithProgressAndPreviews()
{
    auto* jobs = m_studio->jobs();
    QSignalSpy progress(jobs, &JobManager::jobProgress);
    QSignalSpy previews(jobs, &JobManager::previewFrame);
    QSignalSpy finished(jobs, &JobManager::jobFinished);
    const int id = generate(QStringLiteral("a red ball bouncing on a grass field"), 1.0, 6);
    QVERIFY(id > 0);
    QCOMPARE(jobs->job(id)->state, JobState::Queued);
    QVERIFY(finished.wait(60000));
    QCOMPARE(jobs->job(id)->state, JobState::Done);
    QVERIFY(progress.count() >= 6);
    QVERIFY(previews.count() >= 1);
    QCOMPARE(previews.first().at(1).value<QImage>().size(), QSize(64, 64));
    QCOMPARE(jobs->job(id)->step, jobs->job(id)->steps);

    auto* doc = m_studio->document();
    QCOMPARE(doc->clips().size(), 1);
    const Take& take = doc->clips()[0].take();
    QCOMPARE(take.frames, 8); // 1 s at 8 fps
    QCOMPARE(take.seed(), quint64(42));
    QCOMPARE(take.record.value("steps").toInt(), 6);
    QVERIFY(take.record.value("expanded_prompt").toString().contains(QStringLiteral("red")));
    QVERIFY(take.record.value("ai_generated").toBool());
    auto frames = readFrames(doc->mediaPath(take));
    QVERIFY(frames.ok());
    QCOMPARE(int(frames->frames.size()), 8);
    QVERIFY(!m_studio->thumbnail(take).isNull());
    // Same seed, same clip: generation is reproducible through the queue.
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a red ball bouncing on a grass field"), 1.0, 6)));
    QCOMPARE(readFrames(doc->mediaPath(doc->clips()[1].take()))->frames[5].rgb, frames->frames[5].rgb);
}

// A clip of several windows sends its first frames, final, while the rest is made: they
// are the take's own first frames.
void TestJobs::longClipHandsOnItsFirstWindow()
{
    auto* jobs = m_studio->jobs();
    const int window = jobs->model().windowFrames;
    QVERIFY(window > 1);
    QSignalSpy ready(jobs, &JobManager::framesReady);
    QSignalSpy finished(jobs, &JobManager::jobFinished);
    const int id = generate(QStringLiteral("a red ball moving to the right on a grass field"), 4.0, 2);
    QVERIFY(finished.wait(60000));
    QCOMPARE(jobs->job(id)->state, JobState::Done);
    QVERIFY(ready.count() >= 1);
    QCOMPARE(ready.first().at(0).toInt(), id);
    const auto first = ready.first().at(1).value<QVector<QImage>>();
    QCOMPARE(int(first.size()), window);
    const Take& take = m_studio->document()->clips().last().take();
    QVERIFY(take.frames > window);
    auto frames = readFrames(m_studio->document()->mediaPath(take));
    QVERIFY(frames.ok());
    for (int i = 0; i < int(first.size()); ++i)
        QCOMPARE(first[i], toImage(frames->frames[size_t(i)]));
    // Later hand-overs hold more frames, never the whole clip.
    int last = 0;
    for (const auto& args : ready) {
        const int n = int(args.at(1).value<QVector<QImage>>().size());
        QVERIFY(n > last && n < take.frames);
        last = n;
    }
}

void TestJobs::cancelMidwayLeavesDocumentUnchanged()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a blue square"))));
    const QByteArray before = snapshot(doc);
    const int undoCount = doc->undoStack()->count();
    const int mediaFiles = QDir(doc->mediaDir()).entryList(QDir::Files).size();

    const int id = generate(QStringLiteral("a green star moving left"), 20.0, 50);
    QSignalSpy progress(jobs, &JobManager::jobProgress);
    QVERIFY(progress.wait(60000));
    QCOMPARE(jobs->job(id)->state, JobState::Running);
    const int stepsTotal = jobs->job(id)->steps;
    QVERIFY(jobs->cancel(id));
    QVERIFY(waitForJob(jobs, id));
    QCOMPARE(jobs->job(id)->state, JobState::Cancelled);
    QVERIFY2(jobs->job(id)->step < stepsTotal, "the engine should stop within a step, long before the end");
    QCOMPARE(snapshot(doc), before);
    QCOMPARE(doc->undoStack()->count(), undoCount);
    QCOMPARE(QDir(doc->mediaDir()).entryList(QDir::Files).size(), mediaFiles);
    QVERIFY(!jobs->cancel(id)); // already over
}

void TestJobs::cancelQueuedJob()
{
    auto* jobs = m_studio->jobs();
    const int first = generate(QStringLiteral("a red ball"), 1.0);
    const int second = generate(QStringLiteral("a blue ball"), 1.0);
    QVERIFY(jobs->cancel(second));
    QCOMPARE(jobs->job(second)->state, JobState::Cancelled);
    QVERIFY(waitForJob(jobs, first));
    QTest::qWait(200);
    QCOMPARE(m_studio->document()->clips().size(), 1);
}

void TestJobs::failureAndRetry()
{
    auto* jobs = m_studio->jobs();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a yellow circle"))));
    auto* doc = m_studio->document();
    const QString clipId = doc->clips()[0].id;
    // The take file disappears under the queued extension: it fails with a reason.
    const QString file = doc->mediaPath(doc->clips()[0].take());
    const QString aside = file + QStringLiteral(".aside");
    QSignalSpy errors(m_studio.get(), &Studio::errorOccurred);
    QVERIFY(QFile::rename(file, aside));
    const int id = m_studio->queueExtend(clipId, 0.5, false);
    QVERIFY(waitForJob(jobs, id));
    QCOMPARE(jobs->job(id)->state, JobState::Failed);
    QVERIFY(!jobs->job(id)->error.isEmpty());
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("cannot read")));
    QCOMPARE(doc->clips()[0].takes.size(), 1);
    // Put it back and retry.
    QVERIFY(QFile::rename(aside, file));
    QVERIFY(jobs->retry(id));
    QVERIFY(waitForJob(jobs, id));
    QCOMPARE(jobs->job(id)->state, JobState::Done);
    QCOMPARE(doc->clips()[0].takes.size(), 2);
    QVERIFY(!jobs->retry(id)); // only failed or cancelled jobs
}

// The studio's jobs go through the same sampling limits as kinora-cli: a job asking for
// more steps than they allow fails with the same message and adds nothing.
void TestJobs::samplingLimitsAreTheCliOnes()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    const int clipsBefore = doc->clips().size();
    const int id = generate(QStringLiteral("a red circle"), 1.0, pipeline::kMaxSteps + 1);
    QVERIFY(id > 0);
    QVERIFY(waitForJob(jobs, id));
    QCOMPARE(jobs->job(id)->state, JobState::Failed);
    QVERIFY2(jobs->job(id)->error.contains(QStringLiteral("steps must be between 1 and 1000")),
        qPrintable(jobs->job(id)->error));
    QCOMPARE(doc->clips().size(), clipsBefore);
}

void TestJobs::queueOrderRemoveAndReorder()
{
    auto* jobs = m_studio->jobs();
    QVector<QString> order;
    connect(jobs, &JobManager::jobFinished, this, [&](int id, const JobResult&) { order << jobs->job(id)->spec.prompt; });
    const int a = generate(QStringLiteral("a red ball"));
    const int b = generate(QStringLiteral("a blue ball"));
    const int c = generate(QStringLiteral("a green ball"));
    const int d = generate(QStringLiteral("a white ball"));
    QVERIFY(jobs->move(c, -1)); // c before b
    QVERIFY(jobs->remove(d));
    QVERIFY(!jobs->job(d));
    QVERIFY(waitForJob(jobs, a) && waitForJob(jobs, b) && waitForJob(jobs, c));
    QCOMPARE(order, (QVector<QString>{QStringLiteral("a red ball"), QStringLiteral("a green ball"), QStringLiteral("a blue ball")}));
    QVERIFY(!jobs->move(a, 1)); // finished jobs stay put
    jobs->clearFinished();
    QVERIFY(jobs->jobs().isEmpty());
}

// A job running while the project is saved elsewhere wrote its take into the old media
// folder; the take lands in the new one (hard-linked, not copied on the UI thread).
void TestJobs::jobFinishingAfterSaveAs()
{
    auto* jobs = m_studio->jobs();
    const int running = generate(QStringLiteral("a red ball"), 4.0, 30);
    const QString old = m_studio->document()->mediaDir();
    const QString path = m_dir->filePath(QStringLiteral("moved.kinora"));
    QVERIFY(m_studio->saveAs(path).ok());
    QVERIFY(m_studio->document()->mediaDir() != old);
    QVERIFY(waitForJob(jobs, running));
    QCOMPARE(m_studio->document()->clips().size(), 1);
    const Take& take = m_studio->document()->clips()[0].take();
    const QString landed = m_studio->document()->mediaPath(take);
    QVERIFY(landed.startsWith(ProjectDocument::mediaDirFor(path)));
    QVERIFY(readFrames(landed).ok());
    QCOMPARE(std::filesystem::hard_link_count(QFile::encodeName(landed).toStdString()), std::uintmax_t(2));
}

void TestJobs::queuedJobsPersist()
{
    auto* jobs = m_studio->jobs();
    const int running = generate(QStringLiteral("a red ball"), 20.0, 50);
    generate(QStringLiteral("a blue square"), 1.0);
    generate(QStringLiteral("a green star"), 1.0);
    const QString path = m_dir->filePath(QStringLiteral("queued.kinora"));
    QVERIFY(m_studio->saveAs(path).ok());
    jobs->cancel(running);
    QVERIFY(waitForJob(jobs, running));

    // Another session opens the project: its queue comes back and runs.
    Settings settings(m_dir->filePath(QStringLiteral("other.ini")), m_dir->filePath(QStringLiteral("other")));
    Studio other(&settings);
    QSignalSpy ready(other.jobs(), &JobManager::modelReady);
    other.loadModel(m_pack);
    QVERIFY(ready.wait(60000));
    QVERIFY(other.open(path).ok());
    QCOMPARE(other.jobs()->jobs().size(), 3);
    QCOMPARE(other.jobs()->jobs()[1].spec.prompt, QStringLiteral("a blue square"));
    QCOMPARE(other.jobs()->jobs()[1].spec.mediaDir, ProjectDocument::mediaDirFor(path));
    other.jobs()->cancel(other.jobs()->jobs()[0].id);
    QVERIFY(waitForJob(other.jobs(), other.jobs()->jobs()[2].id));
    QCOMPARE(other.document()->clips().size(), 2);
    // And the JSON form round-trips by itself.
    JobSpec spec;
    QVERIFY(JobSpec::fromJson(other.jobs()->jobs()[1].spec.toJson(), &spec));
    QCOMPARE(spec.toJson(), other.jobs()->jobs()[1].spec.toJson());
}

void TestJobs::rerollExtendBridgeFill()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a red ball moving right"))));
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a blue square moving left"))));
    const QString a = doc->clips()[0].id, b = doc->clips()[1].id;

    QVERIFY(waitForJob(jobs, m_studio->queueReroll(a, 99)));
    QCOMPARE(doc->clip(a)->takes.size(), 2);
    QCOMPARE(doc->clip(a)->take().seed(), quint64(99));
    QCOMPARE(doc->clip(a)->take().frames, 8);
    QCOMPARE(doc->clip(a)->take().prompt(), QStringLiteral("a red ball moving right"));

    // Extend from the trimmed clip: the result starts with exactly the frames shown.
    QVERIFY(doc->requestTrim(a, 1, 2));
    const auto shown = readFrames(doc->mediaPath(doc->clip(a)->take()), 1, 5);
    QVERIFY(waitForJob(jobs, m_studio->queueExtend(a, 1.0, false)));
    const Clip* ext = doc->clip(a);
    QCOMPARE(ext->takes.size(), 3);
    QCOMPARE(ext->take().frames, 5 + 8);
    QCOMPARE(ext->length(), 13);
    const auto extended = readFrames(doc->mediaPath(ext->take()));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(extended->frames[i].rgb, shown->frames[i].rgb);
    QVERIFY(waitForJob(jobs, m_studio->queueExtend(b, 0.5, true)));
    QCOMPARE(doc->clip(b)->take().frames, 8 + 4);
    QCOMPARE(doc->clip(b)->take().operation(), QStringLiteral("extend-backward"));

    // Bridge: a new clip between a and b.
    QVERIFY(waitForJob(jobs, m_studio->queueBridge(a, 1.0)));
    QCOMPARE(doc->clips().size(), 3);
    QCOMPARE(doc->clips()[0].id, a);
    QCOMPARE(doc->clips()[2].id, b);
    QCOMPARE(doc->clips()[1].take().operation(), QStringLiteral("bridge"));
    QCOMPARE(doc->clips()[1].take().frames, 8);
    QVERIFY(m_studio->queueBridge(b, 1.0) < 0); // the last clip has no next one

    // Fill frames 3..5 of the first clip: the others stay exactly as they were.
    const auto before = readFrames(doc->mediaPath(doc->clip(a)->take()));
    QVERIFY(waitForJob(jobs, m_studio->queueFill(a, 3, 5)));
    const auto after = readFrames(doc->mediaPath(doc->clip(a)->take()));
    QCOMPARE(after->frames.size(), before->frames.size());
    for (int i : {0, 1, 2, 6, 10})
        QCOMPARE(after->frames[i].rgb, before->frames[i].rgb);
    QVERIFY(after->frames[4].rgb != before->frames[4].rgb);
    QVERIFY(m_studio->queueFill(a, 5, 99) < 0);
    // Undo takes it all back, one edit at a time.
    while (doc->undoStack()->canUndo())
        doc->undoStack()->undo();
    QCOMPARE(doc->clips().size(), 0);
}

// Issue 23's promise: what the studio made, kinora-cli makes again from the take's record,
// frame for frame. Every take of a generate, an extend from a trimmed clip (the record
// names the part of the take it started from), an extend backwards, a bridge and a fill is
// redone by the real CLI, reading the studio's takes as sources, into a lossless frames file.
void TestJobs::studioTakesRedoneByTheCli()
{
    const QString cli = qEnvironmentVariable("KINORA_CLI");
    if (cli.isEmpty())
        QSKIP("KINORA_CLI is not set (kinora-cli not built)");
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a red ball moving right"))));
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a blue square moving left"))));
    const QString a = doc->clips()[0].id, b = doc->clips()[1].id;
    QVERIFY(doc->requestTrim(a, 1, 2));
    QVERIFY(waitForJob(jobs, m_studio->queueExtend(a, 1.0, false)));
    QVERIFY(waitForJob(jobs, m_studio->queueExtend(b, 0.5, true)));
    QVERIFY(waitForJob(jobs, m_studio->queueBridge(a, 1.0)));
    QVERIFY(waitForJob(jobs, m_studio->queueFill(a, 3, 5)));
    // A draft (a quarter of the steps) is redone as the same draft.
    m_studio->setDraftMode(true);
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a green star spinning"), 1.0, 8)));
    m_studio->setDraftMode(false);
    const Take& draft = doc->clips().last().take();
    QVERIFY(draft.draft());
    QCOMPARE(draft.record.value(QStringLiteral("steps")).toInt(), 2);
    QCOMPARE(draft.record.value(QStringLiteral("final_steps")).toInt(), 8);

    QStringList redone;
    for (const Clip& clip : doc->clips())
        for (const Take& take : clip.takes) {
            const QString made = doc->mediaPath(take);
            const QDir media = QFileInfo(made).dir();
            const QString recordFile = media.filePath(take.id + QStringLiteral(".json"));
            QFile rf(recordFile);
            QVERIFY(rf.open(QIODevice::WriteOnly));
            rf.write(QJsonDocument(take.record).toJson());
            rf.close();
            const QString again = media.filePath(take.id + QStringLiteral("-again.kframes"));
            QProcess p;
            p.start(cli, {QStringLiteral("redo"), QStringLiteral("--from"), recordFile, QStringLiteral("--model"),
                          m_pack, QStringLiteral("--out"), again});
            QVERIFY(p.waitForFinished(120000));
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(p.exitCode() == 0, (take.operation() + QStringLiteral(": ") + QString::fromUtf8(err)).toUtf8());
            const auto want = readFrames(made), got = readFrames(again);
            QVERIFY(want.ok());
            QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
            QCOMPARE(got->frames.size(), want->frames.size());
            QCOMPARE(got->fps, want->fps);
            for (size_t i = 0; i < want->frames.size(); ++i)
                QVERIFY2(got->frames[i].rgb == want->frames[i].rgb,
                         qPrintable(take.operation() + QStringLiteral(": frame %1 differs").arg(i)));
            redone << take.operation();
        }
    for (const char* op : {"generate", "extend", "extend-backward", "bridge", "fill"})
        QVERIFY2(redone.contains(QLatin1String(op)), op);
    QCOMPARE(redone.count(QStringLiteral("generate")), 3);
    // The extension from the trimmed clip recorded which part of the take it started from.
    bool sawRange = false;
    for (const Take& take : doc->clip(a)->takes)
        if (take.operation() == QLatin1String("extend")) {
            const QJsonObject source = take.record.value(QLatin1String("sources")).toArray().first().toObject();
            QCOMPARE(source.value(QLatin1String("first_frame")).toInt(), 1);
            QCOMPARE(source.value(QLatin1String("frame_count")).toInt(), 5);
            sawRange = true;
        }
    QVERIFY(sawRange);
}

void TestJobs::importAndExport()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a purple diamond spinning"))));
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("an orange triangle falling"))));
    QVERIFY(doc->requestTrim(doc->clips()[1].id, 0, 3));
    const QString out = m_dir->filePath(QStringLiteral("film.mp4"));
    ExportParams params;
    params.path = out;
    params.crf = 20;
    params.width = 128;
    params.height = 96;
    QSignalSpy exported(m_studio.get(), &Studio::exportFinished);
    QVERIFY(waitForJob(jobs, m_studio->queueExport(params)));
    QCOMPARE(exported.count(), 1);
    auto video = media::readVideo(out.toStdString());
    QVERIFY(video.ok());
    QCOMPARE(int(video->frames.size()), doc->totalFrames());
    QCOMPARE(video->width(), 128);
    QCOMPARE(video->height(), 96);
    auto record = media::readMetadataJson(out.toStdString());
    QVERIFY(record.ok());
    const auto json = QJsonDocument::fromJson(QByteArray::fromStdString(record.value())).object();
    QVERIFY(json.value("ai_generated").toBool());
    QCOMPARE(json.value("clips").toArray().size(), 2);
    QCOMPARE(json.value("clips").toArray()[0].toObject().value("prompt").toString(), QStringLiteral("a purple diamond spinning"));

    // Import it back: one clip at the pack's size and rate, with the record kept.
    QVERIFY(waitForJob(jobs, m_studio->queueImport(out)));
    QCOMPARE(doc->clips().size(), 3);
    const Take& imported = doc->clips()[2].take();
    QCOMPARE(imported.width, 64);
    QCOMPARE(imported.frames, 13);
    QCOMPARE(imported.operation(), QStringLiteral("import"));
    QVERIFY(imported.record.contains("imported_record"));
    // An export to a folder that does not exist fails with a message.
    params.path = m_dir->filePath(QStringLiteral("no/such/folder/x.mp4"));
    const int bad = m_studio->queueExport(params);
    QVERIFY(waitForJob(jobs, bad));
    QCOMPARE(jobs->job(bad)->state, JobState::Failed);
    QVERIFY(m_studio->queueImport(m_dir->filePath(QStringLiteral("nothing.mp4"))) < 0);
}

void TestJobs::exportLabelsProvenance()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    // Footage: a clip with no Kinora record, as a camera would write it.
    Video grey;
    grey.fps = 8;
    for (int i = 0; i < 8; ++i) {
        Frame f(64, 64);
        std::fill(f.rgb.begin(), f.rgb.end(), std::uint8_t(150 + i));
        grey.frames.push_back(std::move(f));
    }
    const QString footage = m_dir->filePath(QStringLiteral("holiday.mp4"));
    QVERIFY(media::writeMp4(grey, footage.toStdString()).ok());
    QVERIFY(waitForJob(jobs, m_studio->queueImport(footage)));
    QCOMPARE(doc->clips().size(), 1);

    // Exported alone it is not called AI-made.
    ExportParams params;
    params.mark = false;
    params.path = m_dir->filePath(QStringLiteral("footage.mp4"));
    QVERIFY(waitForJob(jobs, m_studio->queueExport(params)));
    auto xmp = media::readXmp(params.path.toStdString());
    QVERIFY(xmp.ok());
    QCOMPARE(QString::fromStdString(xmp->digitalSourceType), QString());
    auto record = QJsonDocument::fromJson(QByteArray::fromStdString(media::readMetadataJson(params.path.toStdString()).value()));
    QCOMPARE(record.object().value("ai_generated").toBool(true), false);

    // With a generated clip after it: a composite, for exempi and for exiftool, in the MP4
    // and in the poster of a frame of the generated clip.
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a red ball moving to the right"))));
    QCOMPARE(doc->clips().size(), 2);
    const QString plain = m_dir->filePath(QStringLiteral("mixed-plain.mp4"));
    params.path = plain;
    // Lossless, so that the comparison below sees the mark and not the encoder's choices
    // (at crf 18 a mark in the corner moves the quantiser of the whole frame).
    params.crf = 0;
    QVERIFY(waitForJob(jobs, m_studio->queueExport(params)));
    const QString mixed = m_dir->filePath(QStringLiteral("mixed.mp4"));
    params.path = mixed;
    params.mark = true;
    params.poster = true;
    params.posterFrame = doc->clipStart(1) + 2;
    QVERIFY(waitForJob(jobs, m_studio->queueExport(params)));
    const QString poster = m_dir->filePath(QStringLiteral("mixed.png"));
    for (const QString& file : {mixed, poster}) {
        xmp = media::readXmp(file.toStdString());
        QVERIFY2(xmp.ok(), qPrintable(file));
        QCOMPARE(QString::fromStdString(xmp->digitalSourceType), QString(media::digitalSourceTypeUri(
                                                                        media::SourceKind::CompositeWithTrainedAlgorithmic)));
        QCOMPARE(exiftoolSourceType(file), QString::fromStdString(xmp->digitalSourceType));
    }
    const auto mp4Record = media::readMetadataJson(mixed.toStdString());
    QVERIFY(mp4Record.ok());
    QCOMPARE(media::readMetadataJson(poster.toStdString()).value(), mp4Record.value());
    record = QJsonDocument::fromJson(QByteArray::fromStdString(mp4Record.value()));
    QVERIFY(record.object().value("ai_generated").toBool());
    QVERIFY(record.object().value("visible_mark").toBool());
    // The poster is the frame at the playhead, marked (PNG keeps it exactly).
    const Clip& generated = doc->clips()[1];
    auto take = readFrames(doc->mediaPath(generated.take()), generated.firstFrame() + 2, 1);
    QVERIFY(take.ok());
    Frame expected = take->frames.front();
    media::drawMark(expected);
    QCOMPARE(media::readVideo(poster.toStdString())->frames.front().rgb, expected.rgb);
    // The visible mark: the corner differs from the unmarked export in every frame, the
    // rest of the picture does not.
    const auto a = media::readVideo(plain.toStdString());
    const auto b = media::readVideo(mixed.toStdString());
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->frames.size(), b->frames.size());
    const auto box = media::markBox(a->width(), a->height());
    for (size_t i = 0; i < a->frames.size(); ++i) {
        QVERIFY2(differenceIn(a->frames[i], b->frames[i], box) > 20, qPrintable(QString::number(i)));
        const double away = differenceIn(a->frames[i], b->frames[i], {0, 0, box.width, box.height});
        QVERIFY2(away < 3, qPrintable(QString("frame %1: %2").arg(i).arg(away)));
    }
}

// A disk that fills up under a generation and an export: both fail with the reason, the
// document keeps every take, nothing half-written is left, and a retry with room works.
void TestJobs::fullDisk()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    QVERIFY(waitForJob(jobs, generate(QStringLiteral("a yellow circle"))));
    const QByteArray before = snapshot(doc);
    const QString out = m_dir->filePath(QStringLiteral("full.mp4"));
    int gen = -1, exp = -1;
    {
        kinora::test::FileSizeLimit full(4 * 1024); // a 1-s take is 8 x 64 x 64 x 3 bytes
        QVERIFY(full.ok());
        gen = generate(QStringLiteral("a red square"));
        QVERIFY(waitForJob(jobs, gen));
        ExportParams params;
        params.path = out;
        exp = m_studio->queueExport(params);
        QVERIFY(waitForJob(jobs, exp));
    }
    for (int id : {gen, exp}) {
        QCOMPARE(jobs->job(id)->state, JobState::Failed);
        QVERIFY2(jobs->job(id)->error.contains(QStringLiteral("too large")), qPrintable(jobs->job(id)->error));
        QVERIFY(!jobs->job(id)->error.contains(QStringLiteral("Unknown error")));
    }
    QCOMPARE(snapshot(doc), before);
    QVERIFY(!QFileInfo::exists(out));
    for (const auto& name : QDir(doc->mediaDir()).entryList(QDir::Files | QDir::Hidden))
        QVERIFY2(name.endsWith(QLatin1String(kFramesSuffix)), qPrintable(name));
    QVERIFY(jobs->retry(gen));
    QVERIFY(waitForJob(jobs, gen));
    QCOMPARE(jobs->job(gen)->state, JobState::Done);
    QCOMPARE(doc->clips().size(), 2);
}

// The studio writes its recovery copy when the queue changes: by then a finished job's take
// must be in the document, or a crash before the next autosave loses the job and its take
// (found by tst_kill).
void TestJobs::takeLandsBeforeTheQueueChanges()
{
    auto* jobs = m_studio->jobs();
    auto* doc = m_studio->document();
    int seenDone = 0, clipsWhenDone = -1;
    const int id = generate(QStringLiteral("a green cube"));
    connect(jobs, &JobManager::jobsChanged, this, [&] {
        const Job* j = jobs->job(id);
        if (j && j->state == JobState::Done && seenDone++ == 0)
            clipsWhenDone = doc->clips().size();
    });
    QVERIFY(waitForJob(jobs, id));
    QCOMPARE(jobs->job(id)->state, JobState::Done);
    QVERIFY(seenDone > 0);
    QCOMPARE(clipsWhenDone, 1);
}

// Restoring a queue (opening a project, restoring after a crash) is one change: a recovery
// copy written after each job of it held a partial queue, which a crash then restored in
// place of the whole (found by tst_kill).
void TestJobs::restoredQueueIsOneChange()
{
    auto* jobs = m_studio->jobs();
    QJsonArray queue;
    for (int i = 0; i < 3; ++i) {
        JobSpec spec;
        spec.kind = JobKind::Generate;
        spec.prompt = QStringLiteral("a red ball");
        spec.seed = 10 + i;
        spec.mediaDir = m_dir->filePath(QStringLiteral("media"));
        queue.append(spec.toJson());
    }
    QSignalSpy changed(jobs, &JobManager::jobsChanged);
    QCOMPARE(jobs->restore(queue), 3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(jobs->pendingToJson().size(), 3);
    for (const auto& j : jobs->jobs())
        jobs->cancel(j.id);
}

void TestJobs::brokenModelPack()
{
    Settings settings(m_dir->filePath(QStringLiteral("b.ini")), m_dir->filePath(QStringLiteral("b")));
    Studio studio(&settings);
    QSignalSpy failed(studio.jobs(), &JobManager::modelFailed);
    QDir().mkpath(m_dir->filePath(QStringLiteral("badpack")));
    QFile json(m_dir->filePath(QStringLiteral("badpack/model.json")));
    QVERIFY(json.open(QIODevice::WriteOnly));
    json.write("{ not json");
    json.close();
    studio.loadModel(m_dir->filePath(QStringLiteral("badpack")));
    QVERIFY(failed.wait(30000));
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("model.json")));
    QSignalSpy errors(&studio, &Studio::errorOccurred);
    QVERIFY(studio.queueGenerate({QStringLiteral("a red ball"), {}, 1, 1.0, 0, -1}) < 0);
    QCOMPARE(errors.count(), 1);
}

QTEST_GUILESS_MAIN(TestJobs)
#include "tst_jobs.moc"
