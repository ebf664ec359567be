#include "app/job_manager.h"

#include <qcoro/qcorosignal.h>

#include <QCoreApplication>
#include <QPointer>

namespace kinora::app {

JobManager::JobManager(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<JobResult>();
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<QVector<QImage>>();
    m_thread.setObjectName(QStringLiteral("kinora-engine"));
    m_worker = new JobWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &JobWorker::modelLoaded, this, &JobManager::onModelLoaded, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::modelFailed, this, &JobManager::onModelFailed, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::progress, this, &JobManager::onProgress, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::preview, this, &JobManager::previewFrame, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::framesReady, this, &JobManager::framesReady, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::finished, this, &JobManager::onFinished, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::timed, this, &JobManager::onTimed, Qt::QueuedConnection);
    connect(
        m_worker, &JobWorker::overheadTimed, this,
        [this](double seconds) {
            m_perJob = m_perJob > 0 ? 0.5 * m_perJob + 0.5 * seconds : seconds;
            Q_EMIT estimatesChanged();
        },
        Qt::QueuedConnection);
    connect(m_worker, &JobWorker::failed, this, &JobManager::onFailed, Qt::QueuedConnection);
    m_thread.start();
}

JobManager::~JobManager()
{
    for (auto& job : m_jobs)
        job.cancel->store(true);
    m_thread.quit();
    m_thread.wait();
}

void JobManager::loadModel(const QString& dir, const EngineSettings& settings)
{
    m_modelState = ModelState::Loading;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, dir, settings] { worker->loadModel(dir, settings); },
                              Qt::QueuedConnection);
}

void JobManager::onTimed(int windows, int steps, double seconds)
{
    if (windows <= 0 || steps <= 0 || !(seconds > 0))
        return;
    if (m_perStep <= 0) { // at load: one window of 1 step, then of 3
        if (windows == 1 && steps == 1) {
            m_oneStepWindow = seconds;
            return;
        }
        if (windows == 1 && steps == 3 && m_oneStepWindow > 0) {
            m_perStep = std::max(1e-4, (seconds - m_oneStepWindow) / 2);
            m_perWindow = std::max(0.0, m_oneStepWindow - m_perStep);
        } else {
            m_perStep = seconds / (windows * steps); // a job came first: all of it per step
            m_perWindow = 0;
        }
    } else {
        // Each job refines the step's cost, half old, half new; the window's fixed part stays.
        const double observed = std::max(1e-4, (seconds / windows - m_perWindow) / steps);
        m_perStep = 0.5 * m_perStep + 0.5 * observed;
    }
    Q_EMIT estimatesChanged();
}

double JobManager::estimate(const PlannedWork& work) const
{
    if (m_perStep <= 0 || work.windows <= 0)
        return -1;
    return m_perJob + work.windows * (m_perWindow + m_perStep * work.steps);
}

double JobManager::estimateSeconds(const JobSpec& spec) const
{
    if (m_modelState != ModelState::Ready)
        return -1;
    return estimate(plannedWork(spec, m_model.info));
}

double JobManager::secondsLeft(const Job& job) const
{
    if (job.state == JobState::Running && job.etaSeconds >= 0)
        return job.etaSeconds;
    if (job.finished() || m_modelState != ModelState::Ready)
        return -1;
    auto it = m_planned.find(job.id);
    if (it == m_planned.end())
        it = m_planned.insert(job.id, plannedWork(job.spec, m_model.info));
    return estimate(it.value());
}

double JobManager::queueSecondsLeft() const
{
    double total = 0;
    for (const auto& j : m_jobs)
        total += std::max(0.0, secondsLeft(j));
    return total;
}

void JobManager::onModelLoaded(const ModelSummary& summary)
{
    m_planned.clear();
    m_perStep = m_perWindow = m_perJob = 0;
    m_oneStepWindow = -1;
    m_model = summary;
    m_modelState = ModelState::Ready;
    m_modelError.clear();
    Q_EMIT modelReady(summary);
}

void JobManager::onModelFailed(const QString& message)
{
    m_model = {};
    m_modelState = ModelState::Failed;
    m_modelError = message;
    Q_EMIT modelFailed(message);
}

Job* JobManager::find(int id)
{
    for (auto& j : m_jobs)
        if (j.id == id)
            return &j;
    return nullptr;
}

const Job* JobManager::job(int id) const { return const_cast<JobManager*>(this)->find(id); }

bool JobManager::idle() const
{
    if (m_running)
        return false;
    for (const auto& j : m_jobs)
        if (j.state == JobState::Queued)
            return false;
    return true;
}

int JobManager::submit(const JobSpec& spec)
{
    Job job;
    job.id = m_nextId++;
    job.spec = spec;
    m_jobs.append(job);
    Q_EMIT jobsChanged();
    // Started from the event loop, so that callers can connect to the new id first.
    QMetaObject::invokeMethod(this, &JobManager::startNext, Qt::QueuedConnection);
    return job.id;
}

void JobManager::startNext()
{
    if (m_running)
        return;
    for (auto& j : m_jobs) {
        if (j.state != JobState::Queued)
            continue;
        j.state = JobState::Running;
        j.cancel->store(false);
        j.step = 0;
        j.steps = 0;
        j.etaSeconds = -1;
        j.error.clear();
        m_running = j.id;
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, id = j.id, spec = j.spec, cancel = j.cancel] { worker->run(id, spec, cancel); },
            Qt::QueuedConnection);
        Q_EMIT jobsChanged();
        return;
    }
}

