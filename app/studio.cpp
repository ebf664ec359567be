#include "app/studio.h"

#include "app/frame_io.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "util/model_locator.h"

#include <qcoro/qcorofuture.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSet>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>
#include <system_error>

namespace kinora::app {

Studio::Studio(Settings* settings, QObject* parent) : QObject(parent), m_settings(settings)
{
    m_scratchDir = newScratchDir();
    m_document.clear(m_scratchDir);
    connect(&m_jobs, &JobManager::jobFinished, this, &Studio::onJobFinished);
    connect(&m_jobs, &JobManager::jobFailed, this, &Studio::onJobFailed);
    connect(&m_jobs, &JobManager::jobCancelled, this, [this](int id) {
        const Job* job = m_jobs.job(id);
        if (job && !job->spec.shotId.isEmpty() && m_boardRunning) {
            m_boardRunning = false;
            Q_EMIT boardRunningChanged(false);
        }
    });
    connect(&m_document, &ProjectDocument::changed, this, &Studio::onDocumentChanged);
    connect(&m_jobs, &JobManager::jobsChanged, this, &Studio::onJobsChanged);
    claimRecoverySlot();
    m_autosave.setSingleShot(true);
    connect(&m_autosave, &QTimer::timeout, this, &Studio::writeRecoveryNow);
    m_draftSave.setSingleShot(true);
    m_draftSave.setInterval(kDraftSaveDelayMs);
    connect(&m_draftSave, &QTimer::timeout, this, &Studio::writeRecoveryNow);
    m_recoveryWriter.setMaxThreadCount(1);
    m_trashRemoval = removeDiscardedScratch(m_settings->scratchDir());
    m_joinTimer.setSingleShot(true);
    m_joinTimer.setInterval(200);
    connect(&m_joinTimer, &QTimer::timeout, this, [this] { measureJoins(); });
}

Studio::~Studio()
{
    if (m_saveCancel)
        m_saveCancel->store(true);
    m_saveCopy.waitForFinished();
    m_trashRemoval.waitForFinished();
    waitForRecoveryWrites();
}

QString Studio::newScratchDir() const
{
    return QDir(m_settings->scratchDir())
        .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral("_media"));
}

void Studio::loadModel(const QString& dir)
{
    QString path = dir.isEmpty() ? m_settings->modelDir() : dir;
    if (path.isEmpty())
        path = QString::fromStdString(kinora::findDefaultModel().string());
    m_jobs.loadModel(path, EngineSettings{m_settings->device(), m_settings->threads()});
}

quint64 Studio::randomSeed() const { return pipeline::randomSeed(); }

int Studio::fail(const QString& message)
{
    Q_EMIT errorOccurred(tr("Cannot queue the job"), message);
    return -1;
}

bool Studio::checkModelReady()
{
    return m_jobs.modelState() != ModelState::Failed;
}

JobSpec Studio::baseSpec(JobKind kind) const
{
    JobSpec spec;
    spec.kind = kind;
    spec.mediaDir = m_document.mediaDir();
    spec.steps = m_settings->defaultSteps();
    spec.guidance = m_settings->defaultGuidance();
    spec.draft = m_draftMode;
    return spec;
}

FrameSpan Studio::visibleSpan(const Clip& clip) const
{
    return {QDir(m_document.mediaDir()).absoluteFilePath(clip.take().file), clip.firstFrame(), clip.length(),
            clip.take().record};
}

QFuture<QVector<QImage>> Studio::loadFrames(const FrameSpan& span)
{
    return QtConcurrent::run([span] {
        QVector<QImage> images;
        auto video = readFrames(span.file, span.first, span.count);
        if (video)
            for (const auto& f : video->frames)
                images.append(toImage(f));
        return images;
    });
}

// ---- queueing -------------------------------------------------------------------------

int Studio::queueGenerate(const GenerateParams& params)
{
    if (const QString problem = promptProblem(JobKind::Generate, params.prompt); !problem.isEmpty())
        return fail(problem);
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    return m_jobs.submit(generateSpec(params));
}

JobSpec Studio::generateSpec(const GenerateParams& params) const
{
    JobSpec spec = baseSpec(JobKind::Generate);
    spec.prompt = params.prompt;
    spec.negative = params.negative;
    spec.seed = params.seed;
    spec.seconds = params.seconds;
    if (params.steps > 0)
        spec.steps = params.steps;
    if (params.guidance >= 0)
        spec.guidance = params.guidance;
    return spec;
}

double Studio::estimateGenerate(const GenerateParams& params) const { return m_jobs.estimateSeconds(generateSpec(params)); }

