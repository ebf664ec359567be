#include "ui/main_window.h"

#include "app/studio.h"
#include "ui/export_dialog.h"
#include "ui/job_panel.h"
#include "ui/join_inspector.h"
#include "ui/preview_player.h"
#include "ui/prompt_editor.h"
#include "ui/settings_dialog.h"
#include "ui/shortcuts_dialog.h"
#include "ui/storyboard_panel.h"
#include "ui/takes_panel.h"
#include "ui/timeline.h"
#include "util/model_locator.h"

#include <qcoro/qcorofuture.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>
#include <QUndoView>
#include <QUrl>
#include <QVBoxLayout>

namespace kinora::ui {

MainWindow::MainWindow(app::Studio* studio, QWidget* parent) : QMainWindow(parent), m_studio(studio)
{
    setObjectName(QStringLiteral("KinoraMainWindow"));
    setDockNestingEnabled(true);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("modelBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fbe3d6; color: #5a1d00; padding: 8px; }"));
    m_banner->hide();
    m_player = new PreviewPlayer(central);
    layout->addWidget(m_banner);
    layout->addWidget(m_player, 1);
    setCentralWidget(central);

    m_modelStatus = new QLabel(tr("Loading the model pack..."), this);
    statusBar()->addPermanentWidget(m_modelStatus);

    buildActions();
    buildDocks();
    buildMenus();

