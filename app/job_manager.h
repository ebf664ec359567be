#pragma once

// The job queue. Owns one worker thread, which owns the engine; jobs run one at a
// time in queue order. Everything here is called on the UI thread; the worker
// answers through queued signals, so no slot ever blocks on inference.

#include "app/job.h"
#include "app/job_worker.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QThread>
#include <QVector>

#include <qcoro/qcorotask.h>

namespace kinora::app {

enum class ModelState { Loading, Ready, Failed };

class JobManager : public QObject {
    Q_OBJECT

public:
    explicit JobManager(QObject* parent = nullptr);
    ~JobManager() override; // cancels the running job and joins the thread

    void loadModel(const QString& dir, const EngineSettings& settings = {});
    ModelState modelState() const { return m_modelState; }
    const ModelSummary& model() const { return m_model; }
    QString modelError() const { return m_modelError; }

    int submit(const JobSpec& spec); // the new job's id
    bool cancel(int id);             // queued: marked cancelled; running: stops within a step
    bool remove(int id);             // any job but the running one
    bool retry(int id);              // a failed or cancelled job goes back in the queue
    bool move(int id, int delta);    // among the queued jobs
    void clearFinished();

    const QVector<Job>& jobs() const { return m_jobs; }
    const Job* job(int id) const;
    int runningId() const { return m_running; }
    bool idle() const;

    // Queued and running jobs, for the project file; restore() queues them again.
    QJsonArray pendingToJson() const;
    int restore(const QJsonArray& jobs);

    // Time estimates on this machine, from the engine's own measured times: a window costs
    // a fixed part (text, decoding) plus a part per denoising step, timed at load and
    // refined by every job. Seconds, or < 0 while nothing is measured yet (or for export
    // and import).
    double estimateSeconds(const JobSpec& spec) const;
    // A job's time left: a running job's measured ETA, else its estimate.
    double secondsLeft(const Job& job) const;
    // Every queued and running job's time left (jobs without an estimate count 0).
    double queueSecondsLeft() const;
    double secondsPerStep() const { return m_perStep; }

    // Awaits a job's end (Done, Failed or Cancelled); returns its final state.
    QCoro::Task<JobState> wait(int id);

Q_SIGNALS:
    void modelReady(const kinora::app::ModelSummary& summary);
    void modelFailed(const QString& message);
    void jobsChanged();           // added, removed, reordered, state changed
    void jobProgress(int id);     // step, steps, ETA
    void previewFrame(int id, const QImage& frame);
    // The clip's first frames as the job's windows finish (JobWorker::framesReady).
    void framesReady(int id, const QVector<QImage>& frames);
    void jobFinished(int id, const kinora::app::JobResult& result);
    void jobFailed(int id, const QString& message);
    void jobCancelled(int id);
    void jobEnded(int id);
    void estimatesChanged(); // the measured times changed

private:
    void onModelLoaded(const ModelSummary& summary);
    void onModelFailed(const QString& message);
    void onProgress(int id, int step, int steps, double elapsed);
    void onFinished(int id, const JobResult& result);
    void onFailed(int id, const QString& message, bool cancelled);
    void startNext();
    void onTimed(int windows, int steps, double seconds);
    double estimate(const PlannedWork& work) const;
    Job* find(int id);

    QThread m_thread;
    JobWorker* m_worker = nullptr; // lives on m_thread
    QVector<Job> m_jobs;
    int m_nextId = 1;
    int m_running = 0;
    ModelState m_modelState = ModelState::Loading;
    ModelSummary m_model;
    QString m_modelError;
    // Seconds per window: m_perWindow + m_perStep x steps (m_perStep 0: not measured).
    double m_perWindow = 0;
    double m_perStep = 0;
    double m_perJob = 0; // besides the steps: planning, finishing, storing (JobWorker::overheadTimed)
    double m_oneStepWindow = -1; // the load-time window of one step, until the 3-step one
    mutable QHash<int, PlannedWork> m_planned; // by job id
};

} // namespace kinora::app