static void copySampling(const Take& take, JobSpec* spec)
{
    spec->prompt = take.prompt();
    spec->negative = take.record.value(QStringLiteral("negative_prompt")).toString();
    // A draft's record keeps the full step count beside the quartered one it ran with.
    const char* stepsKey = take.draft() ? "final_steps" : "steps";
    if (const int steps = take.record.value(QLatin1String(stepsKey)).toInt(); steps > 0)
        spec->steps = steps;
    if (const auto g = take.record.value(QStringLiteral("guidance")); g.isDouble())
        spec->guidance = g.toDouble();
}

int Studio::queueReroll(const QString& clipId, quint64 seed)
{
    if (!m_document.clip(clipId))
        return fail(tr("Select a clip to re-roll."));
    return queueRepeat(clipId, seed, m_draftMode);
}

int Studio::queuePromote(const QString& clipId)
{
    const Clip* clip = m_document.clip(clipId);
    if (!clip)
        return fail(tr("Select a clip to promote."));
    if (!clip->take().draft())
        return fail(tr("This clip is already final."));
    return queueRepeat(clipId, clip->take().seed(), false);
}

int Studio::promoteDrafts()
{
    int queued = 0;
    for (const auto& clip : m_document.clips())
        if (clip.take().draft() && queuePromote(clip.id) > 0)
            ++queued;
    return queued;
}

void Studio::setDraftMode(bool on)
{
    if (on == m_draftMode)
        return;
    m_draftMode = on;
    Q_EMIT draftModeChanged(on);
}

// The take's own operation again, with `seed`, as a draft or in full.
int Studio::queueRepeat(const QString& clipId, quint64 seed, bool draft, const BoardShot* shot)
{
    const Clip* clip = m_document.clip(clipId);
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    JobSpec spec = baseSpec(JobKind::Reroll);
    spec.draft = draft;
    const Take& take = clip->take();
    copySampling(take, &spec);
    spec.clipId = clipId;
    spec.seed = seed;
    spec.frames = take.frames;
    spec.parentTake = take.id;
    spec.relation = take.draft() && !draft && seed == take.seed() ? QStringLiteral("promoted")
                                                                  : QStringLiteral("rerolled");
    // A take made by extending, filling or bridging is re-rolled by doing that again from
    // the same known frames: its own unchanged frames, or the clips on either side.
    const QString operation = take.operation();
    const QString file = QDir(m_document.mediaDir()).absoluteFilePath(take.file);
    if (operation.startsWith(QLatin1String("extend"))) {
        const int fresh = take.record.value(QStringLiteral("new_frames")).toInt();
        if (fresh > 0 && fresh < take.frames) {
            spec.repeat = operation;
            spec.backward = operation == QLatin1String("extend-backward");
            spec.frames = fresh;
            spec.sources = {{file, spec.backward ? fresh : 0, take.frames - fresh, take.record}};
        }
    } else if (operation == QLatin1String("fill")) {
        const int first = take.record.value(QStringLiteral("fill_first")).toInt(-1);
        const int last = take.record.value(QStringLiteral("fill_last")).toInt(-1);
        if (first >= 0 && last >= first && last < take.frames) {
            spec.repeat = operation;
            spec.sources = {{file, 0, -1, take.record}};
            spec.fillFirst = first;
            spec.fillLast = last;
        }
    } else if (operation == QLatin1String("bridge")) {
        const int index = m_document.indexOf(clipId);
        if (index > 0 && index + 1 < m_document.clips().size()) {
            spec.repeat = operation;
            spec.sources = {visibleSpan(m_document.clips()[index - 1]), visibleSpan(m_document.clips()[index + 1])};
        }
    }
    if (shot) { // a storyboard shot: the board's prompt, which may have changed since
        spec.prompt = shot->prompt;
        spec.shotId = shot->id;
    }
    return m_jobs.submit(spec);
}

// ---- storyboard -----------------------------------------------------------------------

int Studio::generateBoard()
{
    const Board& board = m_document.board();
    if (board.shots.isEmpty())
        return fail(tr("The storyboard has no shots: add one first."));
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    int missing = 0;
    for (const auto& shot : board.shots)
        missing += m_document.clip(shot.clipId) ? 0 : 1;
    if (missing == 0) {
        Q_EMIT statusMessage(tr("Every shot of the storyboard is made: re-roll a shot to make it again."));
        return 0;
    }
    m_boardRunning = true;
    Q_EMIT boardRunningChanged(true);
    if (queueNextShot() < 0) {
        m_boardRunning = false;
        Q_EMIT boardRunningChanged(false);
        return 0;
    }
    return missing;
}

