#pragma once

#include <atomic>
#include <functional>

// The project document: a sequence of clips on one video track. Each clip is a stack
// of takes (one active) with trims. The UI only asks for changes through request*(),
// which push QUndoCommands and return whether the change was made; a refused change
// leaves the document untouched.

#include "util/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>
#include <QVector>

#include <optional>

namespace kinora::app {

inline constexpr int kSchemaVersion = 1;
inline constexpr char kProjectSuffix[] = "kinora";
// What a project file may hold; a file over these is refused with the limit in the message
// (a real project is a few hundred KiB with tens of clips).
inline constexpr qint64 kMaxProjectBytes = 64ll << 20;
inline constexpr int kMaxClips = 10000;
inline constexpr int kMaxTakesPerClip = 1000;

struct Take {
    QString id;   // stable; also the stem of its media file
    QString file; // file name inside the project's media folder
    int frames = 0;
    int width = 0;
    int height = 0;
    double fps = 8.0;
    QJsonObject record; // the generation record (prompt, seed, model, ...)
    // Where the studio made it from, for the lineage graph (app/lineage.h): the take that
    // was re-rolled or promoted ("" for the rest: their record's sources name what they
    // grew from), and how ("rerolled" or "promoted").
    QString parent;
    QString relation;

    quint64 seed() const;
    QString prompt() const;
    QString operation() const;
    // A draft (a quarter of the steps; its record says "draft"), which Promote redoes in full.
    bool draft() const;
};

// The storyboard: shots the studio makes one after another, each landing on the timeline
// as its own clip (pipeline/storyboard.h is the CLI's form of the same board).
inline constexpr int kMaxBoardShots = 64;
inline constexpr double kMaxShotSeconds = 60;
struct BoardShot {
    QString id;
    QString prompt;
    double seconds = 4.0;
    bool continues = false; // flows on from the shot before (an extension of its clip); else a cut
    QString clipId;         // the timeline clip made for it: "" until made (a removed clip counts as none)
    bool operator==(const BoardShot&) const = default;
};
struct Board {
    quint64 seed = 0; // shot i is made with seed + i
    QVector<BoardShot> shots;
    bool operator==(const Board&) const = default;
};

struct Clip {
    QString id;
    QVector<Take> takes;
    int activeTake = 0;
    int trimIn = 0;  // frames cut at the start of the active take
    int trimOut = 0; // frames cut at its end

    const Take& take() const { return takes[activeTake]; }
    // Trims are kept as the user set them; a shorter take shows as much as it can.
    int firstFrame() const; // in the active take
    int length() const;     // visible frames, >= 1
};

class ProjectDocument : public QObject {
    Q_OBJECT

public:
    explicit ProjectDocument(QObject* parent = nullptr);

    QUndoStack* undoStack() { return &m_undo; }
    const QVector<Clip>& clips() const { return m_clips; }
    int indexOf(const QString& clipId) const;
    const Clip* clip(const QString& clipId) const;
    // Timeline arithmetic in frames.
    int totalFrames() const;
    int clipStart(int index) const;
    // The clip under a timeline frame (-1 past the end), and the frame's offset in it.
    int clipAt(int frame, int* offset = nullptr) const;
    double fps() const;

    QString filePath() const { return m_filePath; }
    QString displayName() const;
    QString mediaDir() const { return m_mediaDir; }
    void setMediaDir(const QString& dir) { m_mediaDir = dir; }
    QString mediaPath(const Take& take) const;
    bool isModified() const { return !m_undo.isClean() || m_forcedModified; }
    QStringList missingMedia() const;

    // Edits. Each pushes one undo command; false (and nothing changed) when refused.
    bool requestAddClip(const Clip& clip, int index = -1);
    bool requestRemoveClip(const QString& clipId); // ripple delete: later clips close the gap
    bool requestMoveClip(const QString& clipId, int toIndex);
    bool requestTrim(const QString& clipId, int trimIn, int trimOut);
    bool requestSplit(const QString& clipId, int offset); // offset: first frame of the second part
    bool requestAddTake(const QString& clipId, const Take& take, std::optional<std::pair<int, int>> trims = {});
    bool requestSwitchTake(const QString& clipId, int takeIndex);
    // The storyboard, replaced whole as one undo step (`text` names it in the Edit menu);
    // false when it is unchanged or breaks a limit (kMaxBoardShots, seconds, a blank prompt).
    const Board& board() const { return m_board; }
    bool requestSetBoard(const Board& board, const QString& text);
    // Links a shot to the clip made for it: not an undo step (undoing the clip's addition
    // leaves a link to no clip, which counts as none).
    void linkShotRaw(const QString& shotId, const QString& clipId);
    void setBoardRaw(const Board& board);

    // Between begin and end, successive moves or trims of one clip merge into one
    // undo step (a drag).
    void beginInteraction();
    void endInteraction();
    int interaction() const { return m_interaction; }

    // Files. save() writes atomically (QSaveFile) and copies the media into the
    // folder beside the new path when it lives elsewhere. load() parses and checks
    // the whole file first: on error the document is unchanged.
    Result<void> save(const QString& path, const QJsonArray& pendingJobs = {});
    // The takes a save to `path` would copy: (from, to) for each take its media folder
    // lacks. The studio copies them off the UI thread first (copyMediaFiles), so that the
    // save itself only writes the project file.
    QVector<QPair<QString, QString>> mediaToCopy(const QString& path) const;
    Result<QJsonArray> load(const QString& path); // returns the pending jobs it holds
    // The recovery copy: the same JSON with absolute media and project paths, and the
    // prompt being written when there is one. recoveryJson() is the part that needs the
    // document; writeRecoveryJson() may run on another thread (the studio autosaves off
    // the UI thread).
    QJsonObject recoveryJson(const QJsonArray& pendingJobs, const QString& promptDraft = {}) const;
    static Result<void> writeRecoveryJson(const QString& path, const QJsonObject& root);
    Result<void> writeRecovery(const QString& path, const QJsonArray& pendingJobs) const;
    Result<QJsonArray> loadRecovery(const QString& path, QString* promptDraft = nullptr);
    void clear(const QString& mediaDir);

    static QString mediaDirFor(const QString& projectPath);
    QJsonObject toJson(const QJsonArray& pendingJobs) const;

    // Raw mutations, for the undo commands only.
    void insertClipRaw(int index, const Clip& clip);
    Clip removeClipRaw(int index);
    void moveClipRaw(int from, int to);
    void replaceClipRaw(int index, const Clip& clip);

Q_SIGNALS:
    void changed();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

private:
    Result<void> fromJson(const QJsonObject& root, QVector<Clip>* clips, Board* board) const;
    void setFilePath(const QString& path);

    QVector<Clip> m_clips;
    Board m_board;
    QUndoStack m_undo;
    QString m_filePath;
    QString m_mediaDir;
    int m_interaction = 0;
    int m_interactionCounter = 0;
    bool m_forcedModified = false;
};

// Copies each (from, to) pair; any thread. A file is copied under a temporary name and
// renamed when complete, so a take's name never holds half a file. `progress` (may be
// empty) is called after each file with the count done. On failure or cancellation the
// files this call made are removed again.
Result<void> copyMediaFiles(const QVector<QPair<QString, QString>>& files,
                            const std::function<void(int done)>& progress = {},
                            const std::atomic<bool>* cancel = nullptr);

} // namespace kinora::app
