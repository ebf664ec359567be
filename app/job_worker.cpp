#include "app/job_worker.h"

#include "app/frame_io.h"
#include "media/mp4_writer.h"
#include "media/poster.h"
#include "media/provenance.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"
#include "pipeline/operation.h"
#include "pipeline/windows.h"
#include "prompt/prompt.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <optional>

namespace kinora::app {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("kinora::app::JobWorker", text); }
Error fail(ErrorCode code, const QString& message) { return makeError(code, message.toStdString()); }

// Hands progress and previews from the inference thread to the worker's signals.
class Observer : public pipeline::GenerationObserver {
public:
    Observer(JobWorker* worker, int jobId, int offset, int total) : m_worker(worker), m_id(jobId), m_offset(offset), m_total(total) {}
    void onProgress(const pipeline::Progress& p) override
    {
        m_steps = p.steps;
        Q_EMIT m_worker->progress(m_id, m_offset + p.step, std::max(m_total, p.steps), p.elapsedSeconds);
    }
    bool wantsPreview() const override { return true; }
    void onPreview(const Frame& frame, const pipeline::Progress&) override
    {
        Q_EMIT m_worker->preview(m_id, toImage(frame));
    }
    // The new frames of the clip, [keepFrom, keepFrom + keepCount) of the request's, as
    // windows finish them (none while the first kept frame is still to be made).
    void keepFrames(int from, int count) { m_keepFrom = from, m_keepCount = count; }
    bool wantsFrames() const override { return m_keepCount > 0; }
    void onFramesReady(const std::vector<Frame>& frames, int count, const pipeline::Progress&) override
    {
        const int end = std::min(count, m_keepFrom + m_keepCount);
        if (end <= m_keepFrom)
            return;
        // Frames once final stay so: only the window's new ones are converted, and the
        // list goes out shared (QVector and QImage copy on write).
        for (int i = m_keepFrom + int(m_ready.size()); i < end; ++i)
            m_ready.push_back(toImage(frames[size_t(i)]));
        Q_EMIT m_worker->framesReady(m_id, m_ready);
    }

private:
    JobWorker* m_worker;
    int m_id;
    int m_offset;
    int m_total;
    int m_steps = 0;
    int m_keepFrom = 0;
    int m_keepCount = 0;
    QVector<QImage> m_ready; // the clip's first frames, as handed on so far
};

QJsonObject toQJson(const nlohmann::json& j)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(pipeline::recordText(j))).object();
}

Result<Video> readSpan(const FrameSpan& span) { return readFrames(span.file, span.first, span.count); }

} // namespace

JobWorker::JobWorker() = default;
JobWorker::~JobWorker() = default;

void JobWorker::loadModel(const QString& dir, const EngineSettings& settings)
{
    m_engine.reset();
    if (dir.isEmpty()) {
        m_modelError = tr("no model pack found");
        Q_EMIT modelFailed(m_modelError);
        return;
    }
    pipeline::EngineOptions options;
    if (!pipeline::parseDevice(settings.device.toStdString(), &options.device))
        options.device = pipeline::DeviceChoice::Auto;
    pipeline::Engine::setThreads(settings.threads); // this worker thread runs every job
    Result<std::unique_ptr<pipeline::Engine>> engine = makeError(ErrorCode::Internal, "");
    try {
        engine = pipeline::Engine::load(dir.toStdString(), options);
    } catch (const std::exception& e) {
        engine = makeError(ErrorCode::Internal, e.what());
    }
    if (!engine) {
        m_modelError = QString::fromStdString(engine.error().message);
        Q_EMIT modelFailed(m_modelError);
        return;
    }
    m_engine = std::move(engine.value());
    m_modelError.clear();
    const auto& info = m_engine->info();
    ModelSummary s;
    s.name = QString::fromStdString(info.name);
    s.description = QString::fromStdString(info.description);
    s.directory = QString::fromStdString(info.directory.string());
    s.device = QString::fromStdString(info.device);
    s.frameSize = info.frameSize;
    s.fps = info.fps;
    s.windowFrames = info.windowFrames;
    s.defaultSteps = info.defaultSteps;
    s.defaultGuidance = info.defaultGuidance;
    for (const auto& w : info.vocabulary)
        s.vocabulary << QString::fromStdString(w);
    s.info = info;
    Q_EMIT modelLoaded(s);
    timeSteps();
}