// Queues the first shot without a clip, unless one is being made. Returns its job id, 0
// when every shot is made or one is under way, -1 after an error.
int Studio::queueNextShot()
{
    const Board& board = m_document.board();
    for (const auto& j : m_jobs.jobs())
        if (!j.finished() && !j.spec.shotId.isEmpty() && j.spec.kind != JobKind::Reroll)
            return 0; // one shot at a time: a continuing shot needs the clip before it
    for (int i = 0; i < board.shots.size(); ++i) {
        const BoardShot& shot = board.shots[i];
        if (m_document.clip(shot.clipId))
            continue;
        JobSpec spec;
        if (shot.continues && i > 0) {
            const Clip* before = m_document.clip(board.shots[i - 1].clipId);
            if (!before)
                return fail(tr("Shot %1 continues from shot %2, which has no clip.").arg(i + 1).arg(i));
            spec = baseSpec(JobKind::Extend);
            copySampling(before->take(), &spec);
            spec.prompt = shot.prompt;
            spec.clipId = before->id;
            spec.sources = {visibleSpan(*before)};
        } else {
            if (const QString problem = promptProblem(JobKind::Generate, shot.prompt); !problem.isEmpty())
                return fail(tr("Shot %1: %2").arg(i + 1).arg(problem));
            spec = baseSpec(JobKind::Generate);
            spec.prompt = shot.prompt;
        }
        spec.seed = board.seed + static_cast<quint64>(i);
        spec.seconds = shot.seconds;
        spec.shotId = shot.id;
        return m_jobs.submit(spec);
    }
    m_boardRunning = false;
    Q_EMIT boardRunningChanged(false);
    Q_EMIT statusMessage(tr("The storyboard is made."));
    return 0;
}

// A restored queue holding a shot of a Generate all run (not a re-roll) means the run was
// under way when the studio stopped: it goes on with the next shot when that one lands.
void Studio::resumeBoardRun()
{
    bool running = false;
    for (const auto& j : m_jobs.jobs())
        running = running || (!j.finished() && !j.spec.shotId.isEmpty() && j.spec.kind != JobKind::Reroll);
    if (running == m_boardRunning)
        return;
    m_boardRunning = running;
    Q_EMIT boardRunningChanged(running);
}

int Studio::rerollShot(const QString& shotId)
{
    const Board& board = m_document.board();
    for (const auto& shot : board.shots) {
        if (shot.id != shotId)
            continue;
        if (!m_document.clip(shot.clipId))
            return fail(tr("This shot has no clip yet: Generate all makes it."));
        return queueRepeat(shot.clipId, randomSeed(), m_draftMode, &shot);
    }
    return fail(tr("That shot is not on the storyboard."));
}

// A shot's job landed as `clipId`: link it, and go on with the board.
void Studio::shotLanded(const JobSpec& spec, const QString& clipId)
{
    const Board& board = m_document.board();
    int index = -1;
    for (int i = 0; i < board.shots.size(); ++i)
        if (board.shots[i].id == spec.shotId)
            index = i;
    if (index < 0) { // the shot was removed meanwhile: the clip stays as a clip
        if (m_boardRunning && spec.kind != JobKind::Reroll)
            queueNextShot();
        return;
    }
    m_document.linkShotRaw(spec.shotId, clipId);
    if (spec.kind == JobKind::Reroll) {
        // The next shot continued from the old frames: smooth the join into it.
        if (index + 1 < board.shots.size() && board.shots[index + 1].continues) {
            const int at = m_document.indexOf(clipId);
            if (at >= 0 && at + 1 < m_document.clips().size() &&
                m_document.clips()[at + 1].id == board.shots[index + 1].clipId)
                queueSmoothJoin(at);
        }
        return;
    }
    if (m_boardRunning)
        queueNextShot();
}

int Studio::queueExtend(const QString& clipId, double seconds, bool backward, const QString& prompt)
{
    const Clip* clip = m_document.clip(clipId);
    if (!clip)
        return fail(tr("Select a clip to extend."));
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    JobSpec spec = baseSpec(JobKind::Extend);
    copySampling(clip->take(), &spec);
    if (!prompt.trimmed().isEmpty())
        spec.prompt = prompt;
    spec.clipId = clipId;
    spec.seed = randomSeed();
    spec.seconds = seconds;
    spec.backward = backward;
    spec.sources = {visibleSpan(*clip)};
    return m_jobs.submit(spec);
}

int Studio::queueBridge(const QString& clipId, double seconds)
{
    const int index = m_document.indexOf(clipId);
    if (index < 0)
        return fail(tr("Select the clip to bridge from."));
    if (index + 1 >= m_document.clips().size())
        return fail(tr("There is no next clip to bridge to: the selected clip is the last one."));
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    const Clip& a = m_document.clips()[index];
    const Clip& b = m_document.clips()[index + 1];
    JobSpec spec = baseSpec(JobKind::Bridge);
    copySampling(a.take(), &spec);
    spec.clipId = clipId;
    spec.seed = randomSeed();
    spec.seconds = seconds;
    spec.sources = {visibleSpan(a), visibleSpan(b)};
    return m_jobs.submit(spec);
}

