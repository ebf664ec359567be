// The main window's file, dialog and recovery actions.

#include "ui/main_window.h"

#include "app/studio.h"
#include "ui/export_dialog.h"
#include "ui/job_panel.h"
#include "ui/preview_player.h"
#include "ui/prompt_editor.h"
#include "ui/settings_dialog.h"
#include "ui/shortcuts_dialog.h"
#include "ui/takes_panel.h"
#include "ui/timeline.h"

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
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>
#include <QUndoView>
#include <QUrl>
#include <QVBoxLayout>

namespace kinora::ui {

// ---- files ----------------------------------------------------------------------------

bool MainWindow::maybeSave()
{
    if (!m_confirmClose || !m_studio->document()->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("Save the changes to %1?").arg(m_studio->document()->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || saveProject();
}

void MainWindow::newProject()
{
    if (!maybeSave())
        return;
    m_studio->newProject();
    m_timeline->setSelectedClip({});
}

void MainWindow::openProject()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), m_studio->settings()->projectsDir(),
                                                      tr("Kinora projects (*.kinora)"));
    if (!path.isEmpty())
        openProjectFile(path);
}

bool MainWindow::openProjectFile(const QString& path)
{
    auto ok = m_studio->open(path);
    if (!ok) {
        showError(tr("Cannot open the project"),
                  tr("%1 could not be opened: %2").arg(QFileInfo(path).fileName(),
                                                      QString::fromStdString(ok.error().message)));
        return false;
    }
    m_timeline->setSelectedClip({});
    m_timeline->setPlayhead(0);
    m_loadedKey.clear();
    showTimelineFrame(0);
    statusBar()->showMessage(tr("Opened %1").arg(path), 6000);
    return true;
}

bool MainWindow::saveProject()
{
    if (m_studio->document()->filePath().isEmpty())
        return saveProjectAs();
    return saveProjectTo(m_studio->document()->filePath());
}

bool MainWindow::saveProjectAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Project"), m_studio->settings()->projectsDir(),
                                                      tr("Kinora projects (*.kinora)"));
    return !path.isEmpty() && saveProjectTo(path);
}

bool MainWindow::saveProjectTo(const QString& path)
{
    // The takes are copied on a worker thread while this dialog (shown only when the copy
    // takes a moment) keeps the window painting and offers Cancel.
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QProgressDialog progress(tr("Saving %1...").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 0, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(400);
    progress.setAutoReset(false);
    progress.setAutoClose(false);
    connect(m_studio, &app::Studio::saveProgress, &progress, [&progress](int done, int total) {
        progress.setMaximum(total);
        progress.setValue(done);
    });
    connect(&progress, &QProgressDialog::canceled, &progress, [cancel] { cancel->store(true); });
    auto ok = QCoro::waitFor(m_studio->saveAsInBackground(path, cancel));
    progress.reset();
    if (!ok && ok.error().code == ErrorCode::Cancelled) {
        statusBar()->showMessage(tr("Save cancelled; nothing was changed"), 6000);
        return false;
    }
    if (!ok) {
        showError(tr("Cannot save the project"),
                  tr("Saving to %1 failed; the last saved version is untouched. %2")
                      .arg(path, QString::fromStdString(ok.error().message)));
        return false;
    }
    return true;
}

void MainWindow::importVideo()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Video"), m_studio->settings()->projectsDir(),
                                                      tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi);;All files (*)"));
    if (!path.isEmpty())
        m_studio->queueImport(path);
}

