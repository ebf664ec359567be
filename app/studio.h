#pragma once

// The studio without its widgets: the project document, the job queue and the glue
// between them (what a finished job does to the document), project files, autosave
// and crash recovery. The main window and the tests drive this.

#include "app/job_manager.h"
#include "app/project.h"
#include "app/settings.h"

#include <QFuture>
#include <QHash>
#include <QImage>
#include <QLockFile>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>

namespace kinora::app {

struct GenerateParams {
    QString prompt;
    QString negative;
    quint64 seed = 0;
    double seconds = 2.0;
    int steps = 0;        // 0: the settings' default, else the pack's
    double guidance = -1; // < 0: likewise
};

struct ExportParams {
    QString path;
    int crf = 18;
    int width = 0; // 0: the clips' size
    int height = 0;
    double fps = 0; // 0: the clips' rate
    QString clipId; // empty: the whole timeline
    bool mark = true;   // the visible "AI" label (on for exports; drafts in the CLI go without)
    bool poster = false; // also write <path>.png: one frame with the record and XMP
    int posterFrame = -1; // the timeline frame for the poster (the playhead); outside what is exported: its middle
};

class Studio : public QObject {
    Q_OBJECT

public:
    explicit Studio(Settings* settings, QObject* parent = nullptr);
    ~Studio() override;

    ProjectDocument* document() { return &m_document; }
    JobManager* jobs() { return &m_jobs; }
    Settings* settings() { return m_settings; }

    // Loads the configured or built-in model pack on the worker thread; the answer
    // comes as jobs()->modelReady or modelFailed.
    void loadModel(const QString& dir = {});

    // Projects. Errors come back as values with a message for the user.
    void newProject();
    Result<void> open(const QString& path);
    Result<void> save();
    Result<void> saveAs(const QString& path);
    // Save As without stalling the window: the takes the new place lacks are copied on a
    // worker thread (saveProgress reports each; setting *cancel stops the copy and removes
    // what it made, and the result is Cancelled), then saveAs() writes the project file and
    // copies whatever landed meanwhile. co_await it, or QCoro::waitFor it in a dialog.
    QCoro::Task<Result<void>> saveAsInBackground(QString path, std::shared_ptr<std::atomic<bool>> cancel = {});

    // Queueing. Each returns the job id, or -1 after emitting errorOccurred.
    int queueGenerate(const GenerateParams& params);
    // How long queueGenerate(params) would take on this machine (JobManager's estimate), or
    // < 0 while none is measured.
    double estimateGenerate(const GenerateParams& params) const;
    int queueReroll(const QString& clipId, quint64 seed);
    // Drafts: in draft mode every operation runs with a quarter of the steps and its take is
    // marked as a draft. Promoting redoes a draft clip's take in full, with the same seed,
    // prompt and known frames, as a new take (the clip's trims stay): one clip, or every
    // draft on the timeline (promoteDrafts returns how many were queued).
    bool draftMode() const { return m_draftMode; }
    void setDraftMode(bool on);
    int queuePromote(const QString& clipId);
    int promoteDrafts();
    int queueExtend(const QString& clipId, double seconds, bool backward, const QString& prompt = {});
    int queueBridge(const QString& clipId, double seconds);
    // first..last: visible frames of the clip (0-based, inclusive), e.g. the player's marks.
    int queueFill(const QString& clipId, int first, int last);
    // Smooths the join after clip `index`: the last kSmoothFrames frames shown of that clip
    // and the first kSmoothFrames of the next are made again as one bridge between what is
    // left of them, so the timeline keeps its length. When the bridge lands, the two trims
    // and the new clip are one undo step.
    static constexpr int kSmoothFrames = 4;
    int queueSmoothJoin(int index);
    // The storyboard (document()->board()): makes every shot that has no clip yet, one after
    // another in order (a cut from its prompt, a continuing shot as an extension of the clip
    // before it), each landing on the timeline as its own clip as soon as it is made.
    // Returns how many shots it will make (0 after errorOccurred, or when all are made).
    int generateBoard();
    bool boardRunning() const { return m_boardRunning; }
    // Re-rolls one shot's clip with a new seed and the board's prompt for it; when it lands,
    // the join into a following shot that continues from it is smoothed (queueSmoothJoin).
    // The other shots' takes stay as they are.
    int rerollShot(const QString& shotId);
    int queueImport(const QString& path);
    int queueExport(const ExportParams& params);