int Studio::queueSmoothJoin(int index)
{
    const auto& clips = m_document.clips();
    if (index < 0 || index + 1 >= clips.size())
        return fail(tr("There is no join there: pick a clip that has a clip after it."));
    const Clip& a = clips[index];
    const Clip& b = clips[index + 1];
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    // The bridge is one window: what is kept of the first clip, the new frames, what is kept
    // of the second, each in whole latent frames (the first picture alone, then groups of
    // four), or the known frames at a group's edge would not count as known. With 17-frame
    // windows: 5 + 8 + 4, or 1 + 8 + 8 when the first clip is short.
    const auto& info = m_jobs.model().info;
    const int group = std::max(1, info.temporalGroup), window = info.windowFrames > 0 ? info.windowFrames : 17;
    const int gap = 2 * kSmoothFrames;
    int before = 0, after = 0;
    for (int n = 1; n + gap < window; n += group) {
        const int rest = window - n - gap;
        if (n <= a.length() - kSmoothFrames && rest % group == 0 && rest >= group && rest <= b.length() - kSmoothFrames) {
            before = n;
            after = rest;
        }
    }
    if (before == 0)
        return fail(tr("The clips at this join are too short to smooth it: the first needs at least %1 frames and "
                       "the second %2.")
                        .arg(kSmoothFrames + 1)
                        .arg(kSmoothFrames + std::max(group, window - gap - 1)));
    JobSpec spec = baseSpec(JobKind::Bridge);
    copySampling(a.take(), &spec);
    spec.clipId = a.id;
    spec.seed = randomSeed();
    spec.frames = 2 * kSmoothFrames;
    spec.smoothFrames = kSmoothFrames;
    FrameSpan head = visibleSpan(a), tail = visibleSpan(b);
    head.first += head.count - kSmoothFrames - before;
    head.count = before;
    tail.first += kSmoothFrames;
    tail.count = after;
    spec.sources = {head, tail};
    return m_jobs.submit(spec);
}

int Studio::queueFill(const QString& clipId, int first, int last)
{
    const Clip* clip = m_document.clip(clipId);
    if (!clip)
        return fail(tr("Select a clip whose frames to regenerate."));
    if (first < 0 || last < first || last >= clip->length())
        return fail(tr("Set an In and an Out mark inside the clip first (frames %1 to %2).")
                        .arg(0)
                        .arg(clip->length() - 1));
    if (!checkModelReady())
        return fail(tr("No model pack is loaded: %1").arg(m_jobs.modelError()));
    JobSpec spec = baseSpec(JobKind::Fill);
    copySampling(clip->take(), &spec);
    spec.clipId = clipId;
    spec.seed = randomSeed();
    spec.sources = {{QDir(m_document.mediaDir()).absoluteFilePath(clip->take().file), 0, -1, clip->take().record}};
    spec.fillFirst = clip->firstFrame() + first;
    spec.fillLast = clip->firstFrame() + last;
    return m_jobs.submit(spec);
}

int Studio::queueImport(const QString& path)
{
    if (!QFileInfo(path).isFile())
        return fail(tr("%1 does not exist or is not a file.").arg(path));
    JobSpec spec = baseSpec(JobKind::Import);
    spec.path = QFileInfo(path).absoluteFilePath();
    return m_jobs.submit(spec);
}

int Studio::queueExport(const ExportParams& params)
{
    if (params.path.isEmpty())
        return fail(tr("Choose a file to export to."));
    JobSpec spec = baseSpec(JobKind::Export);
    for (const auto& clip : m_document.clips())
        if (params.clipId.isEmpty() || clip.id == params.clipId)
            spec.sources.append(visibleSpan(clip));
    if (spec.sources.isEmpty())
        return fail(params.clipId.isEmpty() ? tr("The timeline is empty: there is nothing to export.")
                                            : tr("The clip to export no longer exists."));
    if (params.crf < 0 || params.crf > 51)
        return fail(tr("Quality (CRF) must be between 0 and 51."));
    spec.path = QFileInfo(params.path).absoluteFilePath();
    spec.crf = params.crf;
    spec.width = params.width;
    spec.height = params.height;
    spec.fps = params.fps;
    spec.mark = params.mark;
    if (params.poster) {
        const QFileInfo mp4(spec.path);
        spec.posterPath = mp4.dir().filePath(mp4.completeBaseName() + QStringLiteral(".png"));
        // The poster frame counted from the start of what is exported.
        const int index = params.clipId.isEmpty() ? 0 : m_document.indexOf(params.clipId);
        const int offset = params.posterFrame - m_document.clipStart(index);
        int length = 0;
        for (const auto& span : spec.sources)
            length += span.count;
        spec.posterFrame = params.posterFrame >= 0 && offset >= 0 && offset < length ? offset : -1;
    }
    return m_jobs.submit(spec);
}

// ---- results --------------------------------------------------------------------------