// Times one window of 1 and of 3 steps, so that estimates exist before the first job: the
// difference is the cost of a step, the rest the window's fixed cost (text, decoding).
void JobWorker::timeSteps()
{
    const auto& info = m_engine->info();
    // The first run pays for one-off set-up (kernels chosen, memory mapped): not timed.
    // Previews are made as in a job (their decoding is part of a step's cost), not shown.
    struct PreviewsOnly : pipeline::GenerationObserver {
        bool wantsPreview() const override { return true; }
        void onPreview(const Frame& frame, const pipeline::Progress&) override { (void)toImage(frame); }
    } previews;
    bool warm = false;
    for (int steps : {1, 1, 3}) {
        pipeline::GenerationRequest r;
        r.caption = "a red ball";
        r.frames = info.windowFrames;
        r.steps = steps;
        r.seed = 1;
        r.observer = &previews;
        const auto started = std::chrono::steady_clock::now();
        if (!m_engine->generate(r))
            return;
        if (!warm) {
            warm = true;
            continue;
        }
        Q_EMIT timed(1, steps, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    // A job's cost around the engine, on a one-window clip: planning (the expander),
    // finishing the clip and writing it as a take.
    const auto started = std::chrono::steady_clock::now();
    pipeline::Operation op;
    op.prompt = "a red ball bouncing on a grass field";
    op.newFrames = info.windowFrames - 1;
    op.sampling.seed = 1;
    auto plan = pipeline::planOperation(op, info);
    QTemporaryDir scratch;
    if (!plan || !scratch.isValid())
        return;
    Video blank;
    blank.fps = info.fps;
    blank.frames.assign(plan->request.frames, Frame(info.frameSize, info.frameSize));
    auto finished = pipeline::finishOperation(plan.value(), blank, info.fps);
    if (!finished)
        return;
    JobSpec spec;
    spec.mediaDir = scratch.path();
    if (!storeTake(spec, finished.value()))
        return;
    Q_EMIT overheadTimed(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void JobWorker::run(int jobId, const JobSpec& spec, std::shared_ptr<std::atomic<bool>> cancel)
{
    Result<JobResult> result = makeError(ErrorCode::Internal, "");
    const auto started = std::chrono::steady_clock::now();
    m_generateSeconds = 0;
    try {
        result = execute(jobId, spec, cancel.get());
    } catch (const std::exception& e) {
        result = fail(ErrorCode::Internal, tr("internal error: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!result.ok() && cancel->load())
        result = makeError(ErrorCode::Cancelled, "cancelled");
    if (result && m_generateSeconds > 0)
        Q_EMIT overheadTimed(
            std::max(0.0, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() -
                              m_generateSeconds));
    if (result)
        Q_EMIT finished(jobId, result.value());
    else
        Q_EMIT failed(jobId, QString::fromStdString(result.error().message),
                      result.error().code == ErrorCode::Cancelled);
}

namespace {

// The core's operation for a job: kind, sources (their frames read from the take spans, or
// with `blank`, black frames of the same count: enough to plan, nothing read), prompt and
// sampling.
Result<pipeline::Operation> operationFor(const JobSpec& spec, const pipeline::ModelInfo& info, bool blank)
{
    pipeline::Operation op;
    // A re-roll does the take's own operation again.
    JobKind kind = spec.kind;
    if (kind == JobKind::Reroll) {
        if (spec.repeat.startsWith(QLatin1String("extend")))
            kind = JobKind::Extend;
        else if (spec.repeat == QLatin1String("fill"))
            kind = JobKind::Fill;
        else if (spec.repeat == QLatin1String("bridge"))
            kind = JobKind::Bridge;
    }
    switch (kind) {
    case JobKind::Extend:
        op.kind = spec.backward ? pipeline::OperationKind::ExtendBackward : pipeline::OperationKind::Extend;
        break;
    case JobKind::Bridge: op.kind = pipeline::OperationKind::Bridge; break;
    case JobKind::Fill:
        op.kind = pipeline::OperationKind::Fill;
        op.fillFirst = spec.fillFirst;
        op.fillLast = spec.fillLast;
        break;
    default: op.kind = pipeline::OperationKind::Generate; break;
    }
    if (const QString problem = promptProblem(kind, spec.prompt); !problem.isEmpty())
        return fail(ErrorCode::InvalidArgument, problem);
    if (int(spec.sources.size()) != pipeline::operationSources(op.kind))
        return fail(ErrorCode::InvalidArgument, op.kind == pipeline::OperationKind::Bridge
                                                    ? JobWorker::tr("a bridge needs the clip and the next one")
                                                    : JobWorker::tr("this operation needs one source clip"));
    for (const auto& span : spec.sources) {
        Result<Video> v = makeError(ErrorCode::Internal, "");
        if (blank) {
            int count = span.count;
            if (count < 0) {
                auto header = readFramesHeader(span.file);
                if (!header)
                    return header.error();
                count = header->frames - span.first;
            }
            Video black;
            black.fps = info.fps;
            black.frames.assign(std::max(1, count), Frame(info.frameSize, info.frameSize));
            v = std::move(black);
        } else {
            v = readSpan(span);
        }
        if (!v)
            return v.error();
        auto fitted = pipeline::fitToModel(std::move(v.value()), info);
        if (!fitted)
            return fitted.error();
        const auto spanRecord = nlohmann::json::parse(
            QJsonDocument(span.record).toJson(QJsonDocument::Compact).toStdString(), nullptr, false);
        auto entry = pipeline::sourceEntry(QFileInfo(span.file).fileName().toStdString(), spanRecord);
        // A trimmed clip is part of its take: the record says which part, so a redo
        // (kinora-cli redo) starts from the same frames.
        if (!blank)
            if (auto header = readFramesHeader(span.file))
                pipeline::setSourceRange(entry, span.first, span.count, header->frames);
        op.sources.push_back({std::move(fitted.value()), std::move(entry)});
    }
    if (op.kind != pipeline::OperationKind::Fill) {
        op.newFrames = spec.frames;
        if (op.newFrames <= 0) {
            auto n = pipeline::framesForSeconds(spec.seconds, info.fps);
            if (!n)
                return n.error();
            op.newFrames = n.value();
        }
    }
    op.prompt = spec.prompt.toStdString();
    op.negative = spec.negative.toStdString();
    op.sampling.seed = spec.seed;
    op.sampling.draft = spec.draft;
    if (spec.steps > 0)
        op.sampling.steps = spec.steps;
    if (spec.guidance >= 0)
        op.sampling.guidance = spec.guidance;
    return op;
}

} // namespace

PlannedWork plannedWork(const JobSpec& spec, const pipeline::ModelInfo& info)
{
    if (spec.kind == JobKind::Export || spec.kind == JobKind::Import || info.frameSize <= 0)
        return {};
    // The cost does not depend on the words: a fixed short prompt spares the expander and
    // the safety check (this runs on the UI thread, at every change of the settings).
    JobSpec words = spec;
    words.prompt = QStringLiteral("a ball");
    words.negative.clear();
    auto op = operationFor(words, info, true);
    if (!op)
        return {};
    auto plan = pipeline::planOperation(op.value(), info);
    if (!plan)
        return {};
    const int total = pipeline::plannedSteps(plan->request, info);
    const int steps = plan->request.steps > 0 ? plan->request.steps : info.defaultSteps;
    const int candidates = spec.smoothFrames > 0 ? kSmoothCandidates : 1;
    return steps > 0 ? PlannedWork{candidates * total / steps, steps} : PlannedWork{};
}

// Generate, re-roll, extend, bridge and fill: the core's recipe for the operation (the one
// kinora-cli uses), on the take spans as sources.
Result<pipeline::OperationResult> JobWorker::generate(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel)
{
    auto op = operationFor(spec, m_engine->info(), false);
    if (!op)
        return op.error();
    return makeClip(jobId, op.value(), cancel);
}

Result<pipeline::OperationResult> JobWorker::makeClip(int jobId, const pipeline::Operation& op,
                                                      const std::atomic<bool>* cancel)
{
    const auto& info = m_engine->info();
    auto plan = pipeline::planOperation(op, info);
    if (!plan)
        return plan.error();
    Observer observer(this, jobId, 0, 0);
    observer.keepFrames(plan->keepFrom, plan->keepCount);
    auto request = plan->request;
    request.observer = &observer;
    request.cancel = cancel;
    // The engine's time alone: planning, finishing and storing are the job's overhead.
    const auto started = std::chrono::steady_clock::now();
    auto video = m_engine->generate(request);
    if (!video)
        return video.error();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_generateSeconds += seconds;
    const int steps = request.steps > 0 ? request.steps : info.defaultSteps;
    if (steps > 0)
        Q_EMIT timed(pipeline::plannedSteps(request, info) / steps, steps, seconds);
    return pipeline::finishOperation(plan.value(), video.value(), info.fps);
}

// Smoothing a join: a few bridges with successive seeds, and the one whose two joins show
// least (the larger of its two seam ratios against the frames it meets) is kept. Its
// record is that bridge's own, seed included, so a redo makes the same frames.
Result<pipeline::OperationResult> JobWorker::smoothJoin(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel)
{
    // The sources are read once; each candidate is the same operation with another seed,
    // measured against the known frames it joins (as the model sees them).
    auto op = operationFor(spec, m_engine->info(), false);
    if (!op)
        return op.error();
    const Video& before = op->sources.at(0).video;
    const Video& after = op->sources.at(1).video;
    std::optional<pipeline::OperationResult> best;
    double bestScore = 0;
    for (int c = 0; c < kSmoothCandidates; ++c) {
        op->sampling.seed = spec.seed + quint64(c);
        auto made = makeClip(jobId, op.value(), cancel);
        if (!made)
            return made.error();
        if (cancel->load())
            return fail(ErrorCode::Cancelled, tr("cancelled"));
        const double score = std::max(media::seamRatio(before, made->clip), media::seamRatio(made->clip, after));
        if (!best || score < bestScore) {
            best = std::move(made.value());
            bestScore = score;
        }
    }
    return std::move(*best);
}

Result<JobResult> JobWorker::execute(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel)
{
    if (spec.kind == JobKind::Export)
        return exportClips(jobId, spec, cancel);
    if (!m_engine && spec.kind != JobKind::Import)
        return fail(ErrorCode::NotFound, tr("no model pack is loaded (%1)").arg(m_modelError));
    auto made = spec.kind == JobKind::Import ? importClip(spec)
                : spec.smoothFrames > 0 ? smoothJoin(jobId, spec, cancel)
                                        : generate(jobId, spec, cancel);
    if (!made)
        return made.error();
    if (cancel->load())
        return fail(ErrorCode::Cancelled, tr("cancelled"));
    return storeTake(spec, made.value());
}

// The timeline's clips, in order, as one MP4 (and a poster) with the clips' records.
Result<JobResult> JobWorker::exportClips(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel)
{
    Video all;
    nlohmann::json clips = nlohmann::json::array();
    const int total = int(spec.sources.size());
    for (int i = 0; i < total; ++i) {
        if (cancel->load())
            return fail(ErrorCode::Cancelled, tr("cancelled"));
        auto part = readSpan(spec.sources[i]);
        if (!part)
            return part.error();
        const int w = spec.width > 0 ? spec.width : (all.frames.empty() ? part->width() : all.width());
        const int h = spec.height > 0 ? spec.height : (all.frames.empty() ? part->height() : all.height());
        if (all.frames.empty())
            all.fps = part->fps;
        for (auto& f : part->frames) {
            if (f.width != w || f.height != h)
                f = fromImage(toImage(f).scaled(w, h, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
            all.frames.push_back(std::move(f));
        }
        clips.push_back(QJsonDocument(spec.sources[i].record).toJson(QJsonDocument::Compact).toStdString());
        Q_EMIT progress(jobId, i + 1, total + 1, 0);
    }
    if (all.frames.empty())
        return fail(ErrorCode::InvalidArgument, tr("there is nothing to export"));
    // The poster's frame is taken before a change of rate, which keeps every picture.
    const int posterIndex = spec.posterFrame >= 0 && spec.posterFrame < int(all.frames.size())
                                ? spec.posterFrame
                                : int(all.frames.size()) / 2;
    const Frame posterFrame = spec.posterPath.isEmpty() ? Frame() : all.frames[posterIndex];
    if (spec.fps > 0 && spec.fps != all.fps)
        all = pipeline::resampleFps(all, spec.fps);
    nlohmann::json exportRecord{{"kinora_version", KINORA_VERSION}, {"operation", "export"},
                                {"frames", all.frames.size()}, {"fps", all.fps}, {"clips", nlohmann::json::array()}};
    for (const auto& c : clips)
        exportRecord["clips"].push_back(nlohmann::json::parse(c.get<std::string>(), nullptr, false));
    // Footage exported alone is not called AI-made; with generated clips it is a composite
    // (the XMP says which: media/provenance.h).
    exportRecord["ai_generated"] = media::madeByModel(media::sourceKindOf(exportRecord));
    if (spec.mark)
        exportRecord["visible_mark"] = true;
    media::EncodeOptions options;
    options.crf = spec.crf;
    options.mark = spec.mark;
    options.metadataJson = pipeline::recordText(exportRecord);
    if (auto ok = media::writeMp4(all, spec.path.toStdString(), options, cancel); !ok)
        return ok.error();
    if (!spec.posterPath.isEmpty()) {
        media::PosterOptions poster;
        poster.recordJson = options.metadataJson;
        poster.mark = spec.mark;
        if (auto ok = media::writePoster(posterFrame, spec.posterPath.toStdString(), poster); !ok)
            return fail(ok.error().code, tr("wrote %1, but not its poster: %2")
                                             .arg(spec.path, QString::fromStdString(ok.error().message)));
    }
    Q_EMIT progress(jobId, total + 1, total + 1, 0);
    JobResult r;
    r.outputPath = spec.path;
    r.thumbnail = toImage(all.frames.front());
    return r;
}

// A video file as footage, at the pack's size and rate when a pack is loaded.
Result<pipeline::OperationResult> JobWorker::importClip(const JobSpec& spec)
{
    media::DecodeOptions options;
    if (m_engine)
        options.width = options.height = m_engine->info().frameSize;
    auto video = media::readVideo(spec.path.toStdString(), options);
    if (!video)
        return video.error();
    if (video->frames.empty())
        return fail(ErrorCode::Format, tr("%1 has no video frames").arg(spec.path));
    Video output = m_engine ? pipeline::resampleFps(video.value(), m_engine->info().fps) : std::move(video.value());
    nlohmann::json record = {{"operation", "import"}, {"source", QFileInfo(spec.path).fileName().toStdString()},
                             {"prompt", ""}, {"frames", output.frames.size()}, {"fps", output.fps}};
    if (auto embedded = media::readMetadataJson(spec.path.toStdString())) {
        auto parsed = nlohmann::json::parse(embedded.value(), nullptr, false);
        if (parsed.is_object()) {
            record["imported_record"] = parsed;
            record["prompt"] = parsed.value("prompt", "");
            record["seed"] = parsed.value("seed", nlohmann::json(0));
        }
    }
    return pipeline::OperationResult{std::move(output), std::move(record)};
}

Result<JobResult> JobWorker::storeTake(const JobSpec& spec, const pipeline::OperationResult& made)
{
    const Video& output = made.clip;
    if (!QDir().mkpath(spec.mediaDir))
        return fail(ErrorCode::Io, tr("cannot create the media folder %1").arg(spec.mediaDir));
    Take take;
    take.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    take.file = take.id + QLatin1String(kFramesSuffix);
    if (auto ok = writeFrames(QDir(spec.mediaDir).filePath(take.file), output); !ok)
        return ok.error();
    take.frames = int(output.frames.size());
    take.width = output.width();
    take.height = output.height();
    take.fps = output.fps;
    take.record = toQJson(made.record);
    JobResult r;
    r.take = take;
    r.thumbnail = toImage(output.frames.front());
    return r;
}

} // namespace kinora::app
