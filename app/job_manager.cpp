#include "app/job_manager.h"

#include <qcoro/qcorosignal.h>

#include <QCoreApplication>
#include <QPointer>

namespace kinora::app {

JobManager::JobManager(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<JobResult>();
    qRegisterMetaType<ModelSummary>();
    m_thread.setObjectName(QStringLiteral("kinora-engine"));
    m_worker = new JobWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &JobWorker::modelLoaded, this, &JobManager::onModelLoaded, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::modelFailed, this, &JobManager::onModelFailed, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::progress, this, &JobManager::onProgress, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::preview, this, &JobManager::previewFrame, Qt::QueuedConnection);
    connect(m_worker, &JobWorker::finished, this, &JobManager::onFinished, Qt::QueuedConnection);
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

void JobManager::onModelLoaded(const ModelSummary& summary)
{
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