void Studio::onJobFinished(int id, const JobResult& result)
{
    const Job* job = m_jobs.job(id);
    if (!job)
        return;
    const JobSpec spec = job->spec;
    if (spec.kind == JobKind::Export) {
        Q_EMIT statusMessage(tr("Exported %1").arg(result.outputPath));
        Q_EMIT exportFinished(result.outputPath);
        return;
    }
    // The project may have moved its media since the job was queued (Save As). Takes are
    // never changed once written, so a hard link serves (instant, on the UI thread); a copy
    // only where the new folder is on another file system.
    const QString target = QDir(m_document.mediaDir()).filePath(result.take.file);
    if (!QFileInfo::exists(target)) {
        QDir().mkpath(m_document.mediaDir());
        const QString source = QDir(spec.mediaDir).filePath(result.take.file);
        std::error_code linked;
        std::filesystem::create_hard_link(QFile::encodeName(source).toStdString(),
                                          QFile::encodeName(target).toStdString(), linked);
        if (linked && !QFile::copy(source, target)) {
            Q_EMIT errorOccurred(tr("Job failed"), tr("Cannot store the new take in %1.").arg(m_document.mediaDir()));
            return;
        }
    }
    m_thumbnails.insert(result.take.id, result.thumbnail);

    Take made = result.take;
    made.parent = spec.parentTake;
    made.relation = spec.relation;
    QString clipId = spec.clipId;
    const bool clipExists = m_document.clip(clipId) != nullptr;
    auto addAsClip = [&](int index) {
        Clip clip;
        clip.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        clip.takes = {made};
        m_document.requestAddClip(clip, index);
        clipId = clip.id;
    };
    // A storyboard shot lands after the clip of the shot before it (or the clip it extends).
    auto shotPlace = [&]() -> int {
        const Board& board = m_document.board();
        for (int i = 1; i < board.shots.size(); ++i)
            if (board.shots[i].id == spec.shotId) {
                const int before = m_document.indexOf(board.shots[i - 1].clipId);
                return before >= 0 ? before + 1 : -1;
            }
        return -1;
    };
    switch (spec.kind) {
    case JobKind::Generate: addAsClip(spec.shotId.isEmpty() ? -1 : shotPlace()); break;
    case JobKind::Import: addAsClip(-1); break;
    case JobKind::Bridge: {
        const int index = clipExists ? m_document.indexOf(clipId) : -1;
        const int k = spec.smoothFrames;
        if (k > 0 && index >= 0 && index + 1 < m_document.clips().size()) {
            // Smoothing a join: the frames the bridge replaces go from both sides, in the
            // same undo step as the bridge.
            m_document.undoStack()->beginMacro(tr("Smooth join"));
            const Clip a = m_document.clips()[index], b = m_document.clips()[index + 1];
            m_document.requestTrim(a.id, a.trimIn, a.trimOut + k);
            m_document.requestTrim(b.id, b.trimIn + k, b.trimOut);
            addAsClip(index + 1);
            m_document.undoStack()->endMacro();
        } else {
            addAsClip(index >= 0 ? index + 1 : -1);
        }
        break;
    }
    case JobKind::Reroll:
    case JobKind::Fill:
    case JobKind::Extend:
        if (!clipExists) {
            // Nothing finished is thrown away: the clip went, so the take becomes one.
            Q_EMIT statusMessage(tr("The clip was deleted meanwhile; the new take was added as a clip."));
            addAsClip(-1);
        } else if (spec.kind == JobKind::Extend && !spec.shotId.isEmpty()) {
            // A shot that continues: its own clip after the one it extends, showing only
            // the new frames (the take holds the known ones before them too).
            const int index = m_document.indexOf(clipId);
            Clip clip;
            clip.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            clip.takes = {made};
            clip.trimIn = std::clamp(made.frames - made.record.value(QStringLiteral("new_frames")).toInt(made.frames), 0,
                                     made.frames - 1);
            m_document.requestAddClip(clip, index + 1);
            clipId = clip.id;
        } else if (spec.kind == JobKind::Extend) {
            m_document.requestAddTake(clipId, made, std::make_pair(0, 0));
        } else {
            m_document.requestAddTake(clipId, made);
        }
        break;
    case JobKind::Export: break;
    }
    Q_EMIT thumbnailReady(result.take.id);
    Q_EMIT clipProduced(clipId);
    if (!spec.shotId.isEmpty())
        shotLanded(spec, clipId);
    writeRecoveryNow();
}

void Studio::onJobFailed(int id, const QString& message)
{
    const Job* job = m_jobs.job(id);
    if (job && !job->spec.shotId.isEmpty() && m_boardRunning) {
        m_boardRunning = false; // the shots after it wait for Generate all again
        Q_EMIT boardRunningChanged(false);
    }
    const QString what = job ? jobKindLabel(job->spec.kind) : tr("A job");
    Q_EMIT errorOccurred(tr("Job failed"), tr("%1 failed: %2").arg(what, message));
}