    // The frames a clip shows (its active take, trimmed): a span for readFrames().
    FrameSpan visibleSpan(const Clip& clip) const;
    QImage thumbnail(const Take& take) const { return m_thumbnails.value(take.id); }
    // How visible the join after clip `index` is (media::seamRatio of the frames shown on
    // either side: about 1 does not show), measured off the UI thread after every change;
    // < 0 while unknown. joinsMeasured says when new figures are in.
    double joinRatio(int index) const;
    // Reads a span's frames off the UI thread; co_await it.
    static QFuture<QVector<QImage>> loadFrames(const FrameSpan& span);

    // Recovery: the autosave copy lives in settings()->recoveryDir() until a clean
    // shutdown (or a save) makes it unnecessary.
    QString recoveryPath() const; // this session's autosave copy
    // A previous session's copy, set aside at start so this session cannot overwrite it.
    QString previousRecoveryPath() const;
    bool hasRecovery() const;
    // Restores the document, the queued jobs and promptDraft().
    Result<void> restoreRecovery();
    void discardRecovery(); // the previous session's copy
    // Queues a write of the recovery copy (or its removal when there is nothing to keep).
    // The file is written on a background thread, one write after another in order, so a
    // large project never stalls the window; a failure arrives as statusMessage().
    void writeRecoveryNow();
    // Blocks until every queued write or removal of the recovery copy is done.
    void waitForRecoveryWrites();
    // The prompt being written, kept in the recovery copy (written kDraftSaveDelayMs after
    // the last change) so that a crash does not lose it.
    static constexpr int kDraftSaveDelayMs = 500;
    void setPromptDraft(const QString& prompt);
    QString promptDraft() const { return m_promptDraft; }
    // Marks a clean end of the session: the recovery copy and unsaved scratch media go
    // (the media folder is renamed to a discarded one at once, and removed on a worker
    // thread by the next start: removeDiscardedScratch).
    void shutdown();
    static constexpr char kDiscardedPrefix[] = ".discarded-";
    // Removes the discarded scratch folders under scratchRoot, off the calling thread.
    static QFuture<void> removeDiscardedScratch(const QString& scratchRoot);

    quint64 randomSeed() const;

Q_SIGNALS:
    void errorOccurred(const QString& title, const QString& message);
    void statusMessage(const QString& message);
    void thumbnailReady(const QString& takeId);
    void joinsMeasured();
    void exportFinished(const QString& path);
    // A finished job changed the document: the clip that got a new take or was made.
    void clipProduced(const QString& clipId);
    // saveAsInBackground's media copy: `done` of `total` takes copied.
    void saveProgress(int done, int total);
    void draftModeChanged(bool on);
    void boardRunningChanged(bool running);

private:
    void claimRecoverySlot();
    void onJobFinished(int id, const JobResult& result);
    void onJobFailed(int id, const QString& message);
    void onDocumentChanged();
    void onJobsChanged();
    QCoro::Task<> loadThumbnails();
    QCoro::Task<> measureJoins();
    QString joinKey(int index) const;
    QJsonArray pendingJobsFor(const QString& mediaDir) const;
    bool checkModelReady();
    int fail(const QString& message);
    JobSpec baseSpec(JobKind kind) const;
    JobSpec generateSpec(const GenerateParams& params) const;
    int queueRepeat(const QString& clipId, quint64 seed, bool draft, const BoardShot* shot = nullptr);
    int queueNextShot();
    void resumeBoardRun();
    void shotLanded(const JobSpec& spec, const QString& clipId);
    QString newScratchDir() const;
    void removeSessionRecovery();

    Settings* m_settings;
    ProjectDocument m_document;
    std::unique_ptr<QLockFile> m_recoveryLock;
    int m_recoverySlot = 0;
    JobManager m_jobs;
    QTimer m_autosave;
    QTimer m_draftSave;
    QString m_promptDraft;
    QJsonArray m_recordedJobs; // the pending jobs as last written to the recovery copy
    QThreadPool m_recoveryWriter; // one thread: writes land in the order they were queued
    QString m_scratchDir;
    QHash<QString, QImage> m_thumbnails;
    QHash<QString, double> m_joinRatios; // by joinKey: the takes and trims on either side
    QTimer m_joinTimer;                  // measures the joins a moment after changes stop
    bool m_draftMode = false;
    bool m_boardRunning = false;  // generateBoard's chain: the next shot is queued when one lands
    // The media copy of a background save, which the destructor stops and waits for.
    std::shared_ptr<std::atomic<bool>> m_saveCancel;
    QFuture<Result<void>> m_saveCopy;
    QFuture<void> m_trashRemoval;
};

} // namespace kinora::app
