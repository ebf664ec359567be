#pragma once

// The studio's main window: the preview player in the middle, dockable panels around
// it (prompt editor, timeline, jobs, takes, history) whose layout is remembered, the
// menus, and the wiring between the panels and the Studio. Every failure ends in a
// message here, never in a crash or a silent nothing.

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <qcoro/qcorotask.h>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QUndoView;
class QMessageBox;

namespace kinora::app {
class Studio;
struct ModelSummary;
}

namespace kinora::ui {

class JobPanel;
class PreviewPlayer;
class PromptEditor;
class TakesPanel;
class StoryboardPanel;
class Timeline;
struct PromptRequest;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(app::Studio* studio, QWidget* parent = nullptr);
    ~MainWindow() override;

    Timeline* timeline() const { return m_timeline; }
    PreviewPlayer* player() const { return m_player; }
    PromptEditor* promptEditor() const { return m_promptEditor; }
    JobPanel* jobPanel() const { return m_jobPanel; }
    TakesPanel* takesPanel() const { return m_takesPanel; }
    StoryboardPanel* storyboardPanel() const { return m_storyboardPanel; }
    QAction* action(const QString& objectName) const;
    QString lastError() const { return m_lastError; }
    QString modelBanner() const;

    // Asks (without blocking) whether to restore the autosaved session, when there is one.
    void offerRecovery();
    // When false, closing discards unsaved changes without asking (tests, --no-confirm).
    void setConfirmClose(bool confirm) { m_confirmClose = confirm; }

    // Settings for the clip actions that take a duration.
    double extendSeconds() const { return m_extendSeconds; }
    void setExtendSeconds(double seconds) { m_extendSeconds = seconds; }

public Q_SLOTS:
    void newProject();
    void openProject();
    bool openProjectFile(const QString& path);
    bool saveProject();
    bool saveProjectAs();
    bool saveProjectTo(const QString& path);
    void importVideo();
    void exportTimeline();
    void rerollSelected();
    void promoteDrafts();
    void updateEstimate();
    void extendSelectedForwards();
    void extendSelectedBackwards();
    void bridgeSelected();
    void inspectJoin(int index); // opens the join inspector on the join after clip `index`
    void fillBetweenMarks();
    void showShortcuts();
    void showSettings();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildMenus();
    void buildDocks();
    void rebuildRecentMenu();
    void updateTitle();
    void updateClipActions();
    void showError(const QString& title, const QString& message);
    bool maybeSave();

    void onStudioErrorOccurred(const QString& title, const QString& message);
    void onPromptEditorGenerateRequested(const PromptRequest& request);
    void onJobsModelReady(const app::ModelSummary& summary);
    void onJobsModelFailed(const QString& message);
    void onTimelineSelectionChanged(const QString& clipId);
    void onTimelinePlayheadChanged(int frame);
    void onPlayerPositionChanged(int frame);
    QCoro::Task<> onPlayerPlayedToEnd();
    void onStudioClipProduced(const QString& clipId);
    void onJobsPreviewFrame(int id, const QImage& frame);
    void onJobsFramesReady(int id, const QVector<QImage>& frames);
    void onExportFinished(const QString& path);

    // Loads the clip under the timeline frame into the player (frames read off the UI
    // thread), then seeks to the frame.
    QCoro::Task<> showTimelineFrame(int frame);

    app::Studio* m_studio;
    Timeline* m_timeline = nullptr;
    PreviewPlayer* m_player = nullptr;
    PromptEditor* m_promptEditor = nullptr;
    JobPanel* m_jobPanel = nullptr;
    TakesPanel* m_takesPanel = nullptr;
    StoryboardPanel* m_storyboardPanel = nullptr;
    QUndoView* m_history = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_modelStatus = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QList<QDockWidget*> m_docks;
    QPointer<QMessageBox> m_recoveryBox;

    QString m_loadedKey; // clip id + take id + trims now in the player
    int m_loadedStart = 0;
    quint64 m_loadSerial = 0;
    int m_playingJob = 0; // the running job whose finished frames the player plays
    bool m_syncing = false;
    bool m_confirmClose = true;
    double m_extendSeconds = 2.0;
    QString m_lastError;
};

} // namespace kinora::ui