// ---- projects -------------------------------------------------------------------------

void Studio::newProject()
{
    for (const auto& j : m_jobs.jobs())
        m_jobs.cancel(j.id);
    m_document.clear(newScratchDir());
    removeSessionRecovery();
}

Result<void> Studio::open(const QString& path)
{
    auto pending = m_document.load(path);
    if (!pending) {
        m_settings->removeRecentProject(path);
        return pending.error();
    }
    for (const auto& j : m_jobs.jobs())
        m_jobs.cancel(j.id);
    m_settings->addRecentProject(path);
    m_jobs.restore(pending.value());
    resumeBoardRun();
    removeSessionRecovery();
    loadThumbnails();
    m_joinTimer.start();
    const QStringList missing = m_document.missingMedia();
    if (!missing.isEmpty())
        Q_EMIT errorOccurred(tr("Missing media"),
                             tr("%n take(s) of this project are missing from %1: %2", nullptr, int(missing.size()))
                                 .arg(m_document.mediaDir(), missing.join(QStringLiteral(", "))));
    return success();
}

Result<void> Studio::save()
{
    if (m_document.filePath().isEmpty())
        return makeError(ErrorCode::InvalidArgument, tr("the project has no file name yet").toStdString());
    return saveAs(m_document.filePath());
}

QJsonArray Studio::pendingJobsFor(const QString& mediaDir) const
{
    // Queued jobs move with the media they read and write.
    const QString from = QDir(m_document.mediaDir()).absolutePath();
    QJsonArray out;
    for (const auto& v : m_jobs.pendingToJson()) {
        JobSpec spec;
        if (!JobSpec::fromJson(v.toObject(), &spec))
            continue;
        if (QDir(spec.mediaDir).absolutePath() == from)
            spec.mediaDir = mediaDir;
        for (auto& s : spec.sources)
            if (QFileInfo(s.file).absolutePath() == from)
                s.file = QDir(mediaDir).filePath(QFileInfo(s.file).fileName());
        out.append(spec.toJson());
    }
    return out;
}

// A project path as saved: with the .kinora suffix when it has none.
static QString projectPath(const QString& path)
{
    return QFileInfo(path).suffix().isEmpty() ? path + QLatin1Char('.') + QLatin1String(kProjectSuffix) : path;
}

Result<void> Studio::saveAs(const QString& path)
{
    const QString target = projectPath(path);
    auto ok = m_document.save(target, pendingJobsFor(ProjectDocument::mediaDirFor(target)));
    if (!ok)
        return ok;
    m_settings->addRecentProject(m_document.filePath());
    removeSessionRecovery();
    Q_EMIT statusMessage(tr("Saved %1").arg(m_document.filePath()));
    return success();
}

QCoro::Task<Result<void>> Studio::saveAsInBackground(QString path, std::shared_ptr<std::atomic<bool>> cancel)
{
    if (!cancel)
        cancel = std::make_shared<std::atomic<bool>>(false);
    if (m_saveCopy.isRunning())
        co_return makeError(ErrorCode::InvalidArgument, tr("a save is already under way").toStdString());
    const QString target = projectPath(path);
    const auto files = m_document.mediaToCopy(target);
    if (!files.isEmpty()) {
        const int total = int(files.size());
        Q_EMIT saveProgress(0, total);
        m_saveCancel = cancel;
        QPointer<Studio> self(this);
        m_saveCopy = QtConcurrent::run([files, cancel, total, studio = this] {
            // The studio waits for this copy before it goes (~Studio), so it outlives it.
            return copyMediaFiles(
                files,
                [studio, total](int done) {
                    QMetaObject::invokeMethod(studio, [studio, done, total] { Q_EMIT studio->saveProgress(done, total); },
                                              Qt::QueuedConnection);
                },
                cancel.get());
        });
        // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
        auto copy = m_saveCopy;
        const Result<void> copied = co_await copy;
        if (!self)
            co_return makeError(ErrorCode::Cancelled, "cancelled");
        if (!copied)
            co_return copied;
    }
    co_return saveAs(target);
}

// ---- autosave and recovery ------------------------------------------------------------

