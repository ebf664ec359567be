#pragma once

// The job queue: each job with its state, progress and estimated time left; cancel,
// remove, retry and reorder the selected one.

#include <QWidget>

class QTreeWidget;
class QLabel;
class QPushButton;

namespace kinora::app {
class JobManager;
}

namespace kinora::ui {

class JobPanel : public QWidget {
    Q_OBJECT

public:
    explicit JobPanel(app::JobManager* jobs, QWidget* parent = nullptr);

    int selectedJob() const;
    void selectJob(int id);
    QTreeWidget* tree() const { return m_tree; }

    // "42 s", "2 min 5 s", "–" for an unknown (negative) time.
    static QString formatSeconds(double seconds);

public Q_SLOTS:
    void cancelSelected();
    void removeSelected();
    void retrySelected();
    void moveSelectedUp();
    void moveSelectedDown();

private:
    void rebuild();
    void onJobsJobProgress(int id);
    void updateButtons();
    void updateTotal();

    app::JobManager* m_jobs;
    QTreeWidget* m_tree;
    QPushButton* m_cancel;
    QPushButton* m_remove;
    QPushButton* m_retry;
    QPushButton* m_up;
    QPushButton* m_down;
    QPushButton* m_clear;
    QLabel* m_total;
};

} // namespace kinora::ui
