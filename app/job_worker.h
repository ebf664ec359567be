#pragma once

// The worker that lives on the job manager's thread and owns the engine: the only
// place in the studio where inference, encoding and media I/O run. It is driven by
// queued calls from the JobManager and answers with queued signals.

#include "app/job.h"
#include "pipeline/engine.h"

#include <QImage>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <memory>

namespace kinora::pipeline {
class Engine;
struct OperationResult;
struct Operation;
}

namespace kinora::app {

struct ModelSummary {
    QString name;
    QString description;
    QString directory;
    QString device;
    int frameSize = 0;
    double fps = 0;
    int windowFrames = 0;
    int defaultSteps = 0;
    double defaultGuidance = 0;
    QStringList vocabulary;
    pipeline::ModelInfo info; // the engine's own description, for planning (time estimates)
};

// What a generating job will cost the engine: windows sampled and denoising steps in each
// (the sampling plan of the core's recipe, on blank frames of the sources' lengths).
// Zero windows for export and import, or when the spec cannot be planned.
struct PlannedWork {
    int windows = 0;
    int steps = 0;
};
PlannedWork plannedWork(const JobSpec& spec, const pipeline::ModelInfo& info);

struct EngineSettings {
    QString device = QStringLiteral("auto");
    int threads = 0;
};

class JobWorker : public QObject {
    Q_OBJECT

public:
    JobWorker();
    ~JobWorker() override;

    void loadModel(const QString& dir, const EngineSettings& settings);
    void run(int jobId, const JobSpec& spec, std::shared_ptr<std::atomic<bool>> cancel);

Q_SIGNALS:
    void modelLoaded(const kinora::app::ModelSummary& summary);
    void modelFailed(const QString& message);
    void progress(int jobId, int step, int steps, double elapsedSeconds);
    void preview(int jobId, const QImage& frame);
    // The first frames of the clip a running job makes, final, as its windows finish (a
    // clip of one window sends none).
    void framesReady(int jobId, const QVector<QImage>& frames);
    void finished(int jobId, const kinora::app::JobResult& result);
    void failed(int jobId, const QString& message, bool cancelled);
    // Time estimates: a generation of `windows` windows of `steps` steps took `seconds`
    // (after each job, and twice at load: one window of 1 and of 3 steps).
    void timed(int windows, int steps, double seconds);
    // What a job costs besides its denoising steps (the prompt's expansion, decoding the
    // result, writing the take), in seconds: once at load, then after each job.
    void overheadTimed(double seconds);

private:
    // One handler per kind of job; execute picks one.
    Result<JobResult> execute(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel);
    Result<pipeline::OperationResult> generate(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel);
    // The operation's plan sampled, timed and finished as a clip (generate's second half).
    Result<pipeline::OperationResult> makeClip(int jobId, const pipeline::Operation& op, const std::atomic<bool>* cancel);
    Result<pipeline::OperationResult> smoothJoin(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel);
    void timeSteps();
    Result<JobResult> exportClips(int jobId, const JobSpec& spec, const std::atomic<bool>* cancel);
    Result<pipeline::OperationResult> importClip(const JobSpec& spec);
    // The clip as a new take in the project's media folder.
    Result<JobResult> storeTake(const JobSpec& spec, const pipeline::OperationResult& made);

    std::unique_ptr<pipeline::Engine> m_engine;
    QString m_modelError;
    double m_generateSeconds = 0; // this job's time in the engine, for overheadTimed
};

} // namespace kinora::app

Q_DECLARE_METATYPE(kinora::app::ModelSummary)