// Each running studio owns one recovery slot, held by a lock file, so that two windows
// never write the same copy and a second start does not take a live session's copy for
// a crashed one. A slot whose lock is free (QLockFile sees that its owner died) but whose
// copy exists was left by a session that did not end cleanly: the newest such copy waits
// for the user's answer as the previous session.
void Studio::claimRecoverySlot()
{
    const QDir dir(m_settings->recoveryDir());
    dir.mkpath(QStringLiteral("."));
    constexpr int kSlots = 16;
    auto lockPath = [&](int slot) { return dir.filePath(QStringLiteral("session-%1.lock").arg(slot)); };
    auto copyPath = [&](int slot) { return dir.filePath(QStringLiteral("session-%1.kinora").arg(slot)); };
    for (int slot = 0; slot < kSlots && !m_recoveryLock; ++slot) {
        auto lock = std::make_unique<QLockFile>(lockPath(slot));
        lock->setStaleLockTime(0); // only a dead owner makes a lock stale
        if (lock->tryLock(0)) {
            m_recoverySlot = slot;
            m_recoveryLock = std::move(lock);
        }
    }
    if (!m_recoveryLock) // every slot busy: fall back to a copy nobody else uses
        m_recoverySlot = kSlots + static_cast<int>(QCoreApplication::applicationPid() % 100000);

    QString newest;
    QDateTime newestTime;
    for (int slot = 0; slot < kSlots; ++slot) {
        if (!QFileInfo::exists(copyPath(slot)))
            continue;
        std::unique_ptr<QLockFile> other;
        if (slot != m_recoverySlot) {
            other = std::make_unique<QLockFile>(lockPath(slot));
            other->setStaleLockTime(0);
            if (!other->tryLock(0))
                continue; // a running studio's live copy
        }
        const QString orphan = dir.filePath(QStringLiteral("orphan-%1.kinora").arg(slot));
        QFile::remove(orphan);
        if (!QFile::rename(copyPath(slot), orphan))
            continue;
        const QDateTime time = QFileInfo(orphan).lastModified();
        if (newest.isEmpty() || time > newestTime) {
            if (!newest.isEmpty())
                QFile::remove(newest); // older crashes: the newest copy is the one offered
            newest = orphan;
            newestTime = time;
        } else {
            QFile::remove(orphan);
        }
    }
    if (!newest.isEmpty()) {
        QFile::remove(previousRecoveryPath());
        QFile::rename(newest, previousRecoveryPath());
    }
}

QString Studio::recoveryPath() const
{
    return QDir(m_settings->recoveryDir()).filePath(QStringLiteral("session-%1.kinora").arg(m_recoverySlot));
}

QString Studio::previousRecoveryPath() const
{
    return QDir(m_settings->recoveryDir()).filePath(QStringLiteral("previous-session.kinora"));
}

bool Studio::hasRecovery() const { return QFileInfo::exists(previousRecoveryPath()); }

void Studio::onDocumentChanged()
{
    m_joinTimer.start();
    if (!m_autosave.isActive())
        m_autosave.start(std::max(1, m_settings->autosaveSeconds()) * 1000);
}

// Jobs are few and precious (a queued job is minutes of the user's intent), so a change
// to the queue is written at once rather than at the next autosave.
void Studio::onJobsChanged()
{
    if (m_jobs.pendingToJson() != m_recordedJobs)
        writeRecoveryNow();
}

void Studio::setPromptDraft(const QString& prompt)
{
    if (prompt == m_promptDraft)
        return;
    m_promptDraft = prompt;
    m_draftSave.start(); // debounced: typing restarts it
}

void Studio::writeRecoveryNow()
{
    m_autosave.stop();
    m_draftSave.stop();
    const QJsonArray pending = m_jobs.pendingToJson();
    m_recordedJobs = pending;
    const QString draft = m_promptDraft.trimmed().isEmpty() ? QString() : m_promptDraft;
    if (!m_document.isModified() && pending.isEmpty() && draft.isEmpty()) {
        removeSessionRecovery();
        return;
    }
    // The document is read here, on the UI thread; only the file work moves.
    m_recoveryWriter.start([this, path = recoveryPath(), root = m_document.recoveryJson(pending, draft)] {
        auto ok = ProjectDocument::writeRecoveryJson(path, root);
        if (!ok) // queued: the studio outlives its writes (its destructor waits for them)
            QMetaObject::invokeMethod(this, [this, message = QString::fromStdString(ok.error().message)] {
                Q_EMIT statusMessage(tr("Autosave failed: %1").arg(message));
            }, Qt::QueuedConnection);
    });
}

void Studio::waitForRecoveryWrites() { m_recoveryWriter.waitForDone(); }

Result<void> Studio::restoreRecovery()
{
    QString draft;
    auto pending = m_document.loadRecovery(previousRecoveryPath(), &draft);
    if (!pending)
        return pending.error();
    if (!draft.isEmpty())
        m_promptDraft = draft;
    for (const auto& j : m_jobs.jobs())
        m_jobs.cancel(j.id);
    m_jobs.restore(pending.value());
    resumeBoardRun();
    QFile::remove(previousRecoveryPath());
    writeRecoveryNow();
    loadThumbnails();
    m_joinTimer.start();
    return success();
}

void Studio::discardRecovery() { QFile::remove(previousRecoveryPath()); }
void Studio::removeSessionRecovery()
{
    m_recoveryWriter.start([path = recoveryPath()] { QFile::remove(path); }); // after any queued write
}