void MainWindow::exportTimeline()
{
    const auto* doc = m_studio->document();
    if (doc->clips().isEmpty()) {
        showError(tr("Export"), tr("The timeline is empty: there is nothing to export."));
        return;
    }
    ExportDialog dialog(this);
    const QString selected = m_timeline->selectedClip();
    dialog.setSelectedClipAvailable(doc->indexOf(selected) >= 0);
    dialog.setWholeTimeline(true);
    const auto& first = doc->clips().first().take();
    dialog.setVideoSize(QSize(first.width, first.height));
    dialog.setFps(first.fps);
    dialog.setCrf(ExportDialog::kDefaultCrf);
    dialog.setPath(QDir(m_studio->settings()->projectsDir()).filePath(doc->displayName() + QStringLiteral(".mp4")));
    if (dialog.exec() != QDialog::Accepted)
        return;
    app::ExportParams params;
    params.path = dialog.path();
    params.crf = dialog.crf();
    params.width = dialog.videoSize().width();
    params.height = dialog.videoSize().height();
    params.fps = dialog.fps();
    params.clipId = dialog.wholeTimeline() ? QString() : selected;
    params.mark = dialog.mark();
    params.poster = dialog.poster();
    params.posterFrame = m_timeline->playhead();
    m_studio->queueExport(params);
}

void MainWindow::onExportFinished(const QString& path)
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("Export finished"), tr("Wrote %1.").arg(path),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("exportDoneBox"));
    auto* folder = box->addButton(tr("Show in Folder"), QMessageBox::ActionRole);
    auto* play = box->addButton(tr("Play"), QMessageBox::ActionRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, folder, play, path](QAbstractButton* b) {
        if (b == folder)
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        else if (b == play) {
            m_loadedKey.clear();
            m_player->setSource(QUrl::fromLocalFile(path));
        }
    });
    box->show();
}

// ---- recovery, dialogs, closing -------------------------------------------------------

void MainWindow::offerRecovery()
{
    if (!m_studio->hasRecovery())
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Restore unsaved work?"),
                                tr("Kinora did not shut down cleanly last time. Restore the work it saved "
                                   "automatically (clips, takes and queued jobs)?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("recoveryBox"));
    auto* restore = box->addButton(tr("Restore"), QMessageBox::AcceptRole);
    restore->setObjectName(QStringLiteral("restoreButton"));
    box->addButton(tr("Discard"), QMessageBox::DestructiveRole)->setObjectName(QStringLiteral("discardButton"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, restore](QAbstractButton* b) {
        if (b != restore) {
            m_studio->discardRecovery();
            return;
        }
        auto ok = m_studio->restoreRecovery();
        if (!ok) {
            showError(tr("Cannot restore"), QString::fromStdString(ok.error().message));
            return;
        }
        if (!m_studio->promptDraft().isEmpty())
            m_promptEditor->setPrompt(m_studio->promptDraft());
        m_loadedKey.clear();
        m_timeline->setPlayhead(0);
        showTimelineFrame(0);
        statusBar()->showMessage(tr("Restored the autosaved work."), 8000);
    });
    m_recoveryBox = box;
    box->open();
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(this);
    dialog.exec();
}

void MainWindow::showSettings()
{
    auto* settings = m_studio->settings();
    StudioSettingsValues values;
    values.device = settings->device();
    values.threads = settings->threads();
    values.defaultSteps = settings->defaultSteps();
    values.defaultGuidance = settings->defaultGuidance();
    values.projectsFolder = settings->projectsDir();
    SettingsDialog dialog(values, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const StudioSettingsValues v = dialog.values();
    const bool reload = v.device != values.device || v.threads != values.threads;
    settings->setDevice(v.device);
    settings->setThreads(v.threads);
    settings->setDefaultSteps(v.defaultSteps);
    settings->setDefaultGuidance(v.defaultGuidance);
    settings->setProjectsDir(v.projectsFolder);
    if (reload) {
        m_modelStatus->setText(tr("Loading the model pack..."));
        m_studio->loadModel(m_studio->jobs()->model().directory);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_studio->settings()->setWindowGeometry(saveGeometry());
    m_studio->settings()->setWindowState(saveState());
    m_studio->settings()->sync();
    m_studio->shutdown();
    event->accept();
}

} // namespace kinora::ui