    auto* doc = studio->document();
    connect(studio, &app::Studio::errorOccurred, this, &MainWindow::onStudioErrorOccurred);
    connect(studio, &app::Studio::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(studio, &app::Studio::clipProduced, this, &MainWindow::onStudioClipProduced);
    connect(studio, &app::Studio::exportFinished, this, &MainWindow::onExportFinished);
    connect(studio->jobs(), &app::JobManager::modelReady, this, &MainWindow::onJobsModelReady);
    connect(studio->jobs(), &app::JobManager::modelFailed, this, &MainWindow::onJobsModelFailed);
    connect(studio->jobs(), &app::JobManager::previewFrame, this, &MainWindow::onJobsPreviewFrame);
    connect(studio->jobs(), &app::JobManager::framesReady, this, &MainWindow::onJobsFramesReady);
    connect(studio->jobs(), &app::JobManager::jobEnded, this, [this](int id) {
        if (id == m_playingJob)
            m_playingJob = 0;
    });
    connect(doc, &app::ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(doc, &app::ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(doc->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateTitle);
    connect(doc, &app::ProjectDocument::changed, this, [this] {
        // The player reloads only when the clip under the playhead shows other frames.
        updateClipActions();
        showTimelineFrame(m_timeline->playhead());
    });
    connect(m_promptEditor, &PromptEditor::generateRequested, this, &MainWindow::onPromptEditorGenerateRequested);
    connect(m_promptEditor, &PromptEditor::promptChanged, studio, &app::Studio::setPromptDraft);
    connect(m_promptEditor, &PromptEditor::costChanged, this, &MainWindow::updateEstimate);
    connect(studio->jobs(), &app::JobManager::estimatesChanged, this, &MainWindow::updateEstimate);
    connect(studio, &app::Studio::draftModeChanged, this, &MainWindow::updateEstimate);
    connect(m_timeline, &Timeline::selectionChanged, this, &MainWindow::onTimelineSelectionChanged);
    connect(m_timeline, &Timeline::joinActivated, this, &MainWindow::inspectJoin);
    connect(m_timeline, &Timeline::playheadChanged, this, &MainWindow::onTimelinePlayheadChanged);
    connect(m_player, &PreviewPlayer::positionChanged, this, &MainWindow::onPlayerPositionChanged);
    connect(m_player, &PreviewPlayer::playedToEnd, this, &MainWindow::onPlayerPlayedToEnd);
    connect(m_player, &PreviewPlayer::errorOccurred, this,
            [this](const QString& m) { showError(tr("Playback failed"), m); });
    connect(m_takesPanel, &TakesPanel::rerollRequested, this, &MainWindow::rerollSelected);
    connect(m_takesPanel, &TakesPanel::clipRequested, this,
            [this](const QString& clipId) { m_timeline->setSelectedClip(clipId); });
    connect(m_storyboardPanel, &StoryboardPanel::clipRequested, this,
            [this](const QString& clipId) { m_timeline->setSelectedClip(clipId); });
    // A first shot starts from the prompt being written.
    connect(m_promptEditor, &PromptEditor::promptChanged, m_storyboardPanel, &StoryboardPanel::setDefaultPrompt);
    connect(studio->settings(), &app::Settings::recentProjectsChanged, this, &MainWindow::rebuildRecentMenu);

    resize(1400, 900);
    restoreGeometry(studio->settings()->windowGeometry());
    restoreState(studio->settings()->windowState());
    rebuildRecentMenu();
    updateTitle();
    updateClipActions();
    if (studio->jobs()->modelState() == app::ModelState::Ready)
        onJobsModelReady(studio->jobs()->model());
    else if (studio->jobs()->modelState() == app::ModelState::Failed)
        onJobsModelFailed(studio->jobs()->modelError());
    m_promptEditor->focusPrompt(); // the first thing a person does is type a prompt
}

MainWindow::~MainWindow() = default;

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

QString MainWindow::modelBanner() const { return m_banner->isVisible() ? m_banner->text() : QString(); }

void MainWindow::buildActions()
{
    auto make = [this](const char* name, const QString& text, const QKeySequence& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(QString::fromLatin1(name));
        if (!keys.isEmpty())
            a->setShortcut(keys);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    make("actionNew", tr("&New Project"), QKeySequence::New, &MainWindow::newProject);
    make("actionOpen", tr("&Open..."), QKeySequence::Open, &MainWindow::openProject);
    make("actionSave", tr("&Save"), QKeySequence::Save, &MainWindow::saveProject);
    make("actionSaveAs", tr("Save &As..."), QKeySequence(tr("Ctrl+Shift+S")), &MainWindow::saveProjectAs);
    make("actionImport", tr("&Import Video..."), QKeySequence(tr("Ctrl+I")), &MainWindow::importVideo);
    make("actionExport", tr("&Export MP4..."), QKeySequence(tr("Ctrl+E")), &MainWindow::exportTimeline);
    make("actionSettings", tr("Se&ttings..."), QKeySequence::Preferences, &MainWindow::showSettings);
    make("actionQuit", tr("&Quit"), QKeySequence::Quit, &QWidget::close);
    make("actionReroll", tr("&Re-roll (New Take)"), QKeySequence(tr("R")), &MainWindow::rerollSelected);
    auto* draftMode = make("actionDraftMode", tr("Dr&aft Mode"), QKeySequence(tr("Ctrl+Shift+D")), [this](bool on) {
        m_studio->setDraftMode(on);
        statusBar()->showMessage(on ? tr("Draft mode: new clips take a quarter of the steps") : tr("Draft mode off"), 6000);
    });
    draftMode->setCheckable(true);
    draftMode->setChecked(m_studio->draftMode());
    connect(m_studio, &app::Studio::draftModeChanged, draftMode, &QAction::setChecked);
    make("actionPromote", tr("&Promote to Final"), QKeySequence(tr("Ctrl+Shift+P")), &MainWindow::promoteDrafts);
    make("actionExtendForwards", tr("Extend &Forwards"), QKeySequence(tr("Ctrl+]")), &MainWindow::extendSelectedForwards);
    make("actionExtendBackwards", tr("Extend &Backwards"), QKeySequence(tr("Ctrl+[")),
         &MainWindow::extendSelectedBackwards);
    make("actionBridge", tr("Bridge to &Next Clip"), QKeySequence(tr("Ctrl+B")), &MainWindow::bridgeSelected);
    make("actionInspectJoin", tr("&Inspect Join..."), QKeySequence(tr("Ctrl+J")), [this] {
        // The join after the selected clip, or before it when it is the last one.
        const auto* doc = m_studio->document();
        const int index = doc->indexOf(m_timeline->selectedClip());
        inspectJoin(index + 1 < doc->clips().size() ? index : index - 1);
    });
    make("actionFill", tr("Regenerate Frames Between &Marks"), QKeySequence(tr("Ctrl+Shift+R")),
         &MainWindow::fillBetweenMarks);
    make("actionSplit", tr("&Split at Playhead"), QKeySequence(tr("S")), [this] {
        if (!m_timeline->splitAtPlayhead())
            statusBar()->showMessage(tr("Nothing to split: put the playhead inside a clip, not on its first frame."), 6000);
    });
    make("actionDelete", tr("Ripple &Delete"), QKeySequence::Delete, [this] {
        if (!m_timeline->deleteSelected())
            statusBar()->showMessage(tr("Select a clip to delete."), 6000);
    });
    make("actionZoomIn", tr("Zoom &In"), QKeySequence(tr("=")), [this] { m_timeline->zoomIn(); });
    make("actionZoomOut", tr("Zoom &Out"), QKeySequence(tr("-")), [this] { m_timeline->zoomOut(); });
    make("actionShortcuts", tr("&Keyboard Shortcuts"), QKeySequence(tr("Ctrl+/")), &MainWindow::showShortcuts);
    make("actionAbout", tr("&About Kinora"), QKeySequence(), [this] {
        QMessageBox::about(this, tr("About Kinora"),
                           tr("Kinora %1: a text-to-video studio that runs on your own machine.").arg(KINORA_VERSION));
    });

    auto* undo = m_studio->document()->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence::Undo);
    auto* redo = m_studio->document()->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
    addAction(undo);
    addAction(redo);
}

void MainWindow::buildDocks()
{
    auto dock = [this](const char* name, const QString& title, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QString::fromLatin1(name)); // saveState() keys on it
        d->setWidget(w);
        addDockWidget(area, d);
        m_docks << d;
        return d;
    };
    m_promptEditor = new PromptEditor(this);
    auto* prompt = dock("dockPrompt", tr("Prompt"), m_promptEditor, Qt::LeftDockWidgetArea);
    m_storyboardPanel = new StoryboardPanel(m_studio, this);
    auto* storyboard = dock("dockStoryboard", tr("Storyboard"), m_storyboardPanel, Qt::LeftDockWidgetArea);
    tabifyDockWidget(prompt, storyboard);
    prompt->raise();

    m_timeline = new Timeline(m_studio, this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_timeline);
    scroll->setWidgetResizable(true);
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumHeight(150);
    dock("dockTimeline", tr("Timeline"), scroll, Qt::BottomDockWidgetArea);

    m_jobPanel = new JobPanel(m_studio->jobs(), this);
    auto* jobs = dock("dockJobs", tr("Jobs"), m_jobPanel, Qt::RightDockWidgetArea);
    m_takesPanel = new TakesPanel(m_studio, this);
    auto* takes = dock("dockTakes", tr("Takes"), m_takesPanel, Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_studio->document()->undoStack(), this);
    m_history->setEmptyLabel(tr("<empty project>"));
    auto* history = dock("dockHistory", tr("History"), m_history, Qt::RightDockWidgetArea);
    splitDockWidget(jobs, takes, Qt::Vertical);
    tabifyDockWidget(takes, history);
    takes->raise();
    resizeDocks({m_docks.first()}, {380}, Qt::Horizontal);
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("actionNew"));
    file->addAction(action("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(action("actionSave"));
    file->addAction(action("actionSaveAs"));
    file->addSeparator();
    file->addAction(action("actionImport"));
    file->addAction(action("actionExport"));
    file->addSeparator();
    file->addAction(action("actionSettings"));
    file->addAction(action("actionQuit"));

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action("actionUndo"));
    edit->addAction(action("actionRedo"));
    auto* historyAction = edit->addAction(tr("&History"));
    historyAction->setObjectName(QStringLiteral("actionHistory"));
    connect(historyAction, &QAction::triggered, this, [this] {
        for (auto* d : m_docks)
            if (d->widget() == m_history) {
                d->show();
                d->raise();
            }
    });

    auto* clip = menuBar()->addMenu(tr("&Clip"));
    for (const char* name : {"actionReroll", "actionExtendForwards", "actionExtendBackwards", "actionBridge",
                             "actionFill", "actionInspectJoin", "", "actionDraftMode", "actionPromote", "", "actionSplit", "actionDelete", "",
                             "actionZoomIn", "actionZoomOut"})
        *name ? (void)clip->addAction(action(QString::fromLatin1(name))) : (void)clip->addSeparator();

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (auto* d : m_docks)
        m_viewMenu->addAction(d->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action("actionShortcuts"));
    help->addAction(action("actionAbout"));
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_studio->settings()->recentProjects();
    for (const QString& path : recent) {
        auto* a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (maybeSave())
                openProjectFile(path);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    const auto* doc = m_studio->document();
    setWindowTitle(tr("%1[*] - Kinora").arg(doc->displayName()));
    setWindowModified(doc->isModified());
}

void MainWindow::updateClipActions()
{
    const auto* doc = m_studio->document();
    const int index = doc->indexOf(m_timeline->selectedClip());
    const bool selected = index >= 0;
    for (const char* name : {"actionReroll", "actionExtendForwards", "actionExtendBackwards", "actionFill"})
        action(QString::fromLatin1(name))->setEnabled(selected);
    action(QStringLiteral("actionBridge"))->setEnabled(selected && index + 1 < doc->clips().size());
    action(QStringLiteral("actionInspectJoin"))->setEnabled(selected && doc->clips().size() > 1);
    action(QStringLiteral("actionExport"))->setEnabled(!doc->clips().isEmpty());
}

void MainWindow::inspectJoin(int index)
{
    const auto* doc = m_studio->document();
    if (index < 0 || index + 1 >= doc->clips().size())
        return;
    // Not modal: the timeline and the jobs go on while it is open.
    auto* inspector = new JoinInspector(m_studio, index, this);
    inspector->setAttribute(Qt::WA_DeleteOnClose);
    inspector->show();
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_lastError = message;
    statusBar()->showMessage(message, 15000);
    // Not modal: a failure must never stall the event loop (or a running test).
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void MainWindow::onStudioErrorOccurred(const QString& title, const QString& message) { showError(title, message); }

void MainWindow::onJobsModelReady(const app::ModelSummary& summary)
{
    m_banner->hide();
    m_modelStatus->setText(tr("Model: %1 (%2, %3 px, %4 fps)")
                               .arg(summary.name, summary.device)
                               .arg(summary.frameSize)
                               .arg(summary.fps));
    m_modelStatus->setToolTip(summary.directory);
    m_promptEditor->setVocabulary(summary.vocabulary);
    m_promptEditor->setModelDirs({summary.directory}, summary.directory);
    const auto* settings = m_studio->settings();
    m_promptEditor->setSteps(settings->defaultSteps() > 0 ? settings->defaultSteps() : summary.defaultSteps);
    m_promptEditor->setGuidance(settings->defaultGuidance() >= 0 ? settings->defaultGuidance() : summary.defaultGuidance);
}

void MainWindow::onJobsModelFailed(const QString& message)
{
    m_modelStatus->setText(tr("No model pack"));
    m_banner->setText(tr("The model pack could not be loaded: %1. Generating is off; editing, import and export "
                         "still work. Set KINORA_MODEL or choose a pack in Settings (looked in: %2).")
                          .arg(message, QString::fromStdString(defaultModelSearchText())));
    m_banner->show();
}

// ---- generation and clip actions ------------------------------------------------------

// "About N s on this machine" beside Generate, from the job manager's measured times.
void MainWindow::updateEstimate()
{
    const PromptRequest request = m_promptEditor->currentRequest();
    app::GenerateParams params;
    params.prompt = request.prompt;
    params.seconds = request.seconds;
    params.steps = request.steps;
    const double seconds = m_studio->estimateGenerate(params);
    m_promptEditor->setEstimate(seconds < 0 ? QString()
                                            : (m_studio->draftMode() ? tr("about %1 (draft)") : tr("about %1"))
                                                  .arg(JobPanel::formatSeconds(seconds)));
}

void MainWindow::onPromptEditorGenerateRequested(const PromptRequest& request)
{
    const QString current = m_studio->jobs()->model().directory;
    if (!request.modelDir.isEmpty() && QFileInfo(request.modelDir).canonicalFilePath() != QFileInfo(current).canonicalFilePath())
        m_studio->loadModel(request.modelDir);
    app::GenerateParams params;
    params.prompt = request.prompt;
    params.negative = request.negative;
    params.seed = request.seed;
    params.seconds = request.seconds;
    params.steps = request.steps;
    params.guidance = request.guidance;
    if (m_studio->queueGenerate(params) > 0) {
        m_promptEditor->setLastUsedSeed(request.seed);
        m_promptEditor->focusPrompt();
        statusBar()->showMessage(tr("Queued: %1 (seed %2)").arg(request.prompt).arg(request.seed), 6000);
    }
}

void MainWindow::rerollSelected()
{
    const quint64 seed = m_studio->randomSeed();
    if (m_studio->queueReroll(m_timeline->selectedClip(), seed) > 0)
        statusBar()->showMessage(tr("Re-rolling with seed %1").arg(seed), 6000);
}

// The selected clip, or every draft on the timeline when none is selected.
void MainWindow::promoteDrafts()
{
    const QString selected = m_timeline->selectedClip();
    if (!selected.isEmpty()) {
        if (m_studio->queuePromote(selected) > 0)
            statusBar()->showMessage(tr("Promoting the clip to final quality"), 6000);
        return;
    }
    const int queued = m_studio->promoteDrafts();
    statusBar()->showMessage(queued > 0 ? tr("Promoting %n draft(s) to final quality", nullptr, queued)
                                        : tr("There are no drafts on the timeline."),
                             6000);
}

void MainWindow::extendSelectedForwards() { m_studio->queueExtend(m_timeline->selectedClip(), m_extendSeconds, false); }
void MainWindow::extendSelectedBackwards() { m_studio->queueExtend(m_timeline->selectedClip(), m_extendSeconds, true); }
void MainWindow::bridgeSelected() { m_studio->queueBridge(m_timeline->selectedClip(), m_extendSeconds / 2); }

void MainWindow::fillBetweenMarks()
{
    // The player shows the clip under the playhead: its marks are frames of that clip.
    const auto* doc = m_studio->document();
    int offset = 0;
    const int index = doc->clipAt(m_timeline->playhead(), &offset);
    if (index < 0) {
        showError(tr("Regenerate frames"), tr("Put the playhead on a clip and set In and Out marks (I and O)."));
        return;
    }
    const int in = m_player->markIn(), out = m_player->markOut();
    if (in < 0 || out < 0) {
        showError(tr("Regenerate frames"), tr("Set an In mark (I) and an Out mark (O) in the player first."));
        return;
    }
    m_studio->queueFill(doc->clips()[index].id, std::min(in, out), std::max(in, out));
}

void MainWindow::onStudioClipProduced(const QString& clipId)
{
    const auto* doc = m_studio->document();
    const int index = doc->indexOf(clipId);
    if (index < 0)
        return;
    m_timeline->setSelectedClip(clipId);
    m_timeline->setPlayhead(doc->clipStart(index));
    showTimelineFrame(doc->clipStart(index));
}

void MainWindow::onJobsPreviewFrame(int id, const QImage& frame)
{
    if (id != m_playingJob) // the frames already made play on; a still would stop them
        m_player->showFrame(frame);
}

// A long clip's first windows are done while the rest is made: the player plays them at
// once, and each later window's frames join them where playback is (a pause stays a
// pause; playback that reached the end goes on into them). A timeline frame (a click, the
// finished take landing) loads its clip again.
void MainWindow::onJobsFramesReady(int id, const QVector<QImage>& frames)
{
    if (frames.isEmpty())
        return;
    const bool more = id == m_playingJob;
    const int at = more ? m_player->position() : 0;
    const bool play = !more || m_player->isPlaying() || at == m_player->frameCount() - 1;
    m_playingJob = id;
    ++m_loadSerial; // a timeline clip still loading must not replace them
    m_loadedKey.clear();
    m_syncing = true;
    m_player->setFrames(frames, m_studio->jobs()->model().fps);
    m_player->seek(at);
    m_syncing = false;
    if (play)
        m_player->play();
}

// ---- timeline <-> player --------------------------------------------------------------

void MainWindow::onTimelineSelectionChanged(const QString& clipId)
{
    m_takesPanel->setClip(clipId);
    updateClipActions();
    const auto* doc = m_studio->document();
    const int index = doc->indexOf(clipId);
    if (index < 0)
        return;
    const int start = doc->clipStart(index);
    const int ph = m_timeline->playhead();
    if (ph < start || ph >= start + doc->clips()[index].length())
        m_timeline->setPlayhead(start);
    showTimelineFrame(m_timeline->playhead());
}

void MainWindow::onTimelinePlayheadChanged(int frame)
{
    if (!m_syncing)
        showTimelineFrame(frame);
}

void MainWindow::onPlayerPositionChanged(int frame)
{
    if (m_syncing || m_loadedKey.isEmpty())
        return;
    m_syncing = true;
    m_timeline->setPlayhead(m_loadedStart + frame);
    m_syncing = false;
}

// Playback runs on across the timeline: at the end of a clip the next one loads and plays.
QCoro::Task<> MainWindow::onPlayerPlayedToEnd()
{
    if (m_loadedKey.isEmpty())
        co_return;
    const int next = m_loadedStart + m_player->frameCount();
    if (m_studio->document()->clipAt(next) < 0)
        co_return; // the last clip
    QPointer<MainWindow> self(this);
    m_syncing = true;
    m_timeline->setPlayhead(next);
    m_syncing = false;
    // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    auto shown = showTimelineFrame(next);
    co_await shown;
    if (!self || m_timeline->playhead() != next)
        co_return; // the user moved on meanwhile
    m_player->play();
}

QCoro::Task<> MainWindow::showTimelineFrame(int frame)
{
    const auto* doc = m_studio->document();
    int offset = 0;
    const int index = doc->clipAt(frame, &offset);
    if (index < 0) {
        if (doc->clips().isEmpty()) {
            m_loadedKey.clear();
            m_player->clear();
        }
        co_return;
    }
    const app::Clip clip = doc->clips()[index];
    const QString key = QStringLiteral("%1/%2/%3/%4").arg(clip.id, clip.take().id).arg(clip.trimIn).arg(clip.trimOut);
    if (key != m_loadedKey) {
        const quint64 serial = ++m_loadSerial;
        QPointer<MainWindow> self(this);
        // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
        auto future = app::Studio::loadFrames(m_studio->visibleSpan(clip));
        const QVector<QImage> frames = co_await future;
        if (!self || serial != m_loadSerial)
            co_return;
        if (frames.isEmpty()) {
            showError(tr("Cannot show the clip"),
                      tr("The take's media file %1 is missing or damaged.").arg(m_studio->document()->mediaPath(clip.take())));
            co_return;
        }
        m_syncing = true;
        m_player->setFrames(frames, clip.take().fps);
        m_syncing = false;
        m_loadedKey = key;
    }
    const int now = doc->indexOf(clip.id);
    if (now < 0)
        co_return;
    m_loadedStart = doc->clipStart(now);
    m_syncing = true;
    m_player->seek(std::clamp(m_timeline->playhead() - m_loadedStart, 0, clip.length() - 1));
    m_syncing = false;
}

} // namespace kinora::ui