bool JobManager::cancel(int id)
{
    Job* j = find(id);
    if (!j || j->finished())
        return false;
    j->cancel->store(true);
    if (j->state == JobState::Queued) {
        j->state = JobState::Cancelled;
        Q_EMIT jobsChanged();
        Q_EMIT jobCancelled(id);
        Q_EMIT jobEnded(id);
    }
    return true;
}

bool JobManager::remove(int id)
{
    if (id == m_running)
        return false;
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i].id == id) {
            m_jobs.removeAt(i);
            Q_EMIT jobsChanged();
            return true;
        }
    return false;
}

bool JobManager::retry(int id)
{
    Job* j = find(id);
    if (!j || (j->state != JobState::Failed && j->state != JobState::Cancelled))
        return false;
    j->state = JobState::Queued;
    j->error.clear();
    j->step = 0;
    j->cancel = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT jobsChanged();
    QMetaObject::invokeMethod(this, &JobManager::startNext, Qt::QueuedConnection);
    return true;
}

bool JobManager::move(int id, int delta)
{
    int from = -1;
    for (int i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i].id == id)
            from = i;
    if (from < 0 || m_jobs[from].state != JobState::Queued || delta == 0)
        return false;
    // Step over neighbours until the job has passed |delta| queued ones.
    int to = from;
    for (int remaining = std::abs(delta); remaining > 0;) {
        to += delta > 0 ? 1 : -1;
        if (to < 0 || to >= m_jobs.size())
            return false;
        if (m_jobs[to].state == JobState::Queued)
            --remaining;
    }
    m_jobs.move(from, to);
    Q_EMIT jobsChanged();
    return true;
}

void JobManager::clearFinished()
{
    m_jobs.erase(std::remove_if(m_jobs.begin(), m_jobs.end(), [](const Job& j) { return j.state == JobState::Done; }),
                 m_jobs.end());
    Q_EMIT jobsChanged();
}

void JobManager::onProgress(int id, int step, int steps, double elapsed)
{
    Job* j = find(id);
    if (!j)
        return;
    j->step = step;
    j->steps = steps;
    j->elapsedSeconds = elapsed;
    j->etaSeconds = step > 0 && steps >= step && elapsed > 0 ? elapsed / step * (steps - step) : -1;
    Q_EMIT jobProgress(id);
}

void JobManager::onFinished(int id, const JobResult& result)
{
    // A job cancelled after its last step still ends as cancelled: its result is dropped.
    if (const Job* j = find(id); j && j->cancel->load()) {
        onFailed(id, {}, true);
        return;
    }
    m_running = 0;
    if (Job* j = find(id)) {
        j->state = JobState::Done;
        j->step = j->steps;
        j->etaSeconds = 0;
    }
    // The result first, then the queue: the studio's recovery copy is written when the queue
    // changes, and must hold the new take by then. The other order wrote a copy without the
    // job and without its take, and a crash before the next autosave lost both (found by
    // tests/tst_kill.cpp).
    Q_EMIT jobFinished(id, result);
    Q_EMIT jobsChanged();
    Q_EMIT jobEnded(id);
    startNext();
}

void JobManager::onFailed(int id, const QString& message, bool cancelled)
{
    m_running = 0;
    if (Job* j = find(id)) {
        j->state = cancelled ? JobState::Cancelled : JobState::Failed;
        j->error = cancelled ? QString() : message;
        j->etaSeconds = -1;
    }
    Q_EMIT jobsChanged();
    if (cancelled)
        Q_EMIT jobCancelled(id);
    else
        Q_EMIT jobFailed(id, message);
    Q_EMIT jobEnded(id);
    startNext();
}

QJsonArray JobManager::pendingToJson() const
{
    QJsonArray out;
    for (const auto& j : m_jobs)
        if (j.state == JobState::Queued || j.state == JobState::Running)
            out.append(j.spec.toJson());
    return out;
}

int JobManager::restore(const QJsonArray& jobs)
{
    // All at once, then one change: the studio writes its recovery copy on every change of
    // the queue, and a copy written half-way (the first few jobs only) would replace the
    // whole queue after a crash at that moment (found by tests/tst_kill.cpp).
    int count = 0;
    for (const auto& v : jobs) {
        JobSpec spec;
        if (JobSpec::fromJson(v.toObject(), &spec)) {
            Job job;
            job.id = m_nextId++;
            job.spec = spec;
            m_jobs.append(job);
            ++count;
        }
    }
    if (count > 0) {
        Q_EMIT jobsChanged();
        QMetaObject::invokeMethod(this, &JobManager::startNext, Qt::QueuedConnection);
    }
    return count;
}

QCoro::Task<JobState> JobManager::wait(int id)
{
    QPointer<JobManager> self(this);
    while (self) {
        const Job* j = job(id);
        if (!j)
            co_return JobState::Cancelled;
        if (j->finished())
            co_return j->state;
        auto ended = qCoro(this, &JobManager::jobEnded); // named: see Studio::loadThumbnails
        co_await ended;
    }
    co_return JobState::Cancelled;
}

} // namespace kinora::app
