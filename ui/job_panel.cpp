#include "ui/job_panel.h"

#include "app/job_manager.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kinora::ui {

namespace {
enum Column { Name, State, ProgressColumn, Eta, ColumnCount };
constexpr int kIdRole = Qt::UserRole + 1;
} // namespace

JobPanel::JobPanel(app::JobManager* jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs)
{
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Job"), tr("State"), tr("Progress"), tr("Time left")});
    m_tree->setRootIsDecorated(false);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setSectionResizeMode(Name, QHeaderView::Stretch);
    m_tree->setAccessibleName(tr("Job queue"));

    m_cancel = new QPushButton(tr("Cancel"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_retry = new QPushButton(tr("Retry"), this);
    m_up = new QPushButton(tr("Up"), this);
    m_down = new QPushButton(tr("Down"), this);
    m_clear = new QPushButton(tr("Clear done"), this);
    m_up->setToolTip(tr("Run the selected queued job earlier"));
    m_down->setToolTip(tr("Run the selected queued job later"));

    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_cancel, m_remove, m_retry, m_up, m_down, m_clear})
        buttons->addWidget(b);
    buttons->addStretch();
    m_total = new QLabel(this);
    m_total->setObjectName(QStringLiteral("totalTimeLeft"));
    // Its own line, and no say in the panel's width: the text comes and goes.
    m_total->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tree);
    layout->addLayout(buttons);
    layout->addWidget(m_total);

    connect(m_cancel, &QPushButton::clicked, this, &JobPanel::cancelSelected);
    connect(m_remove, &QPushButton::clicked, this, &JobPanel::removeSelected);
    connect(m_retry, &QPushButton::clicked, this, &JobPanel::retrySelected);
    connect(m_up, &QPushButton::clicked, this, &JobPanel::moveSelectedUp);
    connect(m_down, &QPushButton::clicked, this, &JobPanel::moveSelectedDown);
    connect(m_clear, &QPushButton::clicked, jobs, &app::JobManager::clearFinished);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &JobPanel::updateButtons);
    connect(jobs, &app::JobManager::jobsChanged, this, &JobPanel::rebuild);
    connect(jobs, &app::JobManager::jobProgress, this, &JobPanel::onJobsJobProgress);
    connect(jobs, &app::JobManager::estimatesChanged, this, &JobPanel::rebuild);
    rebuild();
}

QString JobPanel::formatSeconds(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    const int s = int(seconds + 0.5);
    return s >= 60 ? tr("%1 min %2 s").arg(s / 60).arg(s % 60) : tr("%1 s").arg(s);
}

int JobPanel::selectedJob() const
{
    const auto items = m_tree->selectedItems();
    return items.isEmpty() ? 0 : items.first()->data(Name, kIdRole).toInt();
}

void JobPanel::selectJob(int id)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(Name, kIdRole).toInt() == id)
            m_tree->setCurrentItem(m_tree->topLevelItem(i));
}

void JobPanel::rebuild()
{
    const int selected = selectedJob();
    m_tree->clear();
    for (const auto& job : m_jobs->jobs()) {
        auto* item = new QTreeWidgetItem(m_tree);
        const QString what = job.spec.describe();
        item->setText(Name, what.isEmpty() ? app::jobKindLabel(job.spec.kind)
                                           : tr("%1: %2").arg(app::jobKindLabel(job.spec.kind), what));
        item->setData(Name, kIdRole, job.id);
        item->setText(State, app::jobStateLabel(job.state));
        if (job.state == app::JobState::Failed)
            item->setToolTip(State, job.error);
        item->setToolTip(Name, job.spec.prompt);
        auto* bar = new QProgressBar;
        bar->setRange(0, std::max(1, job.steps));
        bar->setValue(job.state == app::JobState::Done ? bar->maximum() : job.step);
        bar->setTextVisible(true);
        m_tree->setItemWidget(item, ProgressColumn, bar);
        // Running: measured; queued: the estimate from the engine's measured step times.
        const double left = m_jobs->secondsLeft(job);
        item->setText(Eta, left < 0 ? QString()
                           : job.state == app::JobState::Running ? formatSeconds(left)
                                                                 : tr("about %1").arg(formatSeconds(left)));
        if (job.id == selected)
            m_tree->setCurrentItem(item);
    }
    updateButtons();
    updateTotal();
}

void JobPanel::updateTotal()
{
    const double total = m_jobs->queueSecondsLeft();
    m_total->setText(total > 0 ? tr("Total time left: about %1").arg(formatSeconds(total)) : QString());
}

void JobPanel::onJobsJobProgress(int id)
{
    const app::Job* job = m_jobs->job(id);
    if (!job)
        return;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto* item = m_tree->topLevelItem(i);
        if (item->data(Name, kIdRole).toInt() != id)
            continue;
        if (auto* bar = qobject_cast<QProgressBar*>(m_tree->itemWidget(item, ProgressColumn))) {
            bar->setRange(0, std::max(1, job->steps));
            bar->setValue(job->step);
        }
        item->setText(Eta, formatSeconds(job->etaSeconds));
    }
    updateTotal();
}

void JobPanel::updateButtons()
{
    const app::Job* job = m_jobs->job(selectedJob());
    const bool queued = job && job->state == app::JobState::Queued;
    m_cancel->setEnabled(job && !job->finished());
    m_remove->setEnabled(job && job->state != app::JobState::Running);
    m_retry->setEnabled(job && (job->state == app::JobState::Failed || job->state == app::JobState::Cancelled));
    m_up->setEnabled(queued);
    m_down->setEnabled(queued);
}

void JobPanel::cancelSelected() { m_jobs->cancel(selectedJob()); }
void JobPanel::removeSelected() { m_jobs->remove(selectedJob()); }
void JobPanel::retrySelected() { m_jobs->retry(selectedJob()); }

void JobPanel::moveSelectedUp()
{
    const int id = selectedJob();
    if (m_jobs->move(id, -1))
        selectJob(id);
}

void JobPanel::moveSelectedDown()
{
    const int id = selectedJob();
    if (m_jobs->move(id, 1))
        selectJob(id);
}

} // namespace kinora::ui