void Studio::shutdown()
{
    for (const auto& j : m_jobs.jobs())
        m_jobs.cancel(j.id);
    // No autosave may land after the removal and pass for a crashed session's copy.
    m_autosave.stop();
    m_draftSave.stop();
    removeSessionRecovery();
    waitForRecoveryWrites();
    // Unsaved scratch media was either copied by a save or given up by the user. Removing a
    // folder of long takes can take a while, so it is only renamed here (instant) and the
    // next start removes it on a worker thread (removeDiscardedScratch).
    const QString scratchRoot = QDir(m_settings->scratchDir()).absolutePath();
    for (const QString& dir : {m_scratchDir, m_document.mediaDir()})
        if (!dir.isEmpty() && QDir(dir).absolutePath().startsWith(scratchRoot + QLatin1Char('/')) && QDir(dir).exists()) {
            const QString trash = QDir(scratchRoot).filePath(QLatin1String(kDiscardedPrefix) +
                                                             QUuid::createUuid().toString(QUuid::WithoutBraces));
            if (!QDir().rename(dir, trash))
                QDir(dir).removeRecursively();
        }
}

QFuture<void> Studio::removeDiscardedScratch(const QString& scratchRoot)
{
    return QtConcurrent::run([scratchRoot] {
        const QDir root(scratchRoot);
        for (const QString& name : root.entryList({QLatin1String(kDiscardedPrefix) + QLatin1Char('*')},
                                                  QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
            QDir(root.filePath(name)).removeRecursively();
    });
}

// What decides a join's look: the takes and trims on either side.
QString Studio::joinKey(int index) const
{
    const auto& clips = m_document.clips();
    if (index < 0 || index + 1 >= clips.size())
        return {};
    const Clip& a = clips[index];
    const Clip& b = clips[index + 1];
    return QStringLiteral("%1:%2:%3|%4:%5:%6")
        .arg(a.take().id)
        .arg(a.firstFrame())
        .arg(a.length())
        .arg(b.take().id)
        .arg(b.firstFrame())
        .arg(b.length());
}

double Studio::joinRatio(int index) const { return m_joinRatios.value(joinKey(index), -1.0); }

QCoro::Task<> Studio::measureJoins()
{
    // The last and first few frames shown on either side of each join not yet measured.
    constexpr int kContext = 8;
    QVector<QPair<QString, QPair<FrameSpan, FrameSpan>>> todo;
    for (int i = 0; i + 1 < m_document.clips().size(); ++i) {
        const QString key = joinKey(i);
        if (m_joinRatios.contains(key))
            continue;
        FrameSpan a = visibleSpan(m_document.clips()[i]), b = visibleSpan(m_document.clips()[i + 1]);
        const int take = std::min(kContext, a.count);
        a.first += a.count - take;
        a.count = take;
        b.count = std::min(kContext, b.count);
        todo.append({key, {a, b}});
    }
    if (todo.isEmpty())
        co_return;
    QPointer<Studio> self(this);
    // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    auto future = QtConcurrent::run([todo] {
        QHash<QString, double> out;
        for (const auto& [key, spans] : todo) {
            auto a = readFrames(spans.first.file, spans.first.first, spans.first.count);
            auto b = readFrames(spans.second.file, spans.second.first, spans.second.count);
            if (a && b)
                out.insert(key, media::seamRatio(a.value(), b.value()));
        }
        return out;
    });
    const QHash<QString, double> ratios = co_await future;
    if (!self)
        co_return;
    for (auto it = ratios.begin(); it != ratios.end(); ++it)
        m_joinRatios.insert(it.key(), it.value());
    // Only the joins the timeline has now are kept (trims and moves leave old keys behind).
    QSet<QString> current;
    for (int i = 0; i + 1 < m_document.clips().size(); ++i)
        current.insert(joinKey(i));
    m_joinRatios.removeIf([&](const auto& it) { return !current.contains(it.key()); });
    Q_EMIT joinsMeasured();
}

QCoro::Task<> Studio::loadThumbnails()
{
    QVector<QPair<QString, QString>> todo;
    for (const auto& c : m_document.clips())
        for (const auto& t : c.takes)
            if (!m_thumbnails.contains(t.id))
                todo.append({t.id, m_document.mediaPath(t)});
    if (todo.isEmpty())
        co_return;
    QPointer<Studio> self(this);
    // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    auto future = QtConcurrent::run([todo] {
        QHash<QString, QImage> out;
        for (const auto& [id, path] : todo)
            if (auto v = readFrames(path, 0, 1))
                out.insert(id, toImage(v->frames.front()));
        return out;
    });
    const QHash<QString, QImage> images = co_await future;
    if (!self)
        co_return;
    for (auto it = images.begin(); it != images.end(); ++it) {
        m_thumbnails.insert(it.key(), it.value());
        Q_EMIT thumbnailReady(it.key());
    }
}

} // namespace kinora::app
